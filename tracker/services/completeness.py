"""Completeness per year: the months each financial year's stored spend lines cover, and
officers' confirmations that a part year is complete (tracker.domain.completeness)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from tracker.domain import completeness as c
from tracker.domain.periods import fy_label
from tracker.errors import TrackerError
from tracker.models import Authority, ImportBatch, SpendLine, YearConfirmation
from tracker.services.versions import record


def covered_months(
    session: Session, authority_ids: Sequence[int]
) -> dict[int, list[tuple[int, int]]]:
    """Calendar ``(year, month)`` pairs with at least one line in a live batch, per
    authority: one aggregate query."""
    if not authority_ids:
        return {}
    year = extract("year", SpendLine.transaction_date)
    month = extract("month", SpendLine.transaction_date)
    rows = session.execute(
        select(SpendLine.authority_id, year, month)
        .join(ImportBatch, ImportBatch.id == SpendLine.batch_id)
        .where(SpendLine.authority_id.in_(authority_ids), ImportBatch.status == "imported")
        .group_by(SpendLine.authority_id, year, month)
    ).all()
    out: dict[int, list[tuple[int, int]]] = {a: [] for a in authority_ids}
    for authority_id, y, m in rows:
        out[authority_id].append((int(y), int(m)))
    return out


def confirmations(session: Session, authority_ids: Sequence[int]) -> dict[int, dict[int, str]]:
    """Who confirmed which part years complete, per authority."""
    out: dict[int, dict[int, str]] = {a: {} for a in authority_ids}
    if not authority_ids:
        return out
    for row in session.scalars(
        select(YearConfirmation).where(YearConfirmation.authority_id.in_(authority_ids))
    ):
        out[row.authority_id][row.fy_year] = row.confirmed_by
    return out


def completeness(session: Session, authority: Authority) -> dict[int, c.YearCompleteness]:
    """Every financial year the authority's lines touch, with the months covered."""
    return completeness_of(session, [authority])[authority.id]


def completeness_of(
    session: Session, authorities: Sequence[Authority]
) -> dict[int, dict[int, c.YearCompleteness]]:
    """``completeness`` for several authorities, keyed by authority id (two queries)."""
    return completeness_by_id(session, {a.id: a.fy_start_month for a in authorities})


def completeness_by_id(
    session: Session, fy_start_months: Mapping[int, int]
) -> dict[int, dict[int, c.YearCompleteness]]:
    """``completeness`` keyed by authority id, given each one's financial-year start."""
    ids = list(fy_start_months)
    months = covered_months(session, ids)
    confirmed = confirmations(session, ids)
    return {a: c.by_year(months[a], fy_start_months[a], confirmed[a]) for a in ids}


def confirm_complete(
    session: Session, *, authority: Authority, year: int, reason: str, actor: str
) -> YearConfirmation:
    """Record that part year ``year`` is complete (who, when, why), so that status and
    trend count it. A full year needs no confirmation; a year without lines cannot have one."""
    if not reason.strip():
        raise TrackerError("Confirming a part year complete needs a reason (--reason).")
    label = fy_label(year, authority.fy_start_month)
    found = completeness(session, authority).get(year)
    if found is None:
        raise TrackerError(f"{authority.code} {label} has no spend lines to confirm.")
    if found.full:
        raise TrackerError(
            f"{authority.code} {label} already covers 12 of 12 months: nothing to confirm."
        )
    if found.confirmed_by is not None:
        raise TrackerError(
            f"{authority.code} {label} was already confirmed complete by {found.confirmed_by}."
        )
    row = YearConfirmation(
        authority_id=authority.id,
        fy_year=year,
        months_covered=found.months_covered,
        confirmed_by=actor,
        reason=reason.strip(),
    )
    session.add(row)
    record(
        session,
        actor=actor,
        action="confirm complete",
        authority=authority,
        year=year,
        reason=reason.strip(),
        details={"months_covered": found.months_covered, "coverage": found.describe()},
    )
    session.flush()
    return row


def withdraw_confirmation(
    session: Session, *, authority: Authority, year: int, reason: str, actor: str
) -> YearConfirmation:
    """Withdraw the confirmation that part year ``year`` is complete (who, when, why, and
    the confirmation withdrawn, in the audit log): the year is a part year again, left out
    of status and trend until it has 12 months or is confirmed anew. Returns the
    confirmation removed."""
    if not reason.strip():
        raise TrackerError("Withdrawing a confirmation needs a reason (--reason).")
    label = fy_label(year, authority.fy_start_month)
    row = session.get(YearConfirmation, (authority.id, year))
    if row is None:
        raise TrackerError(
            f"{authority.code} {label} was not confirmed complete: nothing to withdraw."
        )
    record(
        session,
        actor=actor,
        action="withdraw confirmation",
        authority=authority,
        year=year,
        reason=reason.strip(),
        details={
            "confirmed_by": row.confirmed_by,
            "confirmed_at": row.confirmed_at.isoformat(),
            "confirmed_because": row.reason,
            "months_covered": row.months_covered,
        },
    )
    session.delete(row)
    session.flush()
    return row
