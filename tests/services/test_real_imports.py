"""Every real spend file in ../shared/data/spend imports through the import service with
the row count, total and date range its README implies.

Expectations are computed here, independently of the importer, with the csv module or
python-calamine and the per-file rules the data README documents (which rows are
transactions, which column holds the date and the sterling amount, and their formats).
Skipped when ../shared is absent.
"""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import SPEND_PUBLISHERS, shared_file
from tracker.models import SpendLine
from tracker.services.authorities import add_authority
from tracker.services.imports import import_spend_file

pytestmark = pytest.mark.shared

Row = dict[str, object]


@dataclass(frozen=True)
class Expected:
    rows: int
    total: Decimal
    first: dt.date
    last: dt.date


def money(value: object) -> Decimal:
    if isinstance(value, float):
        return Decimal(str(value))
    text = str(value).strip().replace(",", "").replace("£", "")
    return Decimal(text)


def csv_rows(path: Path, encoding: str, skip: int = 0) -> Iterator[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        for _ in range(skip):
            next(fh)
        yield from csv.DictReader(fh)


def sheet_rows(path: Path, header_row: int = 0) -> list[Row]:
    wb = CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_name(wb.sheet_names[0]).to_python()
    header = [str(h) for h in rows[header_row]]
    return [dict(zip(header, r, strict=False)) for i, r in enumerate(rows) if i != header_row]


def expect(
    rows: Iterator[dict[str, str]] | list[Row],
    keep: Callable[[Row], bool],
    date: Callable[[Row], dt.date],
    amount: Callable[[Row], Decimal],
) -> Expected:
    kept = [r for r in rows if keep(r)]
    dates = [date(r) for r in kept]
    return Expected(len(kept), sum((amount(r) for r in kept), Decimal(0)), min(dates), max(dates))


def strp(fmt: str, column: str) -> Callable[[Row], dt.date]:
    return lambda r: dt.datetime.strptime(str(r[column]).strip(), fmt).date()


def cell_date(column: str) -> Callable[[Row], dt.date]:
    def get(r: Row) -> dt.date:
        value = r[column]
        return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[return-value]

    return get


def has(*columns: str) -> Callable[[Row], bool]:
    return lambda r: all(str(r.get(c) or "").strip() for c in columns)


def birmingham(path: Path, header_row: int) -> Expected:
    # Sterling spend net of VAT = BILLING GROSS AMT (GBP) − TRANS TAX AMT; the ORIGINAL
    # columns are in the purchase currency (README; e.g. 42 EUR billed as £36.35).
    return expect(
        sheet_rows(path, header_row),
        has("TRANS DATE"),
        cell_date("TRANS DATE"),
        lambda r: money(r["BILLING GROSS AMT"]) - money(r["TRANS TAX AMT"]),
    )


def expected_for(name: str, path: Path) -> Expected:
    if name == "uk-leeds-2020-06.csv":
        return expect(
            csv_rows(path, "cp1252"),
            has("Payment Date"),
            strp("%d/%m/%Y", "Payment Date"),
            lambda r: money(r["Amount"]),
        )
    if name == "uk-lambeth-2012-06.csv":
        return expect(
            csv_rows(path, "utf-8", skip=9),
            has("Invoice Creation Date"),
            strp("%d/%m/%Y", "Invoice Creation Date"),
            lambda r: money(r["Invoice Nett Amount"]),
        )
    if name == "uk-oxford-2014-q1.csv":
        return expect(
            csv_rows(path, "ascii"),
            has("paid_date"),
            strp("%d/%m/%Y", "paid_date"),
            lambda r: money(r["amount"]),
        )
    if name == "uk-trafford-2014-09.csv":
        return expect(
            csv_rows(path, "utf-8-sig"),
            has("Date"),
            strp("%d/%m/%Y", "Date"),
            lambda r: money(r["Amount"]),
        )
    if name == "uk-tameside-2014-09.csv":
        return expect(
            csv_rows(path, "ascii"),
            has("Paid Date", "Inv Transaction"),
            strp("%d/%m/%y", "Paid Date"),
            lambda r: money(r["Sum of Inv Amount"]),
        )
    if name == "uk-manchester-2014-09.xls":
        return expect(
            csv_rows(path, "cp1252"),
            has("Invoice Payment Date"),
            strp("%d.%m.%Y", "Invoice Payment Date"),
            lambda r: money(r["Net Amount"]),
        )
    if name == "uk-stockport-2014-09.xls":
        return expect(
            sheet_rows(path),
            has("Clearing Date"),
            strp("%b %Y", "Clearing Date"),
            lambda r: money(r["Amount £"]),
        )
    if name == "uk-birmingham-pcard-2019-11.xls":
        return birmingham(path, header_row=801)
    if name == "uk-birmingham-pcard-2020-02.xls":
        return birmingham(path, header_row=0)
    if name == "uk-trafford-pcard-2025-26.csv":
        return expect(
            csv_rows(path, "ascii"),
            has("PaymentDate"),
            strp("%Y-%m-%d", "PaymentDate"),
            lambda r: money(r["Amount"]),
        )
    if name == "uk-salford-2019-sic-enriched.csv":
        return expect(
            csv_rows(path, "ascii"),
            has("payment_date"),
            strp("%Y-%m-%d", "payment_date"),
            lambda r: money(r["amount"]),
        )
    if name == "us-phoenix-2018-03.csv":
        return expect(
            csv_rows(path, "ascii"),
            has("Check/Payment Date"),
            strp("%m/%d/%Y", "Check/Payment Date"),
            lambda r: money(r["Invoice Net Amt"]),
        )
    raise AssertionError(name)  # pragma: no cover


# Row counts stated in shared/data/spend/README.md ("Data rows").
README_ROWS = {
    "uk-leeds-2020-06.csv": 16_176,
    "uk-lambeth-2012-06.csv": 3_155,
    "uk-oxford-2014-q1.csv": 3_859,
    "uk-trafford-2014-09.csv": 9_670,
    "uk-tameside-2014-09.csv": 1_244,
    "uk-manchester-2014-09.xls": 3_584,
    "uk-stockport-2014-09.xls": 2_620,
    "uk-birmingham-pcard-2019-11.xls": 5_707,
    "uk-birmingham-pcard-2020-02.xls": 4_685,
    "uk-trafford-pcard-2025-26.csv": 14_050,
    "uk-salford-2019-sic-enriched.csv": 16_793,
    "us-phoenix-2018-03.csv": 54_354,
}


@pytest.mark.parametrize("name", sorted(README_ROWS))
def test_real_file_imports_whole(name: str, session: Session, tmp_path: Path) -> None:
    path = shared_file("spend", name)
    want = expected_for(name, path)
    assert want.rows == README_ROWS[name]
    currency = "USD" if name.startswith("us-") else "GBP"
    authority = add_authority(
        session,
        code="R" + uuid.uuid4().hex[:8],
        name=SPEND_PUBLISHERS[name],
        currency=currency,
        country=currency[:2],
    )
    result = import_spend_file(session, authority=authority, path=path, data_dir=tmp_path)
    assert result.rows_imported == want.rows
    assert result.total_amount == want.total
    assert (result.date_min, result.date_max) == (want.first, want.last)
    stored = session.execute(
        select(func.count(), func.sum(SpendLine.amount)).where(
            SpendLine.batch_id == result.batch_id
        )
    ).one()
    assert stored[0] == want.rows
    assert Decimal(stored[1]) == want.total
