"""A target's recorded baseline: recording it, checking it against the current inventories,
and restating it with a reason (docs/inventory-method.md, "Baselines that do not move")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain import baselines as b
from tracker.domain.periods import fy_label
from tracker.domain.status import tonnes_text
from tracker.domain.targets import baseline_from
from tracker.errors import TrackerError
from tracker.models import Authority, Target
from tracker.models.base import utcnow
from tracker.queries.runs import current_runs
from tracker.services.versions import record

MICRO = Decimal("0.000001")  # the recorded figure is stored to the milligram


@dataclass(frozen=True)
class CurrentBaseline:
    """The mean of the baseline years' current inventories and their versions."""

    kg: Decimal
    versions: dict[str, int]


def years_label(years: list[int], fy_start_month: int) -> str:
    """ "2019/20", or "2018/19 to 2020/21 (mean)" for a multi-year baseline."""
    first, last = fy_label(min(years), fy_start_month), fy_label(max(years), fy_start_month)
    return first if len(years) == 1 else f"{first} to {last} (mean)"


def current_baseline(session: Session, authority: Authority, years: list[int]) -> CurrentBaseline:
    """The baseline years' current figure; TrackerError naming the years without one."""
    runs = {r.fy_year: r for r in current_runs(session, authority_ids=[authority.id])}
    missing = [y for y in years if y not in runs]
    if missing:
        raise TrackerError(
            f"{authority.code}: no inventory for baseline year(s) "
            f"{', '.join(fy_label(y, authority.fy_start_month) for y in missing)}; "
            "import that spend first."
        )
    mean = baseline_from({y: runs[y].total_kgco2e for y in years}, years)
    return CurrentBaseline(
        kg=mean.quantize(MICRO),
        versions={str(y): runs[y].version for y in sorted(years)},
    )


def record_baseline(target: Target, current: CurrentBaseline, actor: str) -> None:
    target.baseline_kg = current.kg
    target.baseline_versions = current.versions
    target.baseline_recorded_at = utcnow()
    target.baseline_recorded_by = actor


def pending_change(target: Target, current_kg: Decimal) -> b.BaselineChange | None:
    """How the baseline years' current figure differs from the recorded one (None: same)."""
    if target.baseline_kg is None:
        return None
    return b.baseline_change(
        Decimal(target.baseline_kg), current_kg, Decimal(target.significance_pct)
    )


@dataclass(frozen=True)
class Restated:
    old_kg: Decimal | None
    new_kg: Decimal
    change: b.BaselineChange | None


def restate_baseline(
    session: Session, *, authority: Authority, actor: str, reason: str
) -> Restated:
    """Apply the baseline years' current figure to the target, with a reason; the old and
    new figures, versions, who, when and why go to the audit log."""
    if not reason.strip():
        raise TrackerError("A baseline restatement needs a reason (--reason).")
    target = session.scalar(select(Target).where(Target.authority_id == authority.id))
    if target is None:
        raise TrackerError(
            f"{authority.code} has no target yet: set one with `tracker target set`."
        )
    current = current_baseline(session, authority, list(target.baseline_years))
    old_kg = None if target.baseline_kg is None else Decimal(target.baseline_kg)
    old_versions = target.baseline_versions
    change = None if old_kg is None else pending_change(target, current.kg)
    if old_kg is not None and change is None and old_versions == current.versions:
        raise TrackerError(
            f"{authority.code}: the target already uses the baseline years' current figure "
            f"({tonnes_text(old_kg)}); there is nothing to restate."
        )
    record_baseline(target, current, actor)
    record(
        session,
        actor=actor,
        action="restate baseline",
        authority=authority,
        year=max(target.baseline_years),
        reason=reason.strip(),
        details={
            "baseline_years": list(target.baseline_years),
            "from_kgco2e": None if old_kg is None else str(old_kg),
            "to_kgco2e": str(current.kg),
            "from_versions": old_versions,
            "to_versions": current.versions,
            "significant": None if change is None else change.significant,
        },
    )
    session.flush()
    return Restated(old_kg, current.kg, change)
