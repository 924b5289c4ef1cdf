"""Completeness per year: the months each financial year's stored spend lines cover (as
their batches recorded them at import, ``tracker.services.batch_months``), and officers'
confirmations that a part year is complete (tracker.domain.completeness)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain import completeness as c
from tracker.domain.periods import fy_label
from tracker.errors import TrackerError
from tracker.models import Authority, ImportBatch, YearConfirmation
from tracker.queries.sql import among
from tracker.services.batch_months import recorded_months
from tracker.services.versions import record
from tracker.storage.memo import Memo, database_key

Months = list[tuple[int, int]]
#: A live batch as its authority's key names it: id, file hash, import time, lines imported.
Batch = tuple[int, str, object, int]
# An authority's covered months, keyed by the database, the authority and its live batches
# (see _live_batches): lines are only ever added or removed a whole batch at a time, so a
# new, deleted or re-imported batch is a new key. The months of 2,000 authorities fit.
_MONTHS: Memo[Months] = Memo(size=2_000)


def _live_batches(session: Session, authority_ids: Sequence[int]) -> dict[int, tuple[Batch, ...]]:
    """Each authority's live batches, each named by id, file hash, import time and lines
    imported (so a batch id a database hands out again is not the same batch)."""
    out: dict[int, list[Batch]] = {a: [] for a in authority_ids}
    rows = session.execute(
        select(
            ImportBatch.authority_id,
            ImportBatch.id,
            ImportBatch.sha256,
            ImportBatch.imported_at,
            ImportBatch.rows_imported,
        )
        .where(among(ImportBatch.authority_id, authority_ids), ImportBatch.status == "imported")
        .order_by(ImportBatch.authority_id, ImportBatch.id)
    ).all()
    for authority_id, batch_id, sha256, imported_at, lines in rows:
        out[authority_id].append((batch_id, sha256, imported_at, lines))
    return {a: tuple(batches) for a, batches in out.items()}


def covered_months(session: Session, authority_ids: Sequence[int]) -> dict[int, Months]:
    """Calendar ``(year, month)`` pairs with at least one line in a live batch, per
    authority. Each batch's months are recorded at import (``batch_month``, a few rows per
    batch, instead of scanning the lines: a third of a second for 40,000 lines on SQLite),
    and each authority's months are kept (``_MONTHS``) under its live batches and read
    again only when those change."""
    if not authority_ids:
        return {}
    database = database_key(session)
    batches = _live_batches(session, authority_ids)
    out: dict[int, Months] = {}
    for authority_id in authority_ids:
        kept = _MONTHS.get((database, authority_id, batches[authority_id]))
        if kept is not None:
            out[authority_id] = list(kept)
    missing = [a for a in authority_ids if a not in out]
    if missing:
        # the months of the very batches of the key (on PostgreSQL a batch committed since
        # they were read would otherwise be counted, and kept under a key without it)
        live = {batch[0] for a in missing for batch in batches[a]}
        for authority_id, months in recorded_months(session, missing, live).items():
            _MONTHS.put((database, authority_id, batches[authority_id]), list(months))
            out[authority_id] = months
    return out


def confirmations(session: Session, authority_ids: Sequence[int]) -> dict[int, dict[int, str]]:
    """Who confirmed which part years complete, per authority."""
    out: dict[int, dict[int, str]] = {a: {} for a in authority_ids}
    if not authority_ids:
        return out
    for row in session.scalars(
        select(YearConfirmation).where(among(YearConfirmation.authority_id, authority_ids))
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
