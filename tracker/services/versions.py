"""Inventory versions, period locks, restatements and the audit log."""

from __future__ import annotations

import getpass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.codes import LineStatus
from tracker.domain.decompose import LineVersion, Restatement, explain_restatement
from tracker.domain.periods import fy_label
from tracker.domain.staleness import stale_reasons
from tracker.errors import NotFoundError, TrackerError
from tracker.models import (
    AuditEntry,
    Authority,
    InventoryRun,
    LineEmission,
    PeriodLock,
    SpendLine,
)
from tracker.queries.current import current_run, lock_of
from tracker.services.inventory.runs import ensure_inventory, inputs_for
from tracker.services.recalculate import pending_reason


def default_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    authority: Authority | None,
    year: int | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor,
        action=action,
        authority_id=None if authority is None else authority.id,
        fy_year=year,
        reason=reason,
        details=details or {},
    )
    session.add(entry)
    session.flush()
    return entry


def get_version(session: Session, authority: Authority, year: int, version: int) -> InventoryRun:
    run = session.scalar(
        select(InventoryRun).where(
            InventoryRun.authority_id == authority.id,
            InventoryRun.fy_year == year,
            InventoryRun.version == version,
        )
    )
    if run is None:
        versions = session.scalars(
            select(InventoryRun.version)
            .where(InventoryRun.authority_id == authority.id, InventoryRun.fy_year == year)
            .order_by(InventoryRun.version)
        ).all()
        listed = ", ".join(map(str, versions)) or "none yet"
        raise NotFoundError(
            f"{authority.code} {year} has no inventory version {version} (versions: {listed})."
        )
    return run


def lock_year(
    session: Session,
    *,
    authority: Authority,
    year: int,
    actor: str,
    reason: str,
) -> PeriodLock:
    """Freeze the year's current inventory (computing it first if it is out of date).

    The reason (where the figure was published, say) is required: it is what the audit log
    and a later restatement are read against.
    """
    if not reason.strip():
        raise TrackerError("A lock needs a reason (--reason), e.g. 'published 2024-07'.")
    if lock_of(session, authority.id, year) is not None:
        raise TrackerError(f"{authority.code} {year} is already locked.")
    run = ensure_inventory(session, authority=authority, year=year)
    lock = PeriodLock(
        authority_id=authority.id,
        fy_year=year,
        run_id=run.id,
        locked_by=actor,
        reason=reason.strip(),
    )
    session.add(lock)
    record(
        session,
        actor=actor,
        action="lock",
        authority=authority,
        year=year,
        reason=reason,
        details={"version": run.version, "total_kgco2e": str(run.total_kgco2e)},
    )
    session.flush()
    return lock


def stale_reasons_of(
    session: Session, authority: Authority, year: int, run: InventoryRun
) -> list[str]:
    """What changed (spend, rules, factors, policy) since ``run`` was computed, in words
    (tracker.domain.staleness), and why the last refresh could not bring it up to date
    (a missing exchange rate, say); empty when it is up to date."""
    reasons = stale_reasons(run.inputs, inputs_for(session, authority, year))
    pending = pending_reason(session, authority.id, year)
    if pending is not None:
        reasons.append(f"it could not be recalculated ({pending.rstrip('.')})")
    return reasons


def locked_out_of_date(
    session: Session, authority: Authority, years: list[int] | None = None
) -> list[str]:
    """A note for each locked year (of ``years``; default all) whose inputs changed since
    its locked version: a
    recalculation leaves it as it was locked, so the note says a restatement is needed
    (said after a recalculation, which could otherwise read as having updated it)."""
    notes = []
    locks = session.scalars(
        select(PeriodLock)
        .where(PeriodLock.authority_id == authority.id)
        .order_by(PeriodLock.fy_year)
    )
    for lock in locks:
        run = session.get_one(InventoryRun, lock.run_id)
        if years is not None and lock.fy_year not in years:
            continue
        if stale_reasons(run.inputs, inputs_for(session, authority, lock.fy_year)):
            label = fy_label(lock.fy_year, authority.fy_start_month)
            notes.append(
                f"{label} is locked and its inputs changed since: it is kept as locked; "
                "restate it, with a reason, to bring it up to date."
            )
    return notes


def shown_run(session: Session, authority: Authority, year: int) -> InventoryRun:
    """The run a read shows for ``year``: the locked version, else the latest. Never
    computed here: recalculating is an explicit step (tracker.services.recalculate)."""
    lock = lock_of(session, authority.id, year)
    if lock is not None:
        return session.get_one(InventoryRun, lock.run_id)
    run = current_run(session, authority.id, year)
    if run is None:
        label = fy_label(year, authority.fy_start_month)
        pending = pending_reason(session, authority.id, year)
        if pending is not None:
            raise NotFoundError(f"{authority.code} has no inventory for {label}: {pending}")
        raise NotFoundError(
            f"{authority.code} has no inventory for {label} yet: recalculate it "
            f"(`tracker recalculate --authority {authority.code} --year {year}`) once its "
            "spend is imported."
        )
    return run


def restate_year(
    session: Session,
    *,
    authority: Authority,
    year: int,
    actor: str,
    reason: str,
) -> tuple[InventoryRun, InventoryRun]:
    """Recompute a locked year as a new version, with a reason; the lock moves to it."""
    if not reason.strip():
        raise TrackerError("A restatement needs a reason (--reason).")
    lock = lock_of(session, authority.id, year)
    if lock is None:
        raise TrackerError(
            f"{authority.code} {year} is not locked; its inventory updates by itself. "
            "Lock it first with `tracker lock`."
        )
    old = session.get_one(InventoryRun, lock.run_id)
    new = ensure_inventory(
        session,
        authority=authority,
        year=year,
        force=True,
        reason=reason,
        actor=actor,
    )
    lock.run_id = new.id
    record(
        session,
        actor=actor,
        action="restate",
        authority=authority,
        year=year,
        reason=reason,
        details={
            "from_version": old.version,
            "to_version": new.version,
            "from_kgco2e": str(old.total_kgco2e),
            "to_kgco2e": str(new.total_kgco2e),
        },
    )
    session.flush()
    return old, new


def audit_log(session: Session, authority: Authority) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.authority_id == authority.id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


def _line_versions(session: Session, run: InventoryRun) -> dict[str, LineVersion]:
    """A run's lines as (spend, category, factor, deflator, fx, kg); lines without a
    factor (unclassified or excluded) count with factor 0 in a category of their status."""
    rows = session.execute(
        select(
            LineEmission.spend_line_id,
            SpendLine.amount,
            LineEmission.status,
            LineEmission.category_code,
            LineEmission.factor_value,
            LineEmission.deflator,
            LineEmission.fx_rate,
            LineEmission.kgco2e,
        )
        .join(SpendLine, SpendLine.id == LineEmission.spend_line_id)
        .where(LineEmission.run_id == run.id, SpendLine.authority_id == run.authority_id)
    )
    out: dict[str, LineVersion] = {}
    for line_id, amount, status, code, factor, deflator, fx, kg in rows:
        mapped = status == LineStatus.MAPPED
        out[str(line_id)] = LineVersion(
            spend=Decimal(amount),
            category=(code or "?") if mapped else f"({status})",
            factor=Decimal(factor) if mapped and factor is not None else Decimal(0),
            deflator=Decimal(deflator) if mapped and deflator is not None else Decimal(1),
            kg=Decimal(kg),
            fx=Decimal(fx) if fx is not None else Decimal(1),
        )
    return out


def diff_versions(
    session: Session, authority: Authority, year: int, from_version: int, to_version: int
) -> Restatement:
    """Explain the change between two versions of a year, part by part (kgCO2e)."""
    old = _line_versions(session, get_version(session, authority, year, from_version))
    new = _line_versions(session, get_version(session, authority, year, to_version))
    old_factors = {v.category: v.factor for v in old.values() if v.factor}
    return explain_restatement(old, new, old_factors)
