"""Sign-off review: how much of a year's emissions rests on each classification decision.

Every decision carries a *doubt*, the share of its tonnes that would move if it were wrong,
set by its confidence (docs/classification-policy.md, "Sign-off review"): high 5 %,
medium 20 %, low 50 %, and 100 % for an unclassified line. Unclassified spend has no
tonnes of its own, so it is estimated at the year's average intensity (kgCO2e per unit
of currency) of the classified spend. *Tonnes at stake* = tonnes × doubt.

The sign-off list is the fewest groups of lines whose tonnes reach 80 % of the year's
tonnes, largest first: the part of the inventory an officer must have looked at before
signing it off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from tracker.domain.codes import LineStatus

DOUBT: dict[str, Decimal] = {
    "high": Decimal("0.05"),
    "medium": Decimal("0.20"),
    "low": Decimal("0.50"),
}
UNCLASSIFIED_DOUBT = Decimal(1)
SIGNOFF_SHARE = Decimal("0.80")
ZERO = Decimal(0)

T = TypeVar("T")


def doubt(status: str, confidence: str | None) -> Decimal:
    """The doubt of a decision: 1 for an unclassified line, else by its confidence (a
    classified or excluded line without one counts as low)."""
    if status == LineStatus.UNMAPPED:
        return UNCLASSIFIED_DOUBT
    return DOUBT.get(confidence or "low", DOUBT["low"])


def average_intensity(classified_spend: Decimal, classified_kg: Decimal) -> Decimal:
    """kgCO2e per unit of currency of the year's classified spend (0 when there is none)."""
    if classified_spend == 0:
        return ZERO
    return classified_kg / classified_spend


def counted_kg(status: str, spend: Decimal, kgco2e: Decimal, intensity: Decimal) -> Decimal:
    """The kgCO2e a group adds to the year: its own for classified lines, spend × the
    average intensity for unclassified ones, none for excluded ones."""
    if status == LineStatus.MAPPED:
        return kgco2e
    if status == LineStatus.UNMAPPED:
        return spend * intensity
    return ZERO


def at_stake_kg(
    status: str, confidence: str | None, spend: Decimal, kgco2e: Decimal, intensity: Decimal
) -> Decimal:
    """kgCO2e at stake: the group's kg × its doubt. An excluded group's kg are the ones
    it would add at the average intensity were the exclusion wrong."""
    kg = (
        spend * intensity
        if status == LineStatus.EXCLUDED
        else counted_kg(status, spend, kgco2e, intensity)
    )
    return kg * doubt(status, confidence)


def signoff_list(groups: Sequence[T], kg: Callable[[T], Decimal]) -> list[T]:
    """The fewest ``groups`` whose ``kg`` reach SIGNOFF_SHARE of the total of them all,
    largest first (ties keep their order).

    Taking the largest first is the fewest: no k groups sum to more than the k largest.
    Empty when the total is not positive (nothing to sign off).
    """
    total = sum((kg(g) for g in groups), ZERO)
    if total <= 0:
        return []
    target = total * SIGNOFF_SHARE
    out: list[T] = []
    reached = ZERO
    for g in sorted(groups, key=kg, reverse=True):
        if reached >= target:
            break
        out.append(g)
        reached += kg(g)
    return out


CONFIRMED = "confirmed"
RECONFIRM = "needs re-confirming"


@dataclass(frozen=True)
class Decision:
    """What a line's classification decided: status, category (or exclusion) and factor."""

    status: str  # mapped | excluded | unmapped
    category_code: str | None
    factor_code: str | None
    exclusion: str | None  # the exclusion reason, when excluded


def confirmation_state(confirmed: Decision | None, current: Decision) -> str | None:
    """ "confirmed" when the confirmed decision is still the current one, "needs
    re-confirming" when the line has been decided differently since, None when nobody
    confirmed it. Who decided (the method or rule) may change without the decision
    changing: only status, category, factor and exclusion count."""
    if confirmed is None:
        return None
    return CONFIRMED if confirmed == current else RECONFIRM
