"""Suggest a category from the words of a review group's texts (its supplier name, expense
type and line descriptions), learned from the words of every classified text elsewhere.

This reaches spend that the exact and similar-name suggestions (tracker.domain.suggest)
cannot: a payee never seen before whose name says what it sells ("Creamline Dairies"),
or descriptions such as "rock salt for gritting" under a vague expense type.

The model, from classified texts (supplier names, expense types, descriptions), each
with its classified spend by Defra group:

- every distinct text gives each of its words one vote, split between groups in
  proportion to the text's spend in each;
- P(group | word) = votes(word, group) / (texts(word) + 1): the +1 shrinks words seen
  in few texts towards "no opinion", so a word seen in two texts that agree gives 0.67,
  in ten texts that agree 0.91;
- words seen in fewer than MIN_TEXTS texts, and stop words, are not evidence.

A group's suggestion averages P(group | word) over its known words, weighting each word
by its inverse document frequency ln(1 + N / texts(word)), so that rare, specific words
count more than common ones; the confidence is the winning group's average (words that
disagree, or words with little evidence, lower it) times WORDS_CAP (0.4): words say what
was bought less surely than a supplier's own record (tracker.domain.suggest). Pure
functions; no database.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from tracker.domain.suggest import WORDS_CAP, Suggestion

MIN_TEXTS = 2  # a word must appear in at least this many classified texts
MAX_LETTERS = 40  # longer runs of letters are codes or junk, not words
SHOWN_WORDS = 3  # words named in a suggestion's basis
_WORD = re.compile(r"[^\W\d_]{3,}")

# Words that say nothing about what was bought: legal forms, connectives, bookkeeping.
# fmt: off
STOP_WORDS = frozenset((
    "and", "the", "for", "with", "from", "into", "per", "via", "ltd", "limited", "plc",
    "llp", "inc", "cic", "company", "companies", "group", "holdings", "trading",
    "international", "national", "services", "service", "invoice", "invoices", "inv", "payment",
    "payments", "ref", "reference", "account", "accounts", "various", "misc", "sundry",
    "sundries", "other", "others", "general", "total", "charge", "charges", "cost", "costs",
    "fee", "fees", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "week", "weeks", "month", "monthly",
    "months", "year", "years", "annual", "quarter", "period",
))
# fmt: on


def words(text: str | None) -> frozenset[str]:
    """The distinct informative words of ``text``: letters only, three to forty, case
    folded, stop words left out."""
    if not text:
        return frozenset()
    found = _WORD.findall(text.casefold())
    return frozenset(w for w in found if len(w) <= MAX_LETTERS and w not in STOP_WORDS)


@dataclass(frozen=True)
class WordModel:
    votes: Mapping[str, Mapping[str, float]]  # word → Defra group → votes
    texts: Mapping[str, int]  # word → number of classified texts it appears in
    n_texts: int  # classified texts learned from

    def knows(self, word: str) -> bool:
        return self.texts.get(word, 0) >= MIN_TEXTS

    def idf(self, word: str) -> float:
        return math.log(1 + self.n_texts / self.texts[word])

    def p(self, word: str) -> dict[str, float]:
        """P(group | word), shrunk towards no opinion by one pseudo-text."""
        n = self.texts[word] + 1
        return {g: v / n for g, v in self.votes[word].items()}


def learn_words(evidence: Iterable[tuple[str, Mapping[str, Decimal]]]) -> WordModel:
    """A word model from (text, Defra group → classified spend) pairs. Texts that are
    equal once reduced to their words count once, their spend pooled."""
    return model_from_votes(*word_votes(evidence))


def word_votes(
    evidence: Iterable[tuple[str, Mapping[str, Decimal]]],
) -> tuple[dict[str, dict[str, float]], int]:
    """Each word's votes per Defra group from (text, Defra group → classified spend)
    pairs, and the number of distinct texts (by their words) with classified spend.
    Votes from separate bodies of evidence add up (tracker.services.classification.evidence
    keeps them
    per inventory run): a text in two of them counts in each."""
    pooled: dict[frozenset[str], dict[str, Decimal]] = {}
    for text, groups in evidence:
        ws = words(text)
        if not ws:
            continue
        into = pooled.setdefault(ws, {})
        for group, spend in groups.items():
            into[group] = into.get(group, Decimal(0)) + abs(spend)
    votes: dict[str, dict[str, float]] = {}
    n = 0
    for ws, groups in pooled.items():
        total = sum(groups.values(), Decimal(0))
        if total <= 0:
            continue
        n += 1
        shares = {g: float(s / total) for g, s in groups.items() if s > 0}
        for w in ws:
            into_w = votes.setdefault(w, {})
            for g, share in shares.items():
                into_w[g] = into_w.get(g, 0.0) + share
    return votes, n


def model_from_votes(votes: Mapping[str, Mapping[str, float]], n_texts: int) -> WordModel:
    """The word model of ``votes`` (word → Defra group → votes) learned from ``n_texts``
    texts. A text's shares add up to one, so a word's votes add up to the number of
    texts it appears in (rounded, against the error of adding fractions)."""
    texts = {w: round(sum(groups.values())) for w, groups in votes.items()}
    return WordModel(
        votes={w: dict(g) for w, g in votes.items() if texts[w] > 0},
        texts={w: n for w, n in texts.items() if n > 0},
        n_texts=n_texts,
    )


def _votes(v: float) -> str:
    """A word's votes for a group, to two places without trailing zeros (2.75, 3)."""
    return f"{v:.2f}".rstrip("0").rstrip(".")


def suggest_from_words(
    texts: Iterable[str | None], model: WordModel, field: str
) -> Suggestion | None:
    """The suggested group for a review group whose texts are ``texts``, or None when
    none of their words is known. ``field`` is what accepting it keys the rule on
    (the group's supplier, or its expense type when it has no supplier)."""
    known = sorted({w for t in texts for w in words(t) if model.knows(w)})
    if not known:
        return None
    weights = {w: model.idf(w) for w in known}
    total = sum(weights.values())
    score: dict[str, float] = {}
    for w in known:
        for g, p in model.p(w).items():
            score[g] = score.get(g, 0.0) + weights[w] * p / total
    group = max(sorted(score), key=lambda g: score[g])
    confidence = (Decimal(str(score[group])) * WORDS_CAP).quantize(Decimal("0.01"))
    if confidence <= 0:
        return None
    backing = sorted(
        (w for w in known if group in model.votes[w]),
        key=lambda w: (-weights[w] * model.p(w)[group], w),
    )[:SHOWN_WORDS]
    evidence = "the words " + ", ".join(
        f"{w} ({_votes(model.votes[w][group])} of {model.texts[w]} classified texts in {group})"
        for w in backing
    )
    return Suggestion(group, confidence, "words: " + ", ".join(backing), field, evidence=evidence)
