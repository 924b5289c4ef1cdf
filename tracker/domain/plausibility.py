"""Implausible years: a year whose emissions or intensity jump against the previous year,
or an authority far outside its group (issue 16: "a year jumped 7x unflagged").

A jump is a ratio to the previous financial year above ``rise`` (default x2) or below
``fall`` (default x0.5, a fall of more than 50 %); it is checked for the total kgCO2e and
for the intensity (kgCO2e per unit of in-scope spend). An outlier is a value more than
``spread`` (default 3) times the group median, or less than the median divided by it,
among at least ``MIN_GROUP`` authorities. All arithmetic is exact (Decimal).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from tracker.domain.money import currency_symbol
from tracker.domain.periods import fy_label

RISE = Decimal(2)
FALL = Decimal("0.5")
SPREAD = Decimal(3)
#: Fewer authorities than this make no group to stand outside of.
MIN_GROUP = 3


@dataclass(frozen=True)
class Limits:
    """The limits a year or an authority is flagged beyond (settings
    ``TRACKER_JUMP_RISE``, ``TRACKER_JUMP_FALL``, ``TRACKER_OUTLIER_SPREAD``)."""

    rise: Decimal = RISE
    fall: Decimal = FALL
    spread: Decimal = SPREAD

    def __post_init__(self) -> None:
        for name in ("rise", "fall", "spread"):
            problem = limit_problem(name, getattr(self, name))
            if problem:
                raise ValueError(f"the {name} limit {problem}")

    def jump_rule(self) -> str:
        """The jump rule in words, for the pages that show flagged years: "more than 2
        times the year before's, or less than 0.5 times it (a fall of more than 50 %)"."""
        return (
            f"more than {_plain(self.rise)} times the year before's, or less than "
            f"{_plain(self.fall)} times it (a fall of {_fall_pct(self.fall)})"
        )


@dataclass(frozen=True)
class YearFigures:
    """One financial year of one authority: total kgCO2e and in-scope spend."""

    year: int
    kgco2e: Decimal
    in_scope_spend: Decimal

    @property
    def intensity(self) -> Decimal | None:
        return self.kgco2e / self.in_scope_spend if self.in_scope_spend > 0 else None


@dataclass(frozen=True)
class YearFlag:
    """A year to check, and why, in words."""

    year: int
    kind: str  # "total" | "intensity" | "group"
    reason: str


_FILES = "check that the year's files are complete and the authority's own."
_CLASSIFIED = "check how the year's spend was classified."


def _per_spend(currency: str) -> str:
    """ "emissions per £ of in-scope spend" (per $ for a US authority)."""
    return f"emissions per {currency_symbol(currency).strip()} of in-scope spend"


def _plain(value: Decimal) -> str:
    """A threshold as written: 2, 0.5, 50 (never 5E+1)."""
    return f"{value.normalize():f}"


def limit_problem(name: str, value: Decimal) -> str | None:
    """Why ``value`` cannot be the ``rise``, ``fall`` or ``spread`` limit (None if it can):
    a rise and a spread are more than 1; a fall is between 0 and 1."""
    if name == "fall":
        return None if 0 < value < 1 else f"must be between 0 and 1, not {_plain(value)}"
    return None if value > 1 else f"must be more than 1, not {_plain(value)}"


def _fall_pct(fall: Decimal) -> str:
    """A fall limit as a percentage: 0.5 -> ``more than 50 %``."""
    return f"more than {_plain((1 - fall) * 100)} %"


def _times(ratio: Decimal) -> str:
    return f"{ratio.quantize(Decimal('0.1'))} times"


def _jump(
    now: Decimal, before: Decimal, rise: Decimal, fall: Decimal
) -> tuple[Decimal, str] | None:
    if before <= 0 or now < 0:
        return None
    ratio = now / before
    if ratio > rise:
        return ratio, f"more than x{_plain(rise)}"
    if ratio < fall:
        return ratio, f"a fall of {_fall_pct(fall)}"
    return None


def year_jumps(
    years: Iterable[YearFigures],
    fy_start_month: int,
    *,
    rise: Decimal = RISE,
    fall: Decimal = FALL,
    currency: str = "GBP",
) -> list[YearFlag]:
    """Years whose total or intensity moved beyond ``rise``/``fall`` against the year
    before (only when that year has figures too), oldest first; ``currency`` is the
    authority's, which its intensity is per unit of."""
    by_year = {y.year: y for y in years}
    flags: list[YearFlag] = []
    for year in sorted(by_year):
        before = by_year.get(year - 1)
        if before is None:
            continue
        now = by_year[year]
        label, previous = fy_label(year, fy_start_month), fy_label(year - 1, fy_start_month)
        checks = [("total", "emissions", now.kgco2e, before.kgco2e, _FILES)]
        if now.intensity is not None and before.intensity is not None:
            per_spend = _per_spend(currency)
            checks.append(("intensity", per_spend, now.intensity, before.intensity, _CLASSIFIED))
        for kind, what, value, earlier, advice in checks:
            jump = _jump(value, earlier, rise, fall)
            if jump is not None:
                reason = (
                    f"{label}: {what} are {_times(jump[0])} those of {previous} ({jump[1]}); "
                    f"{advice}"
                )
                flags.append(YearFlag(year, kind, reason))
    return flags


def median(values: Iterable[Decimal]) -> Decimal:
    ordered = sorted(values)
    if not ordered:
        raise ValueError("median of no values")
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def group_outliers(
    values: Mapping[str, Decimal | None], *, spread: Decimal = SPREAD
) -> dict[str, Decimal]:
    """The members whose value is more than ``spread`` times the group median or less
    than the median divided by ``spread``: member -> its ratio to the median. Members
    without a value are left out; fewer than ``MIN_GROUP`` values flag nobody."""
    known = {k: v for k, v in values.items() if v is not None}
    if len(known) < MIN_GROUP:
        return {}
    mid = median(known.values())
    if mid <= 0:
        return {}
    return {k: v / mid for k, v in sorted(known.items()) if v > mid * spread or v * spread < mid}


def describe_outlier(what: str, ratio: Decimal, spread: Decimal = SPREAD) -> str:
    """ "135 kg per resident is 7.5 times the group median (more than x3)" in words."""
    side = f"more than x{_plain(spread)}" if ratio > 1 else f"less than 1/{_plain(spread)}"
    return f"{what} is {_times(ratio)} the group median ({side}); check the year's files."


#: x2, a fall of more than 50 %, 3 times the group median (functions above define it)
DEFAULT_LIMITS = Limits()
