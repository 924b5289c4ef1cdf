"""Word suggestions (tracker.domain.suggest_words), with values worked by hand.

Evidence: five classified texts, N = 5.
  "Creamline Dairies"     10.5: £100
  "Northern Dairies Ltd"  10.5: £50              ("ltd" is a stop word)
  "Dairies Direct"        10.5: £30, 56: £10     (shares 0.75 / 0.25)
  "Rock salt gritting"    08: £200
  "Salt delivery"         08: £100
Known words (in >= 2 texts): "dairies" (3 texts), "salt" (2 texts).
  P(10.5 | dairies) = (1 + 1 + 0.75) / (3 + 1) = 0.6875; P(56 | dairies) = 0.0625
  P(08 | salt) = 2 / (2 + 1) = 0.6667
  idf(dairies) = ln(1 + 5/3) = 0.98083; idf(salt) = ln(1 + 5/2) = 1.25276
A word suggestion's confidence is its score times the cap on words, 0.4.
"""

from decimal import Decimal

from tracker.domain.suggest_words import learn_words, suggest_from_words, words

EVIDENCE = [
    ("Creamline Dairies", {"10.5": Decimal("100")}),
    ("Northern Dairies Ltd", {"10.5": Decimal("50")}),
    ("Dairies Direct", {"10.5": Decimal("30"), "56": Decimal("10")}),
    ("Rock salt gritting", {"08": Decimal("200")}),
    ("Salt delivery", {"08": Decimal("100")}),
]
MODEL = learn_words(EVIDENCE)


def test_words_are_letters_only_case_folded_without_stop_words() -> None:
    assert words("ACME Services Ltd, 2x A4 paper & toner (inv 123)") == {"acme", "paper", "toner"}
    assert words(None) == frozenset()


def test_one_known_word_gives_its_shrunk_probability() -> None:
    """0.6875 x 0.4 = 0.275, to the cent (half to even) 0.28."""
    s = suggest_from_words(["Hilltop Dairies", None], MODEL, "supplier")
    assert s is not None
    assert (s.defra_group, s.confidence, s.basis) == ("10.5", Decimal("0.28"), "words: dairies")
    assert s.field == "supplier"
    assert s.evidence == "the words dairies (2.75 of 3 classified texts in 10.5)"


def test_words_that_disagree_lower_the_confidence() -> None:
    """score(08) = 1.25276 x 0.6667 / (0.98083 + 1.25276) = 0.37392;
    score(10.5) = 0.98083 x 0.6875 / 2.23359 = 0.30190: 08 wins at 0.37392 x 0.4 = 0.15."""
    s = suggest_from_words(["Hilltop Dairies", "salt"], MODEL, "expense_type")
    assert s is not None and (s.defra_group, s.confidence) == ("08", Decimal("0.15"))
    assert s.basis == "words: salt"


def test_a_word_seen_in_one_text_is_not_evidence() -> None:
    assert suggest_from_words(["Creamline", "gritting"], MODEL, "supplier") is None
    assert suggest_from_words([], MODEL, "supplier") is None


def test_texts_with_the_same_words_count_once() -> None:
    """Upper-case "SALT DELIVERY" and "Salt delivery" are one text: "delivery" stays in one."""
    model = learn_words([*EVIDENCE, ("SALT DELIVERY", {"08": Decimal("5")})])
    assert model.n_texts == 5 and model.texts["delivery"] == 1
    assert suggest_from_words(["delivery"], model, "supplier") is None
