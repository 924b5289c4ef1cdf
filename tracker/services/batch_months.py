"""The months an import batch's lines cover (``BatchMonth``): written once with the
batch's lines, removed with them, and read by completeness instead of the lines.

A batch's lines never change after the import (deleting the batch deletes them all), so
the rows written here stay right for as long as the batch is live.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Integer, cast, delete, extract, func, insert, select
from sqlalchemy.orm import Session

from tracker.models import BatchMonth, ImportBatch, SpendLine
from tracker.queries.sql import among


def record_batch_months(session: Session, batch_id: int) -> None:
    """Sum the stored lines of batch ``batch_id`` per calendar month into ``BatchMonth``
    (one statement, in the database; call it once the batch's lines are stored)."""
    year = cast(extract("year", SpendLine.transaction_date), Integer)
    month = cast(extract("month", SpendLine.transaction_date), Integer)
    per_month = (
        select(
            SpendLine.batch_id,
            year,
            month,
            SpendLine.authority_id,
            func.count(),
            func.sum(SpendLine.amount),
        )
        .where(SpendLine.batch_id == batch_id)
        .group_by(SpendLine.batch_id, year, month, SpendLine.authority_id)
    )
    session.execute(
        insert(BatchMonth).from_select(
            ["batch_id", "year", "month", "authority_id", "lines", "amount"], per_month
        )
    )


def forget_batch_months(session: Session, batch_id: int) -> None:
    """Remove the rows of a batch whose lines are deleted."""
    session.execute(delete(BatchMonth).where(BatchMonth.batch_id == batch_id))


def recorded_months(
    session: Session, authority_ids: Sequence[int], batch_ids: Sequence[int] | None = None
) -> dict[int, list[tuple[int, int]]]:
    """Calendar ``(year, month)`` pairs with at least one line in a live batch, per
    authority (every id of ``authority_ids`` a key), from the batches' recorded months;
    with ``batch_ids``, in those batches only (the live batches the caller read: a batch
    imported since is left out, one deleted since has no months left)."""
    out: dict[int, list[tuple[int, int]]] = {a: [] for a in authority_ids}
    if not authority_ids:
        return out
    stmt = select(BatchMonth.authority_id, BatchMonth.year, BatchMonth.month)
    if batch_ids is None:
        stmt = stmt.join(ImportBatch, ImportBatch.id == BatchMonth.batch_id).where(
            ImportBatch.status == "imported"
        )
    else:
        stmt = stmt.where(among(BatchMonth.batch_id, batch_ids))
    rows = session.execute(
        stmt.where(among(BatchMonth.authority_id, authority_ids)).group_by(
            BatchMonth.authority_id, BatchMonth.year, BatchMonth.month
        )
    )
    for authority_id, year, month in rows:
        out[authority_id].append((year, month))
    return out
