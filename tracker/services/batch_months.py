"""The months an import batch's lines cover (``BatchMonth``): written once with the
batch's lines, removed with them, and read by completeness instead of the lines.

A batch's lines never change after the import (deleting the batch deletes them all), so
the rows written here stay right for as long as the batch is live.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

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
    session: Session, authority_ids: Sequence[int], batch_ids: Collection[int] | None = None
) -> dict[int, list[tuple[int, int]]]:
    """Calendar ``(year, month)`` pairs with at least one line in a live batch, per
    authority (every id of ``authority_ids`` a key), from the batches' recorded months, in
    order; with ``batch_ids``, in those batches only (the live batches the caller read: a
    batch imported since is left out, one deleted since has no months left). Each batch's
    months are read and the batches chosen here, rather than with a list of batch ids
    in the statement (an admin's authorities may have tens of thousands)."""
    if not authority_ids:
        return {}
    months: dict[int, set[tuple[int, int]]] = {a: set() for a in authority_ids}
    rows = session.execute(
        select(BatchMonth.authority_id, BatchMonth.batch_id, BatchMonth.year, BatchMonth.month)
        .join(ImportBatch, ImportBatch.id == BatchMonth.batch_id)
        .where(among(BatchMonth.authority_id, authority_ids), ImportBatch.status == "imported")
    )
    for authority_id, batch_id, year, month in rows:
        if batch_ids is None or batch_id in batch_ids:
            months[authority_id].add((year, month))
    return {a: sorted(pairs) for a, pairs in months.items()}
