"""Import a spend file for an authority: parse, validate, store, all in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from tracker.domain.periods import fy_of
from tracker.domain.suppliers import supplier_key
from tracker.errors import DuplicateImportError, TrackerError
from tracker.importers import ParsedSpend, RowError, SpendRecord, parse_spend_file
from tracker.models import Authority, ImportBatch, SpendLine, Supplier
from tracker.services import rawfiles

INSERT_CHUNK = 5000


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    dry_run: bool
    batch_id: int | None
    file_format: str
    encoding: str | None
    sheet: str | None
    header_row: int
    mapping: dict[str, str]
    amount_rule: str
    rows_read: int
    rows_imported: int
    rows_rejected: int
    rows_skipped: dict[str, int]
    total_amount: Decimal
    date_min: dt.date | None
    date_max: dt.date | None
    errors: list[RowError]
    financial_years: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "dry_run": self.dry_run,
            "file": self.file_name,
            "sha256": self.sha256,
            "format": self.file_format,
            "encoding": self.encoding,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "mapping": self.mapping,
            "amount_rule": self.amount_rule,
            "rows_read": self.rows_read,
            "rows_imported": self.rows_imported,
            "rows_rejected": self.rows_rejected,
            "rows_skipped": self.rows_skipped,
            "total_amount": float(self.total_amount),
            "date_min": self.date_min.isoformat() if self.date_min else None,
            "date_max": self.date_max.isoformat() if self.date_max else None,
            "financial_years": self.financial_years,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in self.errors
            ],
        }


def import_spend_file(
    session: Session,
    *,
    authority: Authority,
    path: Path,
    data_dir: Path,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    max_bytes: int = 200 * 1024 * 1024,
) -> ImportResult:
    """Parse ``path`` and store its lines for ``authority`` in the caller's transaction.

    Raises TrackerError (nothing stored) when the file cannot be imported at all: already
    imported for this authority, unreadable, or without a single usable row.
    """
    if not path.is_file():
        raise TrackerError(f"{path}: no such file.")
    size = path.stat().st_size
    if size > max_bytes:
        raise TrackerError(
            f"{path.name}: the file is {size:,} bytes, over the upload limit of "
            f"{max_bytes:,} bytes."
        )
    sha256 = rawfiles.sha256_of(path)
    earlier = session.scalar(
        select(ImportBatch).where(
            ImportBatch.authority_id == authority.id, ImportBatch.sha256 == sha256
        )
    )
    if earlier is not None:
        raise DuplicateImportError(
            f"{path.name}: this file (sha256 {sha256[:12]}…) was already imported for "
            f"{authority.code} as batch {earlier.id} ({earlier.file_name}, "
            f"{earlier.imported_at:%Y-%m-%d %H:%M}); nothing was stored."
        )
    parsed = parse_spend_file(path, sheet=sheet, mapping=mapping, max_bytes=max_bytes)
    if not parsed.records:
        first = (
            f" First problem: row {parsed.errors[0].row}: {parsed.errors[0].message}"
            if (parsed.errors)
            else ""
        )
        raise TrackerError(
            f"{path.name}: no usable spend rows found ({parsed.rows_read} rows read, "
            f"{len(parsed.errors)} rejected); nothing was stored.{first}"
        )
    result = _result(parsed, sha256, dry_run, authority.fy_start_month)
    if dry_run:
        return result
    rawfiles.store(data_dir, path, sha256)
    batch = ImportBatch(
        authority_id=authority.id,
        file_name=path.name,
        sha256=sha256,
        size_bytes=size,
        file_format=parsed.file_format,
        encoding=parsed.encoding,
        sheet=parsed.sheet,
        header_row=parsed.header_row,
        column_mapping=dict(parsed.mapping),
        amount_rule=parsed.amount_rule,
        rows_read=result.rows_read,
        rows_imported=result.rows_imported,
        rows_rejected=result.rows_rejected,
        rows_skipped=sum(parsed.skipped.values()),
        total_amount=result.total_amount,
        date_min=result.date_min,
        date_max=result.date_max,
        report={
            "skipped": parsed.skipped,
            "delimiter": parsed.delimiter,
            "headers": parsed.headers,
            "errors": [[e.row, e.column, e.message] for e in parsed.errors[:1000]],
            "errors_total": len(parsed.errors),
        },
    )
    session.add(batch)
    session.flush()
    supplier_ids = _supplier_ids(session, (r.supplier for r in parsed.records if r.supplier))
    _insert_lines(session, authority, batch.id, parsed.records, supplier_ids)
    result.batch_id = batch.id
    return result


def _result(parsed: ParsedSpend, sha256: str, dry_run: bool, fy_start: int) -> ImportResult:
    dates = [r.date for r in parsed.records]
    # Rows above the header that look like transactions are reported as errors; count them
    # as read so that imported + rejected + skipped = read.
    above_header = len({e.row for e in parsed.errors if e.row < parsed.header_row})
    return ImportResult(
        file_name=parsed.file_name,
        sha256=sha256,
        dry_run=dry_run,
        batch_id=None,
        file_format=parsed.file_format,
        encoding=parsed.encoding,
        sheet=parsed.sheet,
        header_row=parsed.header_row,
        mapping=dict(parsed.mapping),
        amount_rule=parsed.amount_rule,
        rows_read=parsed.rows_read + above_header,
        rows_imported=len(parsed.records),
        rows_rejected=len({e.row for e in parsed.errors}),
        rows_skipped=dict(parsed.skipped),
        total_amount=sum((r.amount for r in parsed.records), Decimal(0)),
        date_min=min(dates) if dates else None,
        date_max=max(dates) if dates else None,
        errors=list(parsed.errors),
        financial_years=sorted({fy_of(d, fy_start) for d in dates}),
    )


def _supplier_ids(session: Session, names: Iterable[str]) -> dict[str, int]:
    """Map each supplier name to a Supplier id, creating the missing ones in one statement."""
    by_key: dict[str, str] = {}
    for name in names:
        key = supplier_key(name)
        if key:
            by_key.setdefault(key, name[:300])
    keys = list(by_key)
    found: dict[str, int] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        found.update(
            (key, sid)
            for key, sid in session.execute(
                select(Supplier.name_key, Supplier.id).where(Supplier.name_key.in_(chunk))
            )
        )
    missing = [{"name_key": k, "name": by_key[k]} for k in keys if k not in found]
    if missing:
        session.execute(insert(Supplier), missing)
        for i in range(0, len(missing), 500):
            chunk = [m["name_key"] for m in missing[i : i + 500]]
            found.update(
                (key, sid)
                for key, sid in session.execute(
                    select(Supplier.name_key, Supplier.id).where(Supplier.name_key.in_(chunk))
                )
            )
    return {key: found[key] for key in keys}


def _insert_lines(
    session: Session,
    authority: Authority,
    batch_id: int,
    records: Sequence[SpendRecord],
    supplier_ids: dict[str, int],
) -> None:
    table = cast(Table, SpendLine.__table__)
    rows: list[dict[str, Any]] = []
    for r in records:
        rows.append(
            {
                "authority_id": authority.id,
                "batch_id": batch_id,
                "source_row": r.source_row,
                "transaction_date": r.date,
                "date_precision": r.date_precision,
                "amount": r.amount,
                "gross_amount": r.gross_amount,
                "vat_amount": r.vat,
                "currency": (r.currency or authority.currency)[:3],
                "supplier_id": supplier_ids.get(supplier_key(r.supplier)) if r.supplier else None,
                "supplier_name": r.supplier[:300] if r.supplier else None,
                "description": r.description,
                "expense_type": _clip(r.expense_type, 300),
                "cost_centre": _clip(r.cost_centre, 300),
                "transaction_id": _clip(r.transaction_id, 100),
                "capital_or_revenue": _clip(r.capital_or_revenue, 32),
                "sic": _clip(r.sic, 100),
                "naics": _clip(r.naics, 32),
                "proclass": _clip(r.proclass, 32),
                "mcc": _clip(r.mcc, 16),
                "cpv": _clip(r.cpv, 32),
                "unspsc": _clip(r.unspsc, 32),
            }
        )
        if len(rows) >= INSERT_CHUNK:
            session.execute(insert(table), rows)
            rows = []
    if rows:
        session.execute(insert(table), rows)


def _clip(value: str | None, width: int) -> str | None:
    return value[:width] if value else None
