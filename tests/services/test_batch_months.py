"""The months each import batch covers (batch_month): written by the import, removed
with the batch when it is deleted or replaced, and what completeness reads."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Authority, BatchMonth
from tracker.services import imports
from tracker.services.authorities import add_authority
from tracker.services.batches import delete_batch, get_batch
from tracker.services.completeness import completeness

D = Decimal
# 2023/24 (April start): April and May 2023 (two lines, one a credit note) and January 2024
FIRST = (
    "Date,Supplier,Amount\n"
    "01/04/2023,Acme,100.00\n"
    "30/04/2023,Acme,-20.50\n"
    "15/05/2023,Other,40.00\n"
    "31/01/2024,Acme,7.25\n"
)
# another file overlapping the first in May 2023 (the same row), adding June 2023
SECOND = "Date,Supplier,Amount\n15/05/2023,Other,40.00\n01/06/2023,Other,10.00\n"


def _import(session: Session, authority: Authority, tmp_path: Path, text: str, **kw: str) -> int:
    path = tmp_path / f"{uuid.uuid4().hex}.csv"
    path.write_text(text, encoding="utf-8")
    result = imports.import_spend_file(
        session, authority=authority, path=path, data_dir=tmp_path / "store", **kw
    )
    assert result.batch_id is not None
    return result.batch_id


def _rows(session: Session, authority: Authority) -> list[tuple[int, int, int, int, Decimal]]:
    m = BatchMonth
    return [
        (r.batch_id, r.year, r.month, r.lines, r.amount)
        for r in session.scalars(
            select(m).where(m.authority_id == authority.id).order_by(m.batch_id, m.year, m.month)
        )
    ]


def _months(session: Session, authority: Authority) -> dict[int, list[int]]:
    return {y: c.ordered_months() for y, c in completeness(session, authority).items()}


def test_import_records_each_month_of_its_lines(session: Session, tmp_path: Path) -> None:
    authority = add_authority(session, code="M" + uuid.uuid4().hex[:6], name="Months")
    batch = _import(session, authority, tmp_path, FIRST)
    assert _rows(session, authority) == [
        (batch, 2023, 4, 2, D("79.50")),
        (batch, 2023, 5, 1, D("40.00")),
        (batch, 2024, 1, 1, D("7.25")),
    ]
    assert _months(session, authority) == {2023: [4, 5, 1]}


def test_deleting_a_batch_removes_its_months(session: Session, tmp_path: Path) -> None:
    authority = add_authority(session, code="M" + uuid.uuid4().hex[:6], name="Months")
    first = _import(session, authority, tmp_path, FIRST)
    second = _import(session, authority, tmp_path, SECOND, on_overlap="skip")
    assert [(b, y, m) for b, y, m, _, _ in _rows(session, authority)] == [
        (first, 2023, 4), (first, 2023, 5), (first, 2024, 1), (second, 2023, 6),
    ]  # fmt: skip
    delete_batch(session, authority, get_batch(session, authority, first), reason="wrong file")
    assert _rows(session, authority) == [(second, 2023, 6, 1, D("10.00"))]
    assert _months(session, authority) == {2023: [6]}


def test_replacing_a_batch_keeps_only_the_new_months(session: Session, tmp_path: Path) -> None:
    authority = add_authority(session, code="M" + uuid.uuid4().hex[:6], name="Months")
    _import(session, authority, tmp_path, FIRST)
    second = _import(session, authority, tmp_path, SECOND, on_overlap="replace")
    assert _rows(session, authority) == [
        (second, 2023, 5, 1, D("40.00")),
        (second, 2023, 6, 1, D("10.00")),
    ]
    assert _months(session, authority) == {2023: [5, 6]}
