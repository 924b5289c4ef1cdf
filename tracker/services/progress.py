"""Targets and progress: an authority's pathway against its current inventories."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain import status as st
from tracker.domain import targets as t
from tracker.domain.baselines import DEFAULT_SIGNIFICANCE_PCT, restatement_notice
from tracker.domain.completeness import part_year_notes
from tracker.domain.periods import fy_label
from tracker.errors import TrackerError
from tracker.models import Authority, Target
from tracker.queries.runs import current_runs
from tracker.services.baselines import (
    current_baseline,
    pending_change,
    record_baseline,
    years_label,
)
from tracker.services.completeness import completeness
from tracker.services.versions import record


def set_target(
    session: Session,
    *,
    authority: Authority,
    baseline_years: list[int],
    target_year: int,
    reduction_pct: Decimal,
    net_zero_year: int | None = None,
    pathway: str = "linear",
    interim: list[tuple[int, Decimal]] | None = None,
    significance_pct: Decimal | None = None,
    actor: str,
) -> Target:
    """Set (or change) the authority's target. The baseline years' current figure is
    recorded as the target's baseline when the target is new, its baseline years change or
    no figure was recorded; otherwise the recorded baseline stays (restate it with
    ``restate_baseline``). Every setting is in the audit log."""
    if pathway not in ("linear", "sbti-1.5c", "sbti-wb2c"):
        raise TrackerError("--pathway must be linear, sbti-1.5c or sbti-wb2c.")
    if not baseline_years:
        raise TrackerError("Give a baseline year.")
    # Validate with the domain model (baseline value is not needed for that).
    try:
        t.Target(
            baseline_year=max(baseline_years),
            baseline_kg=Decimal(1),
            target_year=target_year,
            reduction_pct=reduction_pct,
            net_zero_year=net_zero_year,
            pathway=pathway,  # type: ignore[arg-type]
            interim=tuple(interim or ()),
        )
    except ValueError as exc:
        raise TrackerError(f"Target not valid: {exc}.") from None
    if significance_pct is not None and not Decimal(0) < significance_pct <= Decimal(100):
        raise TrackerError("--significance must be a percentage above 0 and at most 100.")
    years = sorted(set(baseline_years))
    target = session.scalar(select(Target).where(Target.authority_id == authority.id))
    if target is None or target.baseline_kg is None or sorted(target.baseline_years) != years:
        current = current_baseline(session, authority, years)
        if target is None:
            target = Target(authority_id=authority.id)
            session.add(target)
        record_baseline(target, current, actor)
    if significance_pct is not None:
        target.significance_pct = significance_pct
    elif target.significance_pct is None:
        target.significance_pct = DEFAULT_SIGNIFICANCE_PCT
    target.baseline_years = years
    target.target_year = target_year
    target.reduction_pct = reduction_pct
    target.net_zero_year = net_zero_year
    target.pathway = pathway
    target.interim = [[y, str(p)] for y, p in (interim or [])]
    session.flush()
    record(
        session,
        actor=actor,
        action="set target",
        authority=authority,
        year=target_year,
        details={
            "baseline_years": years,
            "baseline_kgco2e": str(target.baseline_kg),
            "baseline_versions": target.baseline_versions,
            "target_year": target_year,
            "reduction_pct": str(reduction_pct),
            "pathway": pathway,
            "significance_pct": str(target.significance_pct),
        },
    )
    return target


@dataclass(frozen=True)
class YearProgress:
    year: int
    actual_kg: Decimal | None
    pathway_kg: Decimal
    status: str | None
    sentence: str | None = None  # the status explained (tracker.domain.status)
    # The months the year's lines cover ("Apr-Jun 2024/25: 3 of 12 months"), and whether
    # it is a part year left out of status and trend (tracker.domain.completeness).
    coverage: str | None = None
    part_year: bool = False


@dataclass(frozen=True)
class Progress:
    authority: str
    baseline_years: list[int]
    baseline_kg: Decimal
    target_year: int
    target_kg: Decimal
    pathway: str
    net_zero_year: int | None
    years: list[YearProgress]
    latest_year: int
    latest_kg: Decimal
    required_annual_cut_kg: Decimal | None
    required_annual_rate: Decimal | None
    budget_kg: Decimal
    budget_used_kg: Decimal
    budget_exhausted_year: int | None
    target_text: str = ""  # the target in words (tracker.domain.status.target_statement)
    # Set when the baseline years' figures changed since the baseline was recorded.
    baseline_notice: str | None = None

    def status_of(self, year: int) -> YearProgress | None:
        return next((y for y in self.years if y.year == year), None)

    @property
    def latest(self) -> YearProgress | None:
        """The latest reported year's status and sentence (what the overview shows)."""
        return self.status_of(self.latest_year)

    def as_dict(self) -> dict[str, Any]:
        def num(v: Decimal | None) -> float | None:
            return None if v is None else float(v)

        return {
            "authority": self.authority,
            "baseline_years": self.baseline_years,
            "baseline_kgco2e": num(self.baseline_kg),
            "target_year": self.target_year,
            "target_kgco2e": num(self.target_kg),
            "pathway": self.pathway,
            "target": self.target_text,
            "baseline_notice": self.baseline_notice,
            "net_zero_year": self.net_zero_year,
            "years": [
                {
                    "year": y.year,
                    "actual_kgco2e": num(y.actual_kg),
                    "pathway_kgco2e": num(y.pathway_kg),
                    "status": y.status,
                    "status_explained": y.sentence,
                    "coverage": y.coverage,
                    "part_year": y.part_year,
                }
                for y in self.years
            ],
            "latest_year": self.latest_year,
            "latest_kgco2e": num(self.latest_kg),
            "required_annual_cut_kgco2e": num(self.required_annual_cut_kg),
            "required_annual_rate": num(self.required_annual_rate),
            "carbon_budget_kgco2e": num(self.budget_kg),
            "budget_used_kgco2e": num(self.budget_used_kg),
            "budget_exhausted_year": self.budget_exhausted_year,
        }


def target_model(target: Target, *, code: str) -> t.Target:
    """The stored target as the domain model, with the baseline it recorded.

    Raises TrackerError when no baseline was recorded (a target set before baselines were
    recorded, whose baseline years had no inventory then).
    """
    if target.baseline_kg is None:
        raise TrackerError(
            f"{code}: the target has no recorded baseline; once its baseline years have an "
            "inventory, record it with `tracker target restate --reason …`."
        )
    return t.Target(
        baseline_year=max(target.baseline_years),
        baseline_kg=Decimal(target.baseline_kg),
        target_year=target.target_year,
        reduction_pct=Decimal(target.reduction_pct),
        net_zero_year=target.net_zero_year,
        pathway=target.pathway,  # type: ignore[arg-type]
        interim=tuple((int(y), Decimal(p)) for y, p in target.interim),
    )


def describe_target(model: t.Target, fy_start_month: int) -> str:
    """The target in words, its years as financial-year labels."""
    return st.target_statement(model, lambda y: fy_label(y, fy_start_month))


def assessment(
    model: t.Target,
    actual: Mapping[int, Decimal],
    year: int,
    *,
    fy_start_month: int,
    part_years: Mapping[int, str] | None = None,
) -> st.Assessment | None:
    """The status of ``year`` and its sentence, by the one rule of ``tracker.domain.status``
    (None for the baseline year and before, and for a year without an inventory)."""
    return st.assess(
        model,
        actual,
        year,
        label=lambda y: fy_label(y, fy_start_month),
        part_years=part_years,
    )


def progress(session: Session, *, authority: Authority) -> Progress:
    """Actual emissions of each year's current inventory against the target pathway."""
    target = session.scalar(select(Target).where(Target.authority_id == authority.id))
    if target is None:
        raise TrackerError(
            f"{authority.code} has no target yet: set one with `tracker target set`."
        )
    actual = {
        r.fy_year: r.total_kgco2e for r in current_runs(session, authority_ids=[authority.id])
    }
    model = target_model(target, code=authority.code)
    coverage = completeness(session, authority)
    part = part_year_notes(coverage)
    baseline_kg = model.baseline_kg
    start = model.baseline_year
    end = max(target.net_zero_year or target.target_year, max(actual))
    path = t.pathway(model, range(start, end + 1))
    years = []
    for y in range(start, end + 1):
        judged = assessment(
            model, actual, y, fy_start_month=authority.fy_start_month, part_years=part
        )
        years.append(
            YearProgress(
                y,
                actual.get(y),
                path[y],
                None if judged is None else judged.status,
                None if judged is None else judged.sentence,
                coverage=coverage[y].describe() if y in coverage else None,
                part_year=y in part and y in actual,
            )
        )
    # Part years are left out of the trend and the budget used: the latest year is the
    # latest complete one (or the latest of all when none is complete).
    whole = {y: v for y, v in actual.items() if y not in part}
    latest = max(whole or actual)
    target_kg = model.level(model.reduction_pct)
    cut = rate = None
    if latest < target.target_year:
        cut = t.required_annual_reduction(latest, actual[latest], target.target_year, target_kg)
        if actual[latest] > 0:
            rate = t.required_annual_rate(latest, actual[latest], target.target_year, target_kg)
    budget = t.carbon_budget(path, start, target.target_year)
    # The budget period starts at the recorded baseline (tracker.domain.status).
    reported = {start: baseline_kg} | {y: v for y, v in whole.items() if y > start}
    used = sum((v for y, v in reported.items() if y <= target.target_year), Decimal(0))
    trend = t.linear_trend(reported) if len(reported) >= 2 else Decimal(0)
    contiguous = all(y in reported for y in range(start, max(reported) + 1))
    exhausted = t.budget_exhausted_year(budget, reported, trend, start) if contiguous else None
    return Progress(
        authority=authority.code,
        baseline_years=list(target.baseline_years),
        baseline_kg=baseline_kg,
        target_year=target.target_year,
        target_kg=target_kg,
        pathway=target.pathway,
        net_zero_year=target.net_zero_year,
        years=years,
        latest_year=latest,
        latest_kg=actual[latest],
        required_annual_cut_kg=cut,
        required_annual_rate=rate,
        budget_kg=budget,
        budget_used_kg=used,
        budget_exhausted_year=exhausted,
        target_text=describe_target(model, authority.fy_start_month),
        baseline_notice=_baseline_notice(target, actual, authority.fy_start_month),
    )


def _baseline_notice(
    target: Target, actual: Mapping[int, Decimal], fy_start_month: int
) -> str | None:
    """ "Baseline restated from X to Y?" when the baseline years' current figure differs
    from the recorded one (None when it does not, or a baseline year has no inventory)."""
    years = list(target.baseline_years)
    if any(y not in actual for y in years):
        return None
    change = pending_change(target, t.baseline_from(actual, years))
    if change is None:
        return None
    return restatement_notice(change, years_label(years, fy_start_month))
