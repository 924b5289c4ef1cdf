"""A file imported chunk by chunk is stored as if read whole (issue 18: flat memory).

Each test imports with chunks of a few rows (``CHUNK_ROWS`` patched) and compares with the
same file imported in one chunk, or checks that a refusal found in a later chunk leaves
nothing stored.
"""

from __future__ import annotations

import gc
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import ImportBatch, SpendLine
from tracker.services import imports
from tracker.services.authorities import add_authority
from tracker.services.imports import OtherOrganisationError, OverlapError

HEADER = "Date,Supplier,Amount,Transaction ID,Expense Type\n"


def _csv(tmp_path: Path, rows: list[str], name: str = "spend.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def _rows(count: int, day: str = "{d:02d}/05/2023", first: int = 0) -> list[str]:
    return [
        f"{day.format(d=1 + (i % 12))},Supplier {i % 7} Ltd,{10 + i}.50,T{i},Stationery"
        for i in range(first, first + count)
    ]


def _import(session: Session, path: Path, tmp_path: Path, **options: Any) -> Any:
    authority = options.pop("authority", None) or add_authority(
        session, code="C" + uuid.uuid4().hex[:6], name="Chunk Test"
    )
    return imports.import_spend_file(
        session, authority=authority, path=path, data_dir=tmp_path / "store", **options
    )


def _stored(session: Session, batch_id: int) -> list[tuple[Any, ...]]:
    return [
        tuple(row)
        for row in session.execute(
            select(
                SpendLine.source_row,
                SpendLine.transaction_date,
                SpendLine.amount,
                SpendLine.supplier_name,
                SpendLine.transaction_id,
                SpendLine.class_key,
            )
            .where(SpendLine.batch_id == batch_id)
            .order_by(SpendLine.id)
        )
    ]


def _lines(session: Session, authority_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(SpendLine)
            .where(SpendLine.authority_id == authority_id)
        )
        or 0
    )


def _summary(result: Any) -> dict[str, Any]:
    out: dict[str, Any] = result.as_dict()
    for key in ("batch_id", "sha256", "file"):
        out.pop(key)
    return out


def test_chunks_store_what_one_chunk_does(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _rows(23)
    rows[4] = "07/05/2023,Bad Amount Ltd,not money,T-bad,Stationery"
    rows[17] = ",,,,"  # blank
    whole = _import(session, _csv(tmp_path, rows, "a.csv"), tmp_path)
    monkeypatch.setattr(imports, "CHUNK_ROWS", 4)
    chunked = _import(session, _csv(tmp_path, rows, "b.csv"), tmp_path)
    assert _summary(chunked) == _summary(whole)
    assert (chunked.rows_imported, chunked.rows_rejected) == (21, 1)
    assert _stored(session, chunked.batch_id) == _stored(session, whole.batch_id)
    batch = session.get_one(ImportBatch, chunked.batch_id)
    assert (batch.rows_imported, batch.total_amount) == (21, chunked.total_amount)
    assert batch.report["errors"] == [[6, "Amount", whole.errors[0].message]]


def test_a_later_chunk_reading_dates_month_first_reads_the_file_again(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first chunks' dates read either way; row 20's 05/13/2023 only month-first.
    rows = [*_rows(18, day="05/{d:02d}/2023"), "05/13/2023,Late Ltd,5.00,T-late,Fuel"]
    whole = _import(session, _csv(tmp_path, rows, "a.csv"), tmp_path)
    monkeypatch.setattr(imports, "CHUNK_ROWS", 5)
    reads: list[str] = []
    read = imports._import

    def counted(session: Session, request: Any, evidence: str) -> Any:
        reads.append(evidence)
        return read(session, request, evidence)

    monkeypatch.setattr(imports, "_import", counted)
    chunked = _import(session, _csv(tmp_path, rows, "b.csv"), tmp_path)
    assert reads == ["none", "month-first"]
    assert _summary(chunked) == _summary(whole)
    assert any("month-first" in note for note in chunked.notes)
    assert _stored(session, chunked.batch_id) == _stored(session, whole.batch_id)
    assert {line[1].month for line in _stored(session, chunked.batch_id)} == {5}
    # and back to day-first when a still later chunk has a first part above 12
    rows += [*_rows(5, day="05/{d:02d}/2023", first=50), "25/05/2023,Later Ltd,6.00,T-x,Fuel"]
    flipped = _import(session, _csv(tmp_path, rows, "c.csv"), tmp_path)
    assert reads[2:] == ["none", "month-first", "day-first"]
    monkeypatch.setattr(imports, "CHUNK_ROWS", 10**6)
    once = _import(session, _csv(tmp_path, rows, "d.csv"), tmp_path)
    assert _summary(flipped) == _summary(once)
    assert _stored(session, flipped.batch_id) == _stored(session, once.batch_id)


def test_an_overlap_in_a_later_chunk_stores_nothing(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    authority = add_authority(session, code="O" + uuid.uuid4().hex[:6], name="Overlap")
    _import(session, _csv(tmp_path, _rows(3, first=40), "old.csv"), tmp_path, authority=authority)
    monkeypatch.setattr(imports, "CHUNK_ROWS", 4)
    new = _csv(tmp_path, _rows(30) + _rows(3, first=40), "new.csv")
    with pytest.raises(OverlapError, match="3 rows"):
        _import(session, new, tmp_path, authority=authority)
    assert _lines(session, authority.id) == 3
    batches = session.scalar(
        select(func.count())
        .select_from(ImportBatch)
        .where(ImportBatch.authority_id == authority.id)
    )
    assert batches == 1
    skipped = _import(session, new, tmp_path, authority=authority, on_overlap="skip")
    assert (skipped.rows_imported, skipped.rows_skipped) == (30, {"already stored": 3})
    assert _lines(session, authority.id) == 33


def test_replacing_a_batch_found_in_a_later_chunk(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    authority = add_authority(session, code="R" + uuid.uuid4().hex[:6], name="Replace")
    old = _import(session, _csv(tmp_path, _rows(3, first=40), "old.csv"), tmp_path,
                  authority=authority)  # fmt: skip
    monkeypatch.setattr(imports, "CHUNK_ROWS", 4)
    new = _csv(tmp_path, _rows(30) + _rows(3, first=40), "new.csv")
    result = _import(session, new, tmp_path, authority=authority, on_overlap="replace")
    assert result.replaced_batches == [old.batch_id]
    assert _lines(session, authority.id) == 33
    assert session.get_one(ImportBatch, old.batch_id).status == "deleted"


def test_another_body_named_in_a_later_chunk_stores_nothing(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    authority = add_authority(session, code="B" + uuid.uuid4().hex[:6], name="Own Council")
    text = "Body Name,Date,Supplier,Amount\n" + "".join(
        f"{'Other Borough Council' if i == 20 else 'Own Council'},01/05/2023,S{i},1.00\n"
        for i in range(24)
    )
    path = tmp_path / "body.csv"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(imports, "CHUNK_ROWS", 4)
    with pytest.raises(OtherOrganisationError):
        _import(session, path, tmp_path, authority=authority)
    assert _lines(session, authority.id) == 0


def test_the_collector_is_paused_per_chunk_not_for_the_whole_import(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The collector is the process's: paused for a whole import, every other request's
    # cyclic garbage would wait for the import to end. It is paused while a chunk is
    # stored and running again each time the next chunk is asked for.
    monkeypatch.setattr(imports, "CHUNK_ROWS", 4)
    seen: list[tuple[str, bool]] = []
    insert, opened = imports._insert_lines, imports.open_spend_file

    def storing(*args: Any, **kwargs: Any) -> None:
        seen.append(("store", gc.isenabled()))
        insert(*args, **kwargs)

    def watched(*args: Any, **kwargs: Any) -> Any:
        stream = opened(*args, **kwargs)
        chunks = stream.chunks

        def asked() -> Any:
            for chunk in chunks():
                seen.append(("handed", gc.isenabled()))
                yield chunk

        stream.chunks = asked  # type: ignore[method-assign]
        return stream

    monkeypatch.setattr(imports, "_insert_lines", storing)
    monkeypatch.setattr(imports, "open_spend_file", watched)
    assert gc.isenabled()
    result = _import(session, _csv(tmp_path, _rows(10)), tmp_path)
    assert result.rows_imported == 10
    # 10 rows in chunks of 4: three chunks, each handed over with the collector on and
    # stored with it paused
    assert seen == [("handed", True), ("store", False)] * 3
    assert gc.isenabled()
