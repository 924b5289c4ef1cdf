"""Suggest a category for unclassified spend from how spend with the same or a similar
supplier, or the same or a similar expense type, is classified in the evidence given
(the reviewing authority's and sharing authorities' spend:
tracker.services.classification.evidence),
without network access.

Evidence is classified spend per (key, Defra group) across those authorities' current
inventories, where the key is a supplier's name key or an expense type's normalised text.
For a key seen before, the suggestion is its largest group; for an unseen key, the most
similar known key (rapidfuzz token-set ratio ≥ 90) lends its evidence.

A suggestion's score is capped by the kind of evidence it rests on, because the kind
bounds how often it can be right (docs/classification-policy.md, "Review suggestions";
measured by bench/suggestion_eval.py): the same supplier or expense type says what the
authority bought from that payee or under that heading elsewhere, not what this line
bought, so it scores at most SAME_CAP (0.5), scaled by the group's share of the key's
classified spend; a similar name is weaker (SIMILAR_CAP, 0.3, scaled by the share and
the similarity), so a name that is only similar never scores 100 %; the words of the
group's texts are capped at 0.4 (tracker.domain.suggest_words). A suggestion is applied
only when a person accepts it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz import fuzz, process

from factors.classification import ARTEFACT_GROUPS

SIMILARITY_FLOOR = 90  # token-set ratio (0-100) below which names are not "the same supplier"
SAME_CAP = Decimal("0.5")  # the same supplier or expense type
SIMILAR_CAP = Decimal("0.3")  # a similar supplier name or expense type
WORDS_CAP = Decimal("0.4")  # the words of the group's texts
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Suggestion:
    defra_group: str
    confidence: Decimal  # 0..1, capped by the kind of evidence
    basis: str  # the kind of evidence (and the similar key, or the words)
    field: str = "supplier"  # what the suggestion is keyed on: supplier | expense_type
    key: str | None = None  # the evidence key it rests on (a similar one for a similar name)
    similarity: int | None = None  # token-set ratio of a similar key; None for the same key
    evidence: str = ""  # what it rests on, in words (filled in by the review)


@dataclass(frozen=True)
class Backing:
    """The classified lines behind a suggestion: the reviewing authority's own, and those
    of authorities sharing with it, each with the basis (method and rule or code) that
    decided most of their spend."""

    own_lines: int
    own_basis: str | None
    other_lines: int
    other_authorities: int
    other_basis: str | None


def _best(found: Mapping[str, Decimal]) -> tuple[str, Decimal] | None:
    # An artefact group is never offered (policy §5); spend an older run costed with one
    # is no evidence of what was bought.
    groups = {g: v for g, v in found.items() if g not in ARTEFACT_GROUPS}
    total = sum(groups.values(), Decimal(0))
    if total <= 0:
        return None
    group = max(sorted(groups), key=lambda g: groups[g])
    return group, groups[group] / total


# (basis of an exact match, basis of a similar one) per field
LABELS = {
    "supplier": ("same supplier", "similar supplier name"),
    "expense_type": ("same expense type", "similar expense type"),
}
# how evidence of the same key, and of a similar one, is named in words, per field
NOUNS = {
    "supplier": ("this supplier", "a similar supplier name"),
    "expense_type": ("this expense type", "a similar expense type"),
}


def suggest(
    key: str | None, evidence: Mapping[str, Mapping[str, Decimal]], field: str = "supplier"
) -> Suggestion | None:
    """The suggested group for ``key`` from ``evidence`` (key → group → spend)."""
    if not key:
        return None
    same, similar = LABELS[field]
    exact = evidence.get(key)
    if exact:
        best = _best(exact)
        if best is not None:
            score = (best[1] * SAME_CAP).quantize(_CENT)
            return Suggestion(best[0], score, same, field, key)
    match = process.extractOne(
        key, list(evidence), scorer=fuzz.token_set_ratio, score_cutoff=SIMILARITY_FLOOR
    )
    if match is None:
        return None
    name, ratio, _ = match
    best = _best(evidence[name])
    if best is None:
        return None
    alike = int(ratio)
    score = (best[1] * SIMILAR_CAP * alike / 100).quantize(_CENT)
    return Suggestion(best[0], score, f"{similar}: {name}", field, name, alike)


def strongest(*suggestions: Suggestion | None) -> Suggestion | None:
    """The most confident suggestion (the first of equals: callers pass supplier first)."""
    found = [s for s in suggestions if s is not None]
    return max(found, key=lambda s: s.confidence) if found else None


def _lines(n: int) -> str:
    return f"{n:,} line{'' if n == 1 else 's'}"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def describe(s: Suggestion, b: Backing) -> str:
    """What a supplier or expense-type suggestion rests on, in words: "3 lines of this
    supplier in your authority were classified 26 by rule R123; 5 lines in 2 authorities
    sharing with yours, by sic 26200". A similar key is not named (it may be another
    authority's supplier), only how alike it is."""
    same, similar = NOUNS[s.field]
    what = same if s.similarity is None else f"{similar} ({s.similarity} % alike)"
    g = s.defra_group
    parts = []
    if b.own_lines:
        parts.append(
            f"{_lines(b.own_lines)} of {what} in your authority {_were(b.own_lines)} "
            f"classified {g} by {b.own_basis}"
        )
    if b.other_lines:
        n = b.other_authorities
        where = f"in {n} authorit{'y' if n == 1 else 'ies'} sharing with yours"
        if parts:
            parts.append(f"{_lines(b.other_lines)} {where}, by {b.other_basis}")
        else:
            parts.append(
                f"{_lines(b.other_lines)} of {what} {where} {_were(b.other_lines)} "
                f"classified {g} by {b.other_basis}"
            )
    return "; ".join(parts)
