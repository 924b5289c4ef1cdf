"""Import batches: list them, show what deleting one would change, delete one as a unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tracker.domain.periods import fy_of
from tracker.errors import NotFoundError, TrackerError
from tracker.models import Authority, ImportBatch, LineEmission, SpendLine
from tracker.queries.current import current_run
from tracker.services.batch_months import forget_batch_months


def list_batches(
    session: Session, authority: Authority, include_deleted: bool = False
) -> list[ImportBatch]:
    stmt = select(ImportBatch).where(ImportBatch.authority_id == authority.id)
    if not include_deleted:
        stmt = stmt.where(ImportBatch.status == "imported")
    return list(session.scalars(stmt.order_by(ImportBatch.id)))


def get_batch(session: Session, authority: Authority, batch_id: int) -> ImportBatch:
    batch = session.get(ImportBatch, batch_id)
    if batch is None or batch.authority_id != authority.id:
        raise NotFoundError(f"No import batch {batch_id} for authority {authority.code}.")
    return batch


@dataclass(frozen=True)
class YearEffect:
    year: int
    lines: int
    spend: Decimal
    kgco2e: Decimal  # attributed to these lines by the year's current inventory
    year_kgco2e: Decimal  # the year's current total


@dataclass(frozen=True)
class BatchEffect:
    batch_id: int
    file_name: str
    lines: int
    spend: Decimal
    years: list[YearEffect]

    @property
    def kgco2e(self) -> Decimal:
        return sum((y.kgco2e for y in self.years), Decimal(0))


def batch_effect(session: Session, authority: Authority, batch: ImportBatch) -> BatchEffect:
    """What deleting ``batch`` removes from each financial year's current inventory."""
    per_year: dict[int, tuple[int, Decimal]] = {}
    rows = session.execute(
        select(SpendLine.transaction_date, func.count(), func.sum(SpendLine.amount))
        .where(SpendLine.batch_id == batch.id, SpendLine.authority_id == authority.id)
        .group_by(SpendLine.transaction_date)
    )
    for day, count, amount in rows:
        year = fy_of(day, authority.fy_start_month)
        lines, spend = per_year.get(year, (0, Decimal(0)))
        per_year[year] = (lines + count, spend + Decimal(amount))
    years = []
    for year, (lines, spend) in sorted(per_year.items()):
        run = current_run(session, authority.id, year)
        kg = Decimal(0)
        if run is not None:
            kg = Decimal(
                session.scalar(
                    select(func.coalesce(func.sum(LineEmission.kgco2e), 0))
                    .join(SpendLine, SpendLine.id == LineEmission.spend_line_id)
                    .where(LineEmission.run_id == run.id, SpendLine.batch_id == batch.id)
                )
                or 0
            )
        total = Decimal(run.total_kgco2e) if run is not None else Decimal(0)
        years.append(YearEffect(year, lines, spend, kg, total))
    return BatchEffect(
        batch_id=batch.id,
        file_name=batch.file_name,
        lines=sum(y.lines for y in years),
        spend=sum((y.spend for y in years), Decimal(0)),
        years=years,
    )


def delete_batch(session: Session, authority: Authority, batch: ImportBatch, reason: str) -> None:
    """Remove the batch's lines (and their calculated emissions); keep the batch record.

    The raw file stays in the store and the batch keeps its counts, with status
    ``deleted``, so the deletion is auditable and the file can be imported again.
    """
    if batch.authority_id != authority.id:
        raise TrackerError(f"Batch {batch.id} does not belong to {authority.code}.")
    if batch.status != "imported":
        raise TrackerError(f"Batch {batch.id} is already {batch.status}.")
    session.execute(
        delete(SpendLine).where(
            SpendLine.batch_id == batch.id, SpendLine.authority_id == authority.id
        )
    )
    forget_batch_months(session, batch.id)
    batch.status = "deleted"
    batch.deleted_at = dt.datetime.now(dt.UTC)
    batch.deleted_reason = reason
    session.flush()
