"""Suggest a category for unclassified spend from how the same or a similar supplier's
spend is classified elsewhere (any authority), without network access.

Evidence is the classified spend per (supplier name key, Defra group) across all
authorities' current inventories. For a supplier seen before, the suggestion is its
largest group, with confidence = that group's share of the supplier's classified spend.
For an unseen supplier, the most similar known name (rapidfuzz token-set ratio ≥ 90)
lends its evidence at a discount of the similarity. A suggestion is applied only when a
person accepts it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz import fuzz, process

SIMILARITY_FLOOR = 90  # token-set ratio (0-100) below which names are not "the same supplier"


@dataclass(frozen=True)
class Suggestion:
    defra_group: str
    confidence: Decimal  # 0..1
    basis: str  # human explanation


def _best(groups: Mapping[str, Decimal]) -> tuple[str, Decimal] | None:
    total = sum(groups.values(), Decimal(0))
    if total <= 0:
        return None
    group = max(sorted(groups), key=lambda g: groups[g])
    return group, groups[group] / total


def suggest(
    supplier_key: str | None, evidence: Mapping[str, Mapping[str, Decimal]]
) -> Suggestion | None:
    """The suggested group for a supplier from ``evidence`` (name key → group → spend)."""
    if not supplier_key:
        return None
    exact = evidence.get(supplier_key)
    if exact:
        best = _best(exact)
        if best is not None:
            return Suggestion(best[0], best[1].quantize(Decimal("0.01")), "same supplier")
    match = process.extractOne(
        supplier_key, list(evidence), scorer=fuzz.token_set_ratio, score_cutoff=SIMILARITY_FLOOR
    )
    if match is None:
        return None
    name, score, _ = match
    best = _best(evidence[name])
    if best is None:
        return None
    confidence = (best[1] * Decimal(str(score)) / 100).quantize(Decimal("0.01"))
    return Suggestion(best[0], confidence, f"similar supplier name: {name}")
