"""Reduction targets, pathways, progress status and carbon budgets. Pure functions.

Pathway shapes (``B`` = baseline emissions in the baseline year ``y0``):

* ``linear`` -- straight lines through the waypoints ``(y0, B)``, each interim target
  ``(y, B·(1 − p_y/100))``, the target ``(y_T, B·(1 − p/100))`` and, if set,
  ``(y_NZ, 0)``. Years before ``y0`` hold ``B``; years after the last waypoint hold
  its level.
* ``sbti-1.5c`` / ``sbti-wb2c`` -- the SBTi absolute contraction approach: a linear
  annual reduction of *base-year* emissions, ``B · max(0, 1 − r·(y − y0))`` with
  ``r = 4.2 %/yr`` (1.5 °C) or ``2.5 %/yr`` (well-below 2 °C). Sources: SBTi,
  *Foundations of science-based target setting* (2019) and *SBTi Criteria and
  Recommendations for Near-Term Targets* / *Corporate Net-Zero Standard* v1.0 (2021)
  [recall: rates as commonly cited, not re-checked against the current criteria
  version]. These are benchmark lines: the target's own percentage, interim targets and
  net-zero year do not change them (``meets_sbti`` compares a target with them).

The annual test (``status``): *on track* if actual ≤ pathway; *at risk* if actual exceeds
the pathway by at most ``at_risk_pct`` (default 5 %) of the pathway value; otherwise
*off track*. When the pathway value is 0 only actual ≤ 0 is on track. The status that is
reported combines it with the carbon budget: ``tracker.domain.status``.

Budgets use annual sums (annual inventories report whole years, so the area under the
pathway is Σ of its annual values, not a trapezoid).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Literal

PathwayKind = Literal["linear", "sbti-1.5c", "sbti-wb2c"]
Status = Literal["on track", "at risk", "off track"]

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
SBTI_ANNUAL_RATE: dict[str, Decimal] = {
    "sbti-1.5c": Decimal("0.042"),
    "sbti-wb2c": Decimal("0.025"),
}


@dataclass(frozen=True)
class Target:
    """An absolute reduction target; percentages are of the baseline (50 = halve it)."""

    baseline_year: int
    baseline_kg: Decimal
    target_year: int
    reduction_pct: Decimal
    net_zero_year: int | None = None
    pathway: PathwayKind = "linear"
    interim: tuple[tuple[int, Decimal], ...] = ()

    def __post_init__(self) -> None:
        if self.pathway not in ("linear", *SBTI_ANNUAL_RATE):
            raise ValueError(f"unknown pathway {self.pathway!r}")
        if self.baseline_kg < 0:
            raise ValueError("baseline must be non-negative")
        if self.target_year <= self.baseline_year:
            raise ValueError("target year must be after the baseline year")
        if not ZERO <= self.reduction_pct <= HUNDRED:
            raise ValueError("reduction_pct must be within 0..100")
        if self.net_zero_year is not None and self.net_zero_year <= self.target_year:
            raise ValueError("net-zero year must be after the target year")
        previous = self.baseline_year
        for year, pct in self.interim:
            if not previous < year < self.target_year:
                raise ValueError("interim years must increase strictly inside the target span")
            if not ZERO <= pct <= HUNDRED:
                raise ValueError("interim percentages must be within 0..100")
            previous = year

    def level(self, pct: Decimal) -> Decimal:
        """Emissions after a reduction of ``pct`` % of the baseline."""
        return self.baseline_kg * (ONE - pct / HUNDRED)


def baseline_from(values: Mapping[int, Decimal], years: Sequence[int]) -> Decimal:
    """Multi-year average baseline: ``Σ_{y∈years} E_y / n`` (every year must be present)."""
    if not years:
        raise ValueError("no baseline years given")
    missing = [y for y in years if y not in values]
    if missing:
        raise ValueError(f"no emissions for baseline years {missing}")
    return sum((values[y] for y in years), ZERO) / len(years)


def _waypoints(target: Target) -> list[tuple[int, Decimal]]:
    points = [(target.baseline_year, target.baseline_kg)]
    points += [(y, target.level(p)) for y, p in target.interim]
    points.append((target.target_year, target.level(target.reduction_pct)))
    if target.net_zero_year is not None:
        points.append((target.net_zero_year, ZERO))
    return points


def _linear_value(points: Sequence[tuple[int, Decimal]], year: int) -> Decimal:
    if year <= points[0][0]:
        return points[0][1]
    for (y0, v0), (y1, v1) in pairwise(points):
        if year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return points[-1][1]


def pathway(target: Target, years: Iterable[int]) -> dict[int, Decimal]:
    """Expected emissions per year on the target's pathway (see module docstring)."""
    if target.pathway == "linear":
        points = _waypoints(target)
        return {y: _linear_value(points, y) for y in years}
    rate = SBTI_ANNUAL_RATE[target.pathway]
    out: dict[int, Decimal] = {}
    for y in years:
        elapsed = max(0, y - target.baseline_year)
        out[y] = target.baseline_kg * max(ZERO, ONE - rate * elapsed)
    return out


def sbti_min_reduction_pct(kind: str, baseline_year: int, target_year: int) -> Decimal:
    """Minimum reduction (%) by ``target_year``: ``min(100, 100·r·(y_T − y0))``."""
    return min(HUNDRED, HUNDRED * SBTI_ANNUAL_RATE[kind] * (target_year - baseline_year))


def meets_sbti(target: Target, kind: str) -> bool:
    """True if the target's reduction is at least the SBTi contraction for its span."""
    return target.reduction_pct >= sbti_min_reduction_pct(
        kind, target.baseline_year, target.target_year
    )


def status(actual_kg: Decimal, pathway_kg: Decimal, at_risk_pct: Decimal = Decimal(5)) -> Status:
    """On track (≤ pathway), at risk (≤ pathway·(1 + at_risk_pct/100)) or off track."""
    if actual_kg <= pathway_kg:
        return "on track"
    if pathway_kg > 0 and actual_kg <= pathway_kg * (ONE + at_risk_pct / HUNDRED):
        return "at risk"
    return "off track"


def required_annual_reduction(
    current_year: int, current_kg: Decimal, target_year: int, target_kg: Decimal
) -> Decimal:
    """Constant absolute cut per year still needed: ``(E_now − E_T) / (y_T − y_now)``.

    Negative when current emissions are already below the target level.
    """
    if target_year <= current_year:
        raise ValueError("target year must be after the current year")
    return (current_kg - target_kg) / (target_year - current_year)


def required_annual_rate(
    current_year: int, current_kg: Decimal, target_year: int, target_kg: Decimal
) -> Decimal:
    """Constant compound cut per year (a fraction): ``1 − (E_T / E_now)^(1/(y_T − y_now))``.

    A target of 0 needs a rate of 1 (100 %); a compound path never reaches 0 otherwise.
    """
    if target_year <= current_year:
        raise ValueError("target year must be after the current year")
    if current_kg <= 0 or target_kg < 0:
        raise ValueError("current emissions must be positive and the target non-negative")
    if target_kg == 0:
        return ONE
    return ONE - (target_kg / current_kg) ** (ONE / (target_year - current_year))


def carbon_budget(path: Mapping[int, Decimal], from_year: int, to_year: int) -> Decimal:
    """Σ of annual pathway emissions for ``from_year..to_year`` inclusive."""
    if to_year < from_year:
        raise ValueError("to_year must not be before from_year")
    missing = [y for y in range(from_year, to_year + 1) if y not in path]
    if missing:
        raise ValueError(f"pathway has no value for {missing}")
    return sum((path[y] for y in range(from_year, to_year + 1)), ZERO)


def linear_trend(actual_by_year: Mapping[int, Decimal]) -> Decimal:
    """Least-squares slope (kg per year): ``Σ(x − x̄)(E − Ē) / Σ(x − x̄)²``."""
    if len(actual_by_year) < 2:
        raise ValueError("a trend needs at least two years")
    n = len(actual_by_year)
    x_mean = Decimal(sum(actual_by_year)) / n
    e_mean = sum(actual_by_year.values(), ZERO) / n
    num = sum(((y - x_mean) * (e - e_mean) for y, e in actual_by_year.items()), ZERO)
    den = sum(((y - x_mean) ** 2 for y in actual_by_year), ZERO)
    return num / den


def budget_exhausted_year(
    budget: Decimal,
    actual_by_year: Mapping[int, Decimal],
    trend_per_year: Decimal,
    start_year: int,
    horizon_year: int = 2100,
) -> int | None:
    """First year in which cumulative emissions from ``start_year`` exceed ``budget``.

    Years up to the last reported year use actual emissions (no gaps allowed); later
    years are projected from the last actual value ``E_L`` at the linear trend,
    ``max(0, E_L + trend·(y − L))``. Returns ``None`` if the budget is never exceeded
    (projection falls to 0 first, or ``horizon_year`` is reached).
    """
    if not actual_by_year:
        raise ValueError("no actual emissions given")
    last = max(actual_by_year)
    cumulative = ZERO
    for year in range(start_year, horizon_year + 1):
        if year <= last:
            if year not in actual_by_year:
                raise ValueError(f"no actual emissions for {year}")
            emitted = actual_by_year[year]
        else:
            emitted = max(ZERO, actual_by_year[last] + trend_per_year * (year - last))
        cumulative += emitted
        if cumulative > budget:
            return year
        if year > last and emitted == 0 and trend_per_year <= 0:
            return None
    return None
