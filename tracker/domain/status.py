"""Status against a target: one rule over the pathway and the carbon budget. Pure functions.

For a reported year ``Y`` after the baseline year ``y0`` (``E`` actual, ``P`` pathway,
``B`` the baseline as recorded on the target, ``T`` the target year, ``m`` the at-risk
margin, 5 % by default):

* the budget period starts at the baseline: the baseline year counts ``B`` on both sides,
  so *used to date* is ``U = B + Σ_{y0<y≤Y} E_y`` and the *budget to date* is
  ``BD = Σ_{y0≤y≤Y} P_y``; the *carbon budget* is ``BT = Σ_{y0≤y≤T} P_y``;
* the year the budget runs out, ``X``, is the first year in which cumulative emissions
  from ``y0`` exceed ``BT`` — actual years up to ``Y``, then ``E_Y`` projected along the
  least-squares trend of ``y0..Y`` (``targets.budget_exhausted_year``).

Status in ``Y``:

* **off track** if ``E_Y > P_Y·(1 + m)`` (any ``E_Y > 0`` when ``P_Y = 0``), or the budget
  runs out by the target year (``X ≤ T``);
* otherwise **at risk** if ``E_Y > P_Y`` (above the pathway, within the margin) or
  ``U > BD`` (more of the budget used than the pathway allows by now);
* otherwise **on track**: at or below the pathway, within the budget to date, and the
  budget lasts past the target year at the current trend.

A year with a missing year between ``y0`` and ``Y`` has no status: the budget used to
date is not known. Nor has a part year (fewer than 12 months of lines, not confirmed
complete by an officer), nor a year with a part year between ``y0`` and it.
Reasons: docs/inventory-method.md, "Status".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tracker.domain import targets as t
from tracker.domain.units import to_tonnes

YearLabel = Callable[[int], str]
DEFAULT_AT_RISK_PCT = Decimal(5)
STATUS_NAMES: dict[t.Status, str] = {
    "on track": "On track",
    "at risk": "At risk",
    "off track": "Off track",
}
PATHWAY_NAMES: dict[str, str] = {
    "linear": "straight-line pathway",
    "sbti-1.5c": "SBTi 1.5 °C pathway (4.2 % of the baseline a year)",
    "sbti-wb2c": "SBTi well-below 2 °C pathway (2.5 % of the baseline a year)",
}


def status_meaning(margin_pct: Decimal = DEFAULT_AT_RISK_PCT) -> str:
    """What on track, at risk and off track mean, in words, for pages that show a status."""
    margin = pct_text(margin_pct)
    return (
        "On track: at or below the target pathway, within the carbon budget to date, and "
        "the budget lasts past the target year at the current trend. At risk: above the "
        f"pathway by no more than {margin}, or more of the budget used than the pathway "
        "allows by now. Off track: more than "
        f"{margin} above the pathway, or the budget runs out by the target year."
    )


@dataclass(frozen=True)
class Assessment:
    """The status of one year against a target, with every figure the rule used."""

    year: int
    status: t.Status | None  # None: a year between the baseline and this one is missing
    sentence: str
    actual_kg: Decimal
    pathway_kg: Decimal
    used_kg: Decimal | None = None  # U: baseline + actual emissions after it, to this year
    budget_to_date_kg: Decimal | None = None  # BD
    budget_kg: Decimal | None = None  # BT
    exhausted_year: int | None = None  # X (None: not used up at the current trend)


def tonnes_text(kg: Decimal, places: int | None = None) -> str:
    """``41,198 tCO2e``: whole tonnes, one decimal below 10 t (or ``places`` decimals)."""
    tonnes = to_tonnes(kg)
    if places is None:
        places = 1 if abs(tonnes) < 10 else 0
    quantum = Decimal(1).scaleb(-places)
    return f"{tonnes.quantize(quantum, rounding=ROUND_HALF_UP):,} tCO2e"


def distinct_tonnes(first: Decimal, second: Decimal) -> tuple[str, str]:
    """Both figures as tonnes, with as many decimals (up to the kilogram) as it takes for
    two different figures not to read the same: 4,700 and 4,650 kg → 4.70 and 4.65 t."""
    texts = (tonnes_text(first), tonnes_text(second))
    for places in (1, 2, 3):
        if texts[0] != texts[1] or first == second:
            break
        texts = (tonnes_text(first, places), tonnes_text(second, places))
    return texts


def _pct_text(fraction: Decimal) -> str:
    """A size of difference in whole percent, never rounded to 0 or 100 when it is not."""
    whole = (abs(fraction) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if whole == 0:
        return "less than 1 %"
    if whole == 100 and abs(fraction) < 1:
        return "more than 99 %"
    return f"{whole} %"


def pct_text(pct: Decimal) -> str:
    """``50 %``, ``37.5 %``: a percentage as given, without trailing zeros."""
    return f"{pct.normalize():f} %"


def target_statement(target: t.Target, label: YearLabel) -> str:
    """The target in words: "−50 % by 2030/31 from the 2019/20 baseline of 3,564 tCO2e,
    on a straight-line pathway"."""
    text = (
        f"−{pct_text(target.reduction_pct)} by {label(target.target_year)} from the "
        f"{label(target.baseline_year)} baseline of {tonnes_text(target.baseline_kg)}, "
        f"on a {PATHWAY_NAMES[target.pathway]}"
    )
    if target.net_zero_year is not None:
        text += f"; net zero by {label(target.net_zero_year)}"
    return text


def _join(clauses: list[str]) -> str:
    return clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " and " + clauses[-1]


def _annual_clause(year_label: str, actual: Decimal, path: Decimal) -> str:
    if path == 0:
        return f"{year_label} is {tonnes_text(actual)} against a pathway of zero"
    gap = (actual - path) / path
    if gap == 0:
        return f"{year_label} is on the pathway"
    side = "above" if gap > 0 else "below"
    return f"{year_label} is {_pct_text(gap)} {side} the pathway"


def _budget_clause(
    budget: Decimal, exhausted: int | None, year: int, end: int, label: YearLabel
) -> str:
    if exhausted is None:
        return "the budget is not used up at the current trend"
    if exhausted > end:
        return f"the budget lasts to {label(exhausted)}"
    whole = f"the carbon budget to {label(end)} ({tonnes_text(budget)})"
    if exhausted <= year:
        return f"{whole} ran out in {label(exhausted)}"
    return f"at the current trend {whole} runs out in {label(exhausted)}"


def assess(
    target: t.Target,
    actual_by_year: Mapping[int, Decimal],
    year: int,
    *,
    label: YearLabel,
    at_risk_pct: Decimal = DEFAULT_AT_RISK_PCT,
    part_years: Mapping[int, str] | None = None,
) -> Assessment | None:
    """The status of ``year`` by the module's rule, and the sentence that explains it.

    None for the baseline year and before, and for a year without an inventory. Years
    after ``year`` are ignored, so a past year is judged on what was known then.
    ``part_years`` maps each part year (tracker.domain.completeness) to its note, "part
    year (3 of 12 months)": a part year has no status, and neither has a later year while
    a part year lies between it and the baseline (the budget used is not known).
    """
    if year not in actual_by_year or year <= target.baseline_year:
        return None
    part = part_years or {}
    y0, end = target.baseline_year, target.target_year
    actual = actual_by_year[year]
    path = t.pathway(target, range(y0, max(year, end) + 1))
    year_label = label(year)
    if year in part:
        return Assessment(
            year=year,
            status=None,
            sentence=(f"{year_label} is a {part[year]}: no status until the year is complete."),
            actual_kg=actual,
            pathway_kg=path[year],
        )
    missing = [y for y in range(y0 + 1, year) if y not in actual_by_year]
    partial = [y for y in range(y0 + 1, year) if y in actual_by_year and y in part]
    if missing or partial:
        gaps = []
        if missing:
            gaps.append(f"there is no inventory for {', '.join(label(y) for y in missing)}")
        gaps += [f"{label(y)} is a {part[y]}" for y in partial]
        return Assessment(
            year=year,
            status=None,
            sentence=(
                f"No status for {year_label}: {'; '.join(gaps)}, so the carbon budget "
                f"used since the {label(y0)} baseline is not known."
            ),
            actual_kg=actual,
            pathway_kg=path[year],
        )
    series = {y0: target.baseline_kg} | {y: actual_by_year[y] for y in range(y0 + 1, year + 1)}
    used = sum(series.values(), t.ZERO)
    budget_to_date = t.carbon_budget(path, y0, year)
    budget = t.carbon_budget(path, y0, end)
    trend = t.linear_trend(series)
    exhausted = t.budget_exhausted_year(budget, series, trend, y0)
    runs_out = exhausted is not None and exhausted <= end
    annual = t.status(actual, path[year], at_risk_pct)
    over_to_date = used > budget_to_date
    state: t.Status
    if annual == "off track" or runs_out:
        state = "off track"
    elif annual == "at risk" or over_to_date:
        state = "at risk"
    else:
        state = "on track"
    clauses = [_annual_clause(year_label, actual, path[year])]
    if annual == "at risk":
        clauses[0] += f" (within the {pct_text(at_risk_pct)} margin)"
    if over_to_date:
        used_text, allowed_text = distinct_tonnes(used, budget_to_date)
        clauses.append(
            f"{used_text} emitted since the {label(y0)} baseline is more than the "
            f"pathway's {allowed_text} to date"
        )
    clauses.append(_budget_clause(budget, exhausted, year, end, label))
    return Assessment(
        year=year,
        status=state,
        sentence=f"{STATUS_NAMES[state]}: {_join(clauses)}.",
        actual_kg=actual,
        pathway_kg=path[year],
        used_kg=used,
        budget_to_date_kg=budget_to_date,
        budget_kg=budget,
        exhausted_year=exhausted,
    )
