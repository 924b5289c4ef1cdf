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
    """The rows of ``records`` already stored for the authority (``overlapping`` holds
    their indexes)."""
    finder = OverlapFinder(session, authority_id=authority_id)
    overlapping = finder.check(records)
    report = finder.finish()
    report.overlapping = overlapping
    return report


#: Dates whose stored lines are read in one query.
_DATES_PER_QUERY = 500


class OverlapFinder:
    """The rows of a file already stored for the authority, found chunk by chunk in file
    order: the stored lines of each date are read once, when a chunk first has the date,
    so the file is matched as if whole. Lines of ``batch_id`` (the import storing the
    chunks as it goes) are never taken for earlier ones."""

    def __init__(self, session: Session, *, authority_id: int, batch_id: int | None = None):
        self._session = session
        self._authority_id = authority_id
        self._batch_id = batch_id
        self._dates_read: set[dt.date] = set()
        self._stored: dict[Key, list[int]] = defaultdict(list)
        self._by_batch: Counter[int] = Counter()
        self.report = OverlapReport()

    def check(self, records: Sequence[SpendRecord]) -> set[int]:
        """Indexes (into ``records``) of the rows matching lines stored before."""
        self._read_dates(sorted({r.date for r in records} - self._dates_read))
        found: set[int] = set()
        if not self._stored:
            return found
        stored, report = self._stored, self.report
        for index, record in enumerate(records):
            key = line_key(record.transaction_id, record.date, record.supplier, record.amount)
            copies = stored.get(key)
            if copies:
                self._by_batch[copies.pop()] += 1
                found.add(index)
                report.rows += 1
                report.amount += record.amount
        return found

    def _read_dates(self, dates: Sequence[dt.date]) -> None:
        for start in range(0, len(dates), _DATES_PER_QUERY):
            chunk = dates[start : start + _DATES_PER_QUERY]
            query = select(
                SpendLine.transaction_id,
                SpendLine.transaction_date,
                SpendLine.supplier_name,
                SpendLine.amount,
                SpendLine.batch_id,
            ).where(
                SpendLine.authority_id == self._authority_id,
                SpendLine.transaction_date.in_(chunk),
            )
            if self._batch_id is not None:
                query = query.where(SpendLine.batch_id != self._batch_id)
            for tid, day, supplier, amount, batch_id in self._session.execute(query):
                self._stored[line_key(tid, day, supplier, amount)].append(batch_id)
        self._dates_read.update(dates)

    def finish(self) -> OverlapReport:
        """The report of every chunk checked, with the earlier batches' file names."""
        report = self.report
        report.by_batch = dict(self._by_batch)
        if report.by_batch:
            files = self._session.execute(
                select(ImportBatch.id, ImportBatch.file_name).where(
                    ImportBatch.id.in_(list(report.by_batch))
                )
            )
            report.batch_files = {int(batch_id): str(name) for batch_id, name in files}
        return report
