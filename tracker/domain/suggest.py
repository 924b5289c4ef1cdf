"""Suggest a category for unclassified spend from how spend with the same or a similar
supplier, or the same or a similar expense type, is classified in the evidence given
(the reviewing authority's and sharing authorities' spend: tracker.services.evidence),
without network access.

Evidence is classified spend per (key, Defra group) across those authorities' current
inventories, where the key is a supplier's name key or an expense type's normalised text.
For a key seen before, the suggestion is its largest group, with confidence = that
group's share of the key's classified spend. For an unseen key, the most similar known
key (rapidfuzz token-set ratio ≥ 90) lends its evidence at a discount of the similarity.
A suggestion is applied only when a person accepts it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz import fuzz, process

from factors.classification import ARTEFACT_GROUPS

SIMILARITY_FLOOR = 90  # token-set ratio (0-100) below which names are not "the same supplier"


@dataclass(frozen=True)
class Suggestion:
    defra_group: str
    confidence: Decimal  # 0..1
    basis: str  # human explanation
    field: str = "supplier"  # what the suggestion is keyed on: supplier | expense_type


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
            return Suggestion(best[0], best[1].quantize(Decimal("0.01")), same, field)
    match = process.extractOne(
        key, list(evidence), scorer=fuzz.token_set_ratio, score_cutoff=SIMILARITY_FLOOR
    )
    if match is None:
        return None
    name, score, _ = match
    best = _best(evidence[name])
    if best is None:
        return None
    confidence = (best[1] * Decimal(str(score)) / 100).quantize(Decimal("0.01"))
    return Suggestion(best[0], confidence, f"{similar}: {name}", field)


def strongest(*suggestions: Suggestion | None) -> Suggestion | None:
    """The most confident suggestion (the first of equals: callers pass supplier first)."""
    found = [s for s in suggestions if s is not None]
    return max(found, key=lambda s: s.confidence) if found else None
