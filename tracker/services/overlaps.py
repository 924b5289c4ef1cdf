"""Rows of a new file that are already stored for the authority (an overlapping upload).

Two rows are the same transaction when their transaction reference, date, supplier
(normalised name) and amount agree. Identical rows inside one file are separate invoices,
so matching counts copies: a key stored twice matches at most two new rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.money import money_exact
from tracker.domain.suppliers import supplier_key
from tracker.importers import SpendRecord
from tracker.models import ImportBatch, SpendLine

Key = tuple[str, dt.date, str, Decimal]


def line_key(
    transaction_id: str | None, day: dt.date, supplier: str | None, amount: Decimal
) -> Key:
    return (transaction_id or "", day, supplier_key(supplier or ""), Decimal(amount))


@dataclass
class OverlapReport:
    rows: int = 0
    amount: Decimal = Decimal(0)
    by_batch: dict[int, int] = field(default_factory=dict)  # earlier batch id -> rows matched
    batch_files: dict[int, str] = field(default_factory=dict)
    overlapping: set[int] = field(default_factory=set)  # indexes into the new records

    def as_dict(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "amount": float(self.amount),
            "batches": [
                {"batch_id": b, "file": self.batch_files.get(b), "rows": n}
                for b, n in sorted(self.by_batch.items())
            ],
        }

    def describe(self, currency: str = "GBP") -> str:
        batches = ", ".join(
            f"batch {b} ({self.batch_files.get(b)}: {n:,} rows)"
            for b, n in sorted(self.by_batch.items())
        )
        amount = money_exact(self.amount, currency)
        return f"{self.rows:,} rows ({amount}) are already stored in {batches}"


def find_overlaps(
    session: Session, *, authority_id: int, records: Sequence[SpendRecord]
) -> OverlapReport:
    report = OverlapReport()
    if not records:
        return report
    first = min(r.date for r in records)
    last = max(r.date for r in records)
    stored: dict[Key, list[int]] = defaultdict(list)
    rows = session.execute(
        select(
            SpendLine.transaction_id,
            SpendLine.transaction_date,
            SpendLine.supplier_name,
            SpendLine.amount,
            SpendLine.batch_id,
        ).where(
            SpendLine.authority_id == authority_id,
            SpendLine.transaction_date.between(first, last),
        )
    )
    for tid, day, supplier, amount, batch_id in rows:
        stored[line_key(tid, day, supplier, amount)].append(batch_id)
    if not stored:
        return report
    by_batch: Counter[int] = Counter()
    for index, record in enumerate(records):
        key = line_key(record.transaction_id, record.date, record.supplier, record.amount)
        copies = stored.get(key)
        if copies:
            batch_id = copies.pop()
            by_batch[batch_id] += 1
            report.overlapping.add(index)
            report.rows += 1
            report.amount += record.amount
    report.by_batch = dict(by_batch)
    if by_batch:
        files = session.execute(
            select(ImportBatch.id, ImportBatch.file_name).where(ImportBatch.id.in_(list(by_batch)))
        )
        report.batch_files = {int(batch_id): str(name) for batch_id, name in files}
    return report
