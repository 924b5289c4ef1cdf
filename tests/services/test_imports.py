"""The import service: one transaction, raw files kept by sha256, duplicates refused."""

from __future__ import annotations

import hashlib
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from tracker.db import make_session_factory, session_scope
from tracker.errors import DuplicateImportError, TrackerError
from tracker.importers.limits import ImportLimits
from tracker.models import Authority, ImportBatch, SpendLine, Supplier
from tracker.services import imports
from tracker.services.authorities import add_authority
from tracker.storage import rawfiles

CSV = (
    "Date,Supplier,Amount,SIC\n"
    "01/05/2023,Acme Widgets Limited,100.00,25110\n"
    "02/05/2023,ACME WIDGETS LTD,-20.00,25110\n"
    "03/05/2023,Other Co,not money,\n"
)


def _file(tmp_path: Path, text: str = CSV) -> Path:
    path = tmp_path / "spend.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_stores_lines_batch_and_raw_file(session: Session, tmp_path: Path) -> None:
    authority = add_authority(session, code="I" + uuid.uuid4().hex[:6], name="Import Test")
    path = _file(tmp_path)
    result = imports.import_spend_file(
        session, authority=authority, path=path, data_dir=tmp_path / "store"
    )
    assert (result.rows_read, result.rows_imported, result.rows_rejected) == (3, 2, 1)
    assert result.total_amount == 80
    assert [(e.row, e.column) for e in result.errors] == [(4, "Amount")]
    stored = rawfiles.stored_path(tmp_path / "store", result.sha256)
    assert stored.read_bytes() == path.read_bytes()
    lines = session.scalars(
        select(SpendLine).where(SpendLine.batch_id == result.batch_id).order_by(SpendLine.id)
    ).all()
    assert [(ln.source_row, ln.amount, ln.sic) for ln in lines] == [
        (2, 100, "25110"),
        (3, -20, "25110"),
    ]
    # Two spellings of one supplier are one supplier.
    assert lines[0].supplier_id == lines[1].supplier_id
    assert session.get(Supplier, lines[0].supplier_id) is not None
    batch = session.get(ImportBatch, result.batch_id)
    assert batch is not None and batch.rows_imported == 2 and batch.total_amount == 80

    with pytest.raises(DuplicateImportError, match="already imported"):
        imports.import_spend_file(
            session, authority=authority, path=path, data_dir=tmp_path / "store"
        )


def test_dry_run_stores_nothing(session: Session, tmp_path: Path) -> None:
    authority = add_authority(session, code="D" + uuid.uuid4().hex[:6], name="Dry Run")
    result = imports.import_spend_file(
        session, authority=authority, path=_file(tmp_path), data_dir=tmp_path / "s", dry_run=True
    )
    assert result.batch_id is None and result.rows_imported == 2
    count = session.scalar(
        select(func.count()).select_from(SpendLine).where(SpendLine.authority_id == authority.id)
    )
    assert count == 0
    assert not (tmp_path / "s").exists()


def test_a_failure_part_way_leaves_no_partial_batch(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    factory = make_session_factory(engine)
    code = "F" + uuid.uuid4().hex[:6]
    with session_scope(factory) as session:
        authority_id = add_authority(session, code=code, name="Failure").id

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports, "_insert_lines", boom)
    with pytest.raises(RuntimeError), session_scope(factory) as session:
        authority = session.get_one(Authority, authority_id)
        imports.import_spend_file(
            session, authority=authority, path=_file(tmp_path), data_dir=tmp_path / "s"
        )
    with session_scope(factory) as session:
        batches = session.scalar(
            select(func.count())
            .select_from(ImportBatch)
            .where(ImportBatch.authority_id == authority_id)
        )
        assert batches == 0


def test_a_file_with_no_usable_rows_is_refused(session: Session, tmp_path: Path) -> None:
    authority = add_authority(session, code="N" + uuid.uuid4().hex[:6], name="No Rows")
    path = _file(tmp_path, "Date,Supplier,Amount\n01/05/2023,X,abc\n")
    with pytest.raises(TrackerError, match="no usable spend rows"):
        imports.import_spend_file(session, authority=authority, path=path, data_dir=tmp_path)


def test_upload_size_limit_names_the_limit(session: Session, tmp_path: Path) -> None:
    authority = add_authority(session, code="L" + uuid.uuid4().hex[:6], name="Limit")
    with pytest.raises(TrackerError, match="over the upload limit of 10 bytes"):
        imports.import_spend_file(
            session,
            authority=authority,
            path=_file(tmp_path),
            data_dir=tmp_path,
            limits=ImportLimits(max_bytes=10),
        )


def test_foreign_currency_lines_keep_the_original_amount(session: Session, tmp_path: Path) -> None:
    authority = add_authority(session, code="C" + uuid.uuid4().hex[:6], name="Card Spend")
    path = _file(
        tmp_path,
        "TRANS DATE,ORIGINAL GROSS AMT,ORIGINAL CUR,BILLING GROSS AMT,TRANS TAX AMT,MERCHANT NAME\n"
        "05/02/2020,42.00,EUR,36.35,0.00,Cafe Europa\n"
        "06/02/2020,24.00,GBP,24.00,4.00,Corner Shop\n",
    )
    result = imports.import_spend_file(
        session, authority=authority, path=path, data_dir=tmp_path / "s"
    )
    assert result.amount_rule == "gross-minus-vat"
    lines = session.scalars(
        select(SpendLine).where(SpendLine.batch_id == result.batch_id).order_by(SpendLine.id)
    ).all()
    # Spend is the sterling amount billed, net of VAT; the purchase amount is kept beside it.
    assert [(ln.amount, ln.currency, ln.original_amount, ln.original_currency) for ln in lines] == [
        (Decimal("36.35"), "GBP", Decimal("42.00"), "EUR"),
        (Decimal("20.00"), "GBP", Decimal("24.00"), "GBP"),
    ]


def test_every_column_lands_in_its_place_with_its_class_key(
    session: Session, tmp_path: Path
) -> None:
    """Lines are written as tuples in a fixed column order: each field of the file must
    reach its own column, and the class key must digest the classification fields in
    CLASS_FIELDS order (sic, naics, proclass, mcc, cpv, unspsc, expense type, description,
    supplier, capital/revenue; joined by U+001F, blake2b of 16 bytes), with the capital
    cost centre mark on a line booked to the capital programme."""
    authority = add_authority(session, code="K" + uuid.uuid4().hex[:6], name="Key Test")
    text = (
        "Date,Supplier,Amount,VAT,Gross Amount,SIC,NAICS,ProClass,MCC,CPV,UNSPSC,Expense Type,"
        "Description,Cost Centre,Transaction Number,Capital/Revenue\n"
        "01/05/2023,Acme Ltd,100.00,20.00,120.00,25110,332710,18,5411,44000000-0,31000000,"
        "Building Works,New roof,Capital Programme,T-1,Capital\n"
        "02/05/2023,Bee Co,50.00,0.00,50.00,,,,,,,Stationery,,Libraries,T-2,\n"
    )
    path = tmp_path / "every.csv"
    path.write_text(text, encoding="utf-8")
    result = imports.import_spend_file(
        session, authority=authority, path=path, data_dir=tmp_path / "store"
    )
    lines = session.scalars(
        select(SpendLine).where(SpendLine.batch_id == result.batch_id).order_by(SpendLine.id)
    ).all()
    got = [
        (ln.source_row, str(ln.transaction_date), ln.amount, ln.gross_amount, ln.vat_amount,
         ln.currency, ln.supplier_name, ln.sic, ln.naics, ln.proclass, ln.mcc, ln.cpv,
         ln.unspsc, ln.expense_type, ln.description, ln.cost_centre, ln.transaction_id,
         ln.capital_or_revenue, ln.authority_id)
        for ln in lines
    ]  # fmt: skip
    assert got == [
        (2, "2023-05-01", Decimal("100.00"), Decimal("120.00"), Decimal("20.00"), "GBP",
         "Acme Ltd", "25110", "332710", "18", "5411", "44000000-0", "31000000",
         "Building Works", "New roof", "Capital Programme", "T-1", "Capital", authority.id),
        (3, "2023-05-02", Decimal("50.00"), Decimal("50.00"), Decimal("0.00"), "GBP", "Bee Co",
         None, None, None,
         None, None, None, "Stationery", None, "Libraries", "T-2", None, authority.id),
    ]  # fmt: skip
    first = "\x1f".join(
        ["25110", "332710", "18", "5411", "44000000-0", "31000000", "Building Works",
         "New roof", "Acme Ltd", "Capital"]
    ) + "\x1ecapital cost centre"  # fmt: skip
    second = "\x1f".join(["", "", "", "", "", "", "Stationery", "", "Bee Co", ""])
    assert [ln.class_key for ln in lines] == [
        hashlib.blake2b(first.encode(), digest_size=16).hexdigest(),
        hashlib.blake2b(second.encode(), digest_size=16).hexdigest(),
    ]
    assert lines[0].supplier_id != lines[1].supplier_id
