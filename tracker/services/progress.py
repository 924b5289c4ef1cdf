"""Targets and progress: an authority's pathway against its current inventories."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import queries
from tracker.domain import status as st
from tracker.domain import targets as t
from tracker.domain.periods import fy_label
from tracker.errors import TrackerError
from tracker.models import Authority, Target


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
) -> Target:
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
    target = session.scalar(select(Target).where(Target.authority_id == authority.id))
    if target is None:
        target = Target(authority_id=authority.id)
        session.add(target)
    target.baseline_years = sorted(baseline_years)
    target.target_year = target_year
    target.reduction_pct = reduction_pct
    target.net_zero_year = net_zero_year
    target.pathway = pathway
    target.interim = [[y, str(p)] for y, p in (interim or [])]
    session.flush()
    return target


@dataclass(frozen=True)
class YearProgress:
    year: int
    actual_kg: Decimal | None
    pathway_kg: Decimal
    status: str | None
    sentence: str | None = None  # the status explained (tracker.domain.status)


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
            "net_zero_year": self.net_zero_year,
            "years": [
                {
                    "year": y.year,
                    "actual_kgco2e": num(y.actual_kg),
                    "pathway_kgco2e": num(y.pathway_kg),
                    "status": y.status,
                    "status_explained": y.sentence,
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


def target_model(target: Target, actual: Mapping[int, Decimal], *, code: str) -> t.Target:
    """The stored target as the domain model, its baseline from the actual inventories.

    Raises TrackerError when a baseline year has no inventory.
    """
    missing = [y for y in target.baseline_years if y not in actual]
    if missing:
        raise TrackerError(
            f"{code}: no inventory for baseline year(s) {missing}; import that spend."
        )
    return t.Target(
        baseline_year=max(target.baseline_years),
        baseline_kg=t.baseline_from(actual, target.baseline_years),
        target_year=target.target_year,
        reduction_pct=Decimal(target.reduction_pct),
        net_zero_year=target.net_zero_year,
        pathway=target.pathway,  # type: ignore[arg-type]
        interim=tuple((int(y), Decimal(p)) for y, p in target.interim),
    )


def assessment(
    model: t.Target, actual: Mapping[int, Decimal], year: int, *, fy_start_month: int
) -> st.Assessment | None:
    """The status of ``year`` and its sentence, by the one rule of ``tracker.domain.status``
    (None for the baseline year and before, and for a year without an inventory)."""
    return st.assess(model, actual, year, label=lambda y: fy_label(y, fy_start_month))


def progress(session: Session, *, authority: Authority) -> Progress:
    """Actual emissions of each year's current inventory against the target pathway."""
    target = session.scalar(select(Target).where(Target.authority_id == authority.id))
    if target is None:
        raise TrackerError(
            f"{authority.code} has no target yet: set one with `tracker target set`."
        )
    actual = {
        r.fy_year: r.total_kgco2e
        for r in queries.current_runs(session, authority_ids=[authority.id])
    }
    model = target_model(target, actual, code=authority.code)
    baseline_kg = model.baseline_kg
    start = model.baseline_year
    end = max(target.net_zero_year or target.target_year, max(actual))
    path = t.pathway(model, range(start, end + 1))
    years = []
    for y in range(start, end + 1):
        judged = assessment(model, actual, y, fy_start_month=authority.fy_start_month)
        years.append(
            YearProgress(
                y,
                actual.get(y),
                path[y],
                None if judged is None else judged.status,
                None if judged is None else judged.sentence,
            )
        )
    latest = max(actual)
    target_kg = model.level(model.reduction_pct)
    cut = rate = None
    if latest < target.target_year:
        cut = t.required_annual_reduction(latest, actual[latest], target.target_year, target_kg)
        if actual[latest] > 0:
            rate = t.required_annual_rate(latest, actual[latest], target.target_year, target_kg)
    budget = t.carbon_budget(path, start, target.target_year)
    reported = {y: v for y, v in actual.items() if y >= start}
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
        target_text=st.target_statement(model, lambda y: fy_label(y, authority.fy_start_month)),
    )
