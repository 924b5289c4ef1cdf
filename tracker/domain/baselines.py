"""Recorded baselines and their restatement. Pure functions.

A target keeps the baseline figure it was set against. When the baseline years' current
inventories add up to a different figure (spend added to the baseline year, a new factor
edition), the target does not move by itself: the change is shown, with whether it is
*significant*, and applied only by a restatement with a reason. Following the GHG
Protocol Corporate Standard's base-year recalculation policy, a change is significant
when ``|current − recorded| / recorded`` is at least the threshold (5 % by default; any
change is significant when the recorded figure is 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tracker.domain.status import pct_text, tonnes_text

DEFAULT_SIGNIFICANCE_PCT = Decimal(5)
GRAM = Decimal("0.001")  # figures are compared to the gram: below it is storage rounding


@dataclass(frozen=True)
class BaselineChange:
    """The baseline years' current figure against the one the target was set against."""

    recorded_kg: Decimal
    current_kg: Decimal
    threshold_pct: Decimal

    @property
    def change(self) -> Decimal | None:
        """``(current − recorded) / recorded``; None when the recorded figure is 0."""
        if self.recorded_kg == 0:
            return None
        return (self.current_kg - self.recorded_kg) / self.recorded_kg

    @property
    def significant(self) -> bool:
        change = self.change
        if change is None:
            return self.current_kg != 0
        return abs(change) * 100 >= self.threshold_pct


def baseline_change(
    recorded_kg: Decimal, current_kg: Decimal, threshold_pct: Decimal = DEFAULT_SIGNIFICANCE_PCT
) -> BaselineChange | None:
    """The change, or None when the figures agree to the gram."""
    if recorded_kg.quantize(GRAM) == current_kg.quantize(GRAM):
        return None
    return BaselineChange(recorded_kg, current_kg, threshold_pct)


def _signed_pct(change: Decimal) -> str:
    rounded = (change * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    sign = "+" if change > 0 else "−"
    return f"{sign}{abs(rounded)} %"


def restatement_notice(change: BaselineChange, baseline_years: str) -> str:
    """ "Baseline restated from X to Y?" in words, for the overview and the authority page."""
    recorded, current = tonnes_text(change.recorded_kg), tonnes_text(change.current_kg)
    how = "" if change.change is None else f" ({_signed_pct(change.change)})"
    verdict = (
        f"at least the {pct_text(change.threshold_pct)} significance threshold, so the "
        "baseline should be restated"
        if change.significant
        else f"below the {pct_text(change.threshold_pct)} significance threshold, so "
        "restating is optional"
    )
    return (
        f"Baseline restated from {recorded} to {current}? The {baseline_years} figures "
        f"changed from {recorded} to {current}{how}, {verdict}. The target still uses "
        f"{recorded} until the baseline is restated with a reason."
    )
