"""bulk_insert: COPY on PostgreSQL, executemany on SQLite, inside the session's transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

import pytest
from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from tracker.models import Authority, ImportBatch, SpendLine
from tracker.services.authorities import add_authority
from tracker.storage.bulk import bulk_insert

TABLE = cast(Table, SpendLine.__table__)

AMOUNTS = [
    Decimal("0.01"),
    Decimal("-0.01"),
    Decimal("0.00"),
    Decimal("-1234.50"),
    Decimal("1234567890123.45"),
    Decimal("-999999999999.99"),
    Decimal("42"),
]


def _batch(session: Session) -> tuple[Authority, ImportBatch]:
    authority = add_authority(session, code="B" + uuid.uuid4().hex[:6], name="Bulk Test")
    batch = ImportBatch(
        authority_id=authority.id, file_name="bulk.csv", sha256=uuid.uuid4().hex * 2,
        size_bytes=1, file_format="csv", header_row=1, column_mapping={}, amount_rule="amount",
        rows_read=0, rows_imported=0, rows_rejected=0, rows_skipped=0,
        total_amount=Decimal(0), report={},
    )  # fmt: skip
    session.add(batch)
    session.flush()
    return authority, batch


def _rows(authority: Authority, batch: ImportBatch, start: int = 0) -> list[dict[str, Any]]:
    rows = []
    for i, amount in enumerate(AMOUNTS):
        rows.append(
            {
                "authority_id": authority.id,
                "batch_id": batch.id,
                "source_row": start + i + 2,
                "transaction_date": dt.date(2023, 3, 31) + dt.timedelta(days=i),
                "date_precision": "day" if i % 2 else "month",
                "amount": amount,
                "gross_amount": None if i % 3 else (amount * 6 / 5).quantize(Decimal("0.01")),
                "vat_amount": None if i % 3 else (amount / 5).quantize(Decimal("0.01")),
                "currency": "GBP",
                "supplier_id": None,
                "supplier_name": 'Café Olé — Ltd, "quoted"\ttab\\slash' if i == 1 else f"S{i}",
                "description": None if i == 2 else "line\nbreak and 'quote'",
                "expense_type": "Catering",
                "cost_centre": None,
                "transaction_id": f"TX{start + i:06d}",
                "capital_or_revenue": None,
                "sic": "08120",
                "naics": None,
                "proclass": None,
                "mcc": None,
                "cpv": None,
                "unspsc": None,
            }
        )
    return rows


_COLUMNS = [c for c in TABLE.c if c.name != "id"]


def _stored(session: Session, batch_id: int) -> list[tuple[Any, ...]]:
    return [
        tuple(row)
        for row in session.execute(
            select(*_COLUMNS).where(TABLE.c.batch_id == batch_id).order_by(TABLE.c.source_row)
        )
    ]


def _count(session: Session, batch_id: int) -> int:
    return session.scalar(select(func.count()).where(TABLE.c.batch_id == batch_id)) or 0


def test_values_round_trip_exactly(session: Session) -> None:
    authority, batch = _batch(session)
    rows = _rows(authority, batch)
    assert bulk_insert(session, TABLE, rows, chunk=3) == len(rows)
    stored = _stored(session, batch.id)
    names = [c.name for c in _COLUMNS]
    expected = [tuple(row.get(n) for n in names) for row in rows]
    assert stored == expected
    amounts = [r[names.index("amount")] for r in stored]
    assert all(isinstance(a, Decimal) for a in amounts)
    assert [str(a) for a in amounts] == [str(a.quantize(Decimal("0.01"))) for a in AMOUNTS]
    dates = [r[names.index("transaction_date")] for r in stored]
    assert all(type(d) is dt.date for d in dates)


def test_same_rows_as_a_core_insert(session: Session) -> None:
    authority, batch = _batch(session)
    other_authority, other = _batch(session)
    bulk_insert(session, TABLE, _rows(authority, batch))
    session.execute(insert(TABLE), _rows(other_authority, other))
    bulk = [r[2:] for r in _stored(session, batch.id)]  # without authority and batch ids
    core = [r[2:] for r in _stored(session, other.id)]
    assert bulk == core


def test_rollback_removes_the_rows(session: Session) -> None:
    authority, batch = _batch(session)
    session.commit()  # the fixture's savepoint: authority and batch stay
    assert bulk_insert(session, TABLE, _rows(authority, batch)) == len(AMOUNTS)
    assert _count(session, batch.id) == len(AMOUNTS)
    session.rollback()
    assert _count(session, batch.id) == 0
    assert session.get(ImportBatch, batch.id) is not None


def test_generator_in_chunks_missing_keys_and_empty(session: Session) -> None:
    authority, batch = _batch(session)
    consumed: list[int] = []

    def rows() -> Iterator[dict[str, Any]]:
        for i in range(25):
            consumed.append(i)
            row = {
                "authority_id": authority.id, "batch_id": batch.id, "source_row": i,
                "transaction_date": dt.date(2024, 1, 1), "date_precision": "day",
                "amount": Decimal(i) / 4, "currency": "GBP", "supplier_name": f"S{i}",
            }  # fmt: skip
            if i == 7:
                del row["supplier_name"]  # a missing key is stored as NULL
            yield row

    assert bulk_insert(session, TABLE, rows(), chunk=10) == 25
    assert consumed == list(range(25))
    stored = session.execute(
        select(TABLE.c.source_row, TABLE.c.amount, TABLE.c.supplier_name)
        .where(TABLE.c.batch_id == batch.id)
        .order_by(TABLE.c.source_row)
    ).all()
    assert [tuple(r) for r in stored] == [
        (i, (Decimal(i) / 4).quantize(Decimal("0.01")), None if i == 7 else f"S{i}")
        for i in range(25)
    ]
    assert bulk_insert(session, TABLE, iter(())) == 0


def test_unknown_column_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="no column"):
        bulk_insert(session, TABLE, [{"nonsense": 1}])
    with pytest.raises(ValueError, match="chunk"):
        bulk_insert(session, TABLE, [], chunk=0)


def test_explicit_columns_take_rows_with_different_keys(session: Session) -> None:
    """With ``columns``, later rows may carry keys the first lacks; a key outside the
    columns, in any row, is refused rather than dropped."""
    authority, batch = _batch(session)
    base = {
        "authority_id": authority.id, "batch_id": batch.id, "transaction_date":
        dt.date(2024, 1, 1), "date_precision": "day", "amount": Decimal(1), "currency": "GBP",
    }  # fmt: skip
    columns = [*base, "source_row", "supplier_name"]
    rows = [base | {"source_row": 1}, base | {"source_row": 2, "supplier_name": "Later"}]
    assert bulk_insert(session, TABLE, rows, columns=columns) == 2
    stored = session.execute(
        select(TABLE.c.source_row, TABLE.c.supplier_name)
        .where(TABLE.c.batch_id == batch.id)
        .order_by(TABLE.c.source_row)
    ).all()
    assert [tuple(r) for r in stored] == [(1, None), (2, "Later")]
    stray = [base | {"source_row": 3}, base | {"source_row": 4, "sic": "01110"}]
    with pytest.raises(ValueError, match="sic"):
        bulk_insert(session, TABLE, stray, columns=columns)
