"""Supplier and expense-type suggestions (tracker.domain.suggest), worked by hand: a
suggestion's score is the group's share of the key's classified spend times the cap of
its kind of evidence (0.5 the same key; 0.3 a similar one, times the similarity)."""

from decimal import Decimal

from tracker.domain.suggest import Backing, Suggestion, describe, suggest

EVIDENCE = {
    "acme widgets ltd": {"25OTHER": Decimal("900"), "28": Decimal("100")},
    "bytewell systems ltd": {"62": Decimal("500")},
}


def test_same_supplier_gets_its_largest_group_with_its_share_capped() -> None:
    """900 / 1,000 = 0.90 of Acme's spend is in 25OTHER; x 0.5 = 0.45."""
    s = suggest("acme widgets ltd", EVIDENCE)
    assert s is not None and (s.defra_group, s.confidence) == ("25OTHER", Decimal("0.45"))
    assert (s.key, s.similarity) == ("acme widgets ltd", None)


def test_similar_name_never_scores_100_percent() -> None:
    """Token-set ratio 100 (a subset of the tokens), all of the spend in 62: 1 x 0.3 x
    100 / 100 = 0.30, not 1.00."""
    s = suggest("bytewell systems", EVIDENCE)
    assert s is not None and s.defra_group == "62" and s.confidence == Decimal("0.30")
    assert s.basis == "similar supplier name: bytewell systems ltd"
    assert (s.key, s.similarity) == ("bytewell systems ltd", 100)


def test_unknown_supplier_gets_nothing() -> None:
    assert suggest("zebra crossings plc", EVIDENCE) is None
    assert suggest(None, EVIDENCE) is None


def test_evidence_in_words() -> None:
    s = Suggestion("26", Decimal("0.5"), "same supplier", "supplier", "acme")
    own = Backing(3, "rule R123", 0, 0, None)
    assert describe(s, own) == (
        "3 lines of this supplier in your authority were classified 26 by rule R123"
    )
    both = Backing(3, "rule R123", 5, 2, "sic 26200")
    assert describe(s, both) == (
        "3 lines of this supplier in your authority were classified 26 by rule R123; "
        "5 lines in 2 authorities sharing with yours, by sic 26200"
    )
    similar = Suggestion("70", Decimal("0.27"), "similar expense type: x", "expense_type",
                         "x", 92)  # fmt: skip
    assert describe(similar, Backing(0, None, 1, 1, "library R075")) == (
        "1 line of a similar expense type (92 % alike) in 1 authority sharing with yours "
        "was classified 70 by library R075"
    )
