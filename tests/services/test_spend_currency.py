"""Rows billed in another currency than the authority's are converted as they are imported
(tracker.services.spend_currency), so that every total of amounts adds like with like.

The hand-worked batch (a GBP authority, calendar financial years, rates of 2021 loaded as
a test's own: 0.8696 GBP per EUR, and 1.2435 USD per GBP, so a dollar is 1/1.2435 GBP):

    row  billed           rate          in GBP, to the penny (half away from zero)
    2    1,000.00 GBP     -             1,000.00
    3      115.00 EUR     0.8696          100.004  -> 100.00
    4      -57.50 EUR     0.8696          -50.002  -> -50.00
    5      100.00 USD     1/1.2435         80.4182 -> 80.42
                                        total 1,130.42 GBP (the raw amounts add to 1,157.50)
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.errors import TrackerError
from tracker.models import Authority, BatchMonth, ExchangeRate, ImportBatch, SpendLine
from tracker.services.authorities import add_authority
from tracker.services.imports import import_spend_file
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.reference import load_shipped_reference_data
from tracker.services.spend_currency import converted

MIXED = (
    "Date,Supplier,Amount,Currency,SIC\n"
    "15/03/2021,Road Co,1000.00,GBP,42110\n"
    "16/03/2021,Cafe Europa,115.00,EUR,\n"
    "17/03/2021,Cafe Europa,-57.50,eur,\n"
    "18/03/2021,Soft Inc,100.00,USD,\n"
)


def _authority(session: Session) -> Authority:
    return add_authority(
        session, code="X" + uuid.uuid4().hex[:7].upper(), name="Mixed", fy_start_month=1
    )


def _rates(session: Session) -> None:
    session.add_all([
        ExchangeRate(base="EUR", quote="GBP", year=2021, rate=Decimal("0.8696"), source="test EUR"),
        ExchangeRate(base="GBP", quote="USD", year=2021, rate=Decimal("1.2435"), source="test USD"),
    ])  # fmt: skip
    session.flush()


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / f"{uuid.uuid4().hex[:8]}.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_converted_rounds_half_a_penny_away_from_zero() -> None:
    assert converted(Decimal("115.00"), Decimal("0.8696")) == Decimal("100.00")
    assert converted(Decimal("0.05"), Decimal("0.5")) == Decimal("0.03")  # 0.025
    assert converted(Decimal("-0.05"), Decimal("0.5")) == Decimal("-0.03")


def test_a_mixed_currency_batch_is_stored_and_added_in_the_authoritys_currency(
    session: Session, tmp_path: Path
) -> None:
    load_shipped_reference_data(session)
    _rates(session)
    authority = _authority(session)
    result = import_spend_file(
        session, authority=authority, path=_file(tmp_path, MIXED), data_dir=tmp_path / "s"
    )
    lines = session.execute(
        select(
            SpendLine.amount,
            SpendLine.currency,
            SpendLine.original_amount,
            SpendLine.original_currency,
        )
        .where(SpendLine.batch_id == result.batch_id)
        .order_by(SpendLine.source_row)
    ).all()
    assert [tuple(line) for line in lines] == [
        (Decimal("1000.00"), "GBP", None, None),
        (Decimal("100.00"), "GBP", Decimal("115.00"), "EUR"),
        (Decimal("-50.00"), "GBP", Decimal("-57.50"), "EUR"),
        (Decimal("80.42"), "GBP", Decimal("100.00"), "USD"),
    ]
    assert result.total_amount == Decimal("1130.42")
    batch = session.get_one(ImportBatch, result.batch_id)
    assert batch.total_amount == Decimal("1130.42")
    month = session.scalar(
        select(func.sum(BatchMonth.amount)).where(BatchMonth.batch_id == result.batch_id)
    )
    assert Decimal(month) == Decimal("1130.42")
    # every rate used is named, with its source and what it converted
    assert batch.report["currency_conversions"] == [
        {"currency": "EUR", "year": 2021, "rate": "0.8696", "source": "test EUR", "lines": 2,
         "billed": "57.50", "converted": "50.00"},
        {"currency": "USD", "year": 2021, "rate": str(1 / Decimal("1.2435")),
         "source": "inverse of GBP→USD 1.2435: test USD", "lines": 1, "billed": "100.00",
         "converted": "80.42"},
    ]  # fmt: skip
    assert any("2 line(s) billed in EUR in 2021 converted to GBP at 0.8696" in n
               for n in result.notes)  # fmt: skip
    run = ensure_inventory(session, authority=authority, year=2021)
    assert run.total_spend == Decimal("1130.42")
    assert run.line_count == 4


def test_a_row_without_a_loaded_rate_refuses_the_import(session: Session, tmp_path: Path) -> None:
    authority = _authority(session)
    path = _file(tmp_path, "Date,Supplier,Amount,Currency\n15/03/2021,A,1.00,GBP\n"
                           "16/03/2021,B,2.00,XTS\n")  # fmt: skip
    with pytest.raises(TrackerError) as refused:
        import_spend_file(session, authority=authority, path=path, data_dir=tmp_path / "s")
    message = str(refused.value)
    assert "row 3, column 'Currency': billed in XTS" in message
    assert "no XTS→GBP exchange rate for 2021" in message and "nothing was stored" in message
    stored = session.scalar(
        select(func.count()).select_from(SpendLine).where(SpendLine.authority_id == authority.id)
    )
    assert stored == 0


def test_a_purchase_currency_given_by_the_file_is_kept(session: Session, tmp_path: Path) -> None:
    # A card billed in euros for a purchase in dollars: the line converts the billed euros
    # and keeps the purchase's own dollars as its original amount.
    _rates(session)
    authority = _authority(session)
    path = _file(
        tmp_path,
        "TRANS DATE,ORIGINAL GROSS AMT,ORIGINAL CUR,BILLING GROSS AMT,BILLING CUR CODE,"
        "TRANS TAX AMT,MERCHANT NAME\n"
        "05/02/2021,50.00,USD,42.00,EUR,2.00,Diner\n",
    )
    result = import_spend_file(session, authority=authority, path=path, data_dir=tmp_path / "s")
    line = session.execute(
        select(
            SpendLine.amount,
            SpendLine.gross_amount,
            SpendLine.vat_amount,
            SpendLine.currency,
            SpendLine.original_amount,
            SpendLine.original_currency,
        ).where(SpendLine.batch_id == result.batch_id)
    ).one()
    # net 40.00 EUR x 0.8696 = 34.784 -> 34.78; gross 42.00 x 0.8696 = 36.5232 -> 36.52;
    # VAT 2.00 x 0.8696 = 1.7392 -> 1.74
    assert tuple(line) == (
        Decimal("34.78"),
        Decimal("36.52"),
        Decimal("1.74"),
        "GBP",
        Decimal("50.00"),
        "USD",
    )


def test_a_currency_named_by_symbol_or_word_is_read_as_its_code(
    session: Session, tmp_path: Path
) -> None:
    # "Sterling" and "£" are the authority's pounds, stored as GBP; "€" is EUR, converted
    # at 0.8696: 115.00 EUR -> 100.004 -> 100.00 GBP.
    _rates(session)
    authority = _authority(session)
    path = _file(tmp_path, "Date,Supplier,Amount,Currency\n15/03/2021,A,10.00,Sterling\n"
                           "16/03/2021,B,20.00,£\n17/03/2021,C,115.00,€\n")  # fmt: skip
    result = import_spend_file(session, authority=authority, path=path, data_dir=tmp_path / "s")
    lines = session.execute(
        select(SpendLine.amount, SpendLine.currency, SpendLine.original_currency)
        .where(SpendLine.batch_id == result.batch_id)
        .order_by(SpendLine.source_row)
    ).all()
    assert [tuple(line) for line in lines] == [
        (Decimal("10.00"), "GBP", None),
        (Decimal("20.00"), "GBP", None),
        (Decimal("100.00"), "GBP", "EUR"),
    ]
    assert result.total_amount == Decimal("130.00")
