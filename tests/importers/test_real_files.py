"""Real published spend files from ../shared/data/spend (skipped when the folder is absent).

Expected counts and totals are computed here with the csv module and simple string
clean-up, independently of the importer.
"""

from __future__ import annotations

import csv
import datetime
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tracker.importers import ParsedSpend, parse_spend_file

from .conftest import assert_rows_accounted


def _spend_dir() -> Path:
    env = os.environ.get("TRACKER_SHARED_DIR")
    if env:
        base = Path(env)
        for candidate in (base / "data" / "spend", base / "spend", base):
            if candidate.is_dir():
                return candidate
        return base / "data" / "spend"
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "spend"


SPEND_DIR = _spend_dir()

pytestmark = pytest.mark.shared


def real_file(name: str) -> Path:
    path = SPEND_DIR / name
    if not path.is_file():
        pytest.skip(f"shared reference file not available: {path}")
    return path


def csv_rows(name: str, encoding: str, skip_lines: int = 0) -> Iterator[dict[str, str]]:
    with real_file(name).open(encoding=encoding, newline="") as handle:
        for _ in range(skip_lines):
            next(handle)
        yield from csv.DictReader(handle)


def money(text: str) -> Decimal:
    cleaned = text.strip().replace(",", "").replace("£", "")
    return Decimal(cleaned)


def total(result: ParsedSpend) -> Decimal:
    return sum((r.amount for r in result.records), Decimal(0))


def test_salford_sic() -> None:
    expected = list(csv_rows("uk-salford-2019-sic-enriched.csv", "ascii"))
    result = parse_spend_file(real_file("uk-salford-2019-sic-enriched.csv"))
    assert len(result.records) == len(expected) == 16_793
    assert result.mapping["sic"] == "sicc_int"
    assert result.mapping["date"] == "payment_date"
    assert total(result) == sum(money(row["amount"]) for row in expected)
    assert [r.sic for r in result.records] == [row["sicc_int"].strip() or None for row in expected]
    assert result.errors == []
    assert_rows_accounted(result)


def test_leeds_cp1252() -> None:
    expected = [r for r in csv_rows("uk-leeds-2020-06.csv", "cp1252") if r["Payment Date"]]
    result = parse_spend_file(real_file("uk-leeds-2020-06.csv"))
    assert result.encoding == "cp1252"
    assert len(result.records) == len(expected) == 16_176
    assert result.mapping["date"] == "Payment Date"
    assert "vat" not in result.mapping
    assert total(result) == sum(money(row["Amount"]) for row in expected)
    assert result.skipped == {"blank": 1}
    suppliers = {r.supplier for r in result.records}
    assert "Hall Plant Hire Limited" in suppliers
    assert "Penna Plc" in suppliers
    assert not any(s and s != s.strip("\xa0 ") for s in suppliers)


def test_manchester_csv_disguised_as_xls() -> None:
    expected = list(csv_rows("uk-manchester-2014-09.xls", "cp1252"))
    result = parse_spend_file(real_file("uk-manchester-2014-09.xls"))
    assert (result.file_format, result.encoding) == ("csv", "cp1252")
    assert len(result.records) == len(expected) == 3_584
    assert total(result) == sum(money(row["Net Amount"]) for row in expected)
    negatives = sum(1 for row in expected if row["Net Amount"].startswith("-"))
    assert sum(1 for r in result.records if r.amount < 0) == negatives == 125
    first = expected[0]["Invoice Payment Date"].split(".")
    assert result.records[0].date == datetime.date(int(first[2]), int(first[1]), int(first[0]))


def test_lambeth_preamble_and_total() -> None:
    rows = list(csv_rows("uk-lambeth-2012-06.csv", "utf-8", skip_lines=9))
    data = [r for r in rows if r["Invoice Creation Date"]]
    total_row = next(r for r in rows if r["Body"] == "Total")
    result = parse_spend_file(real_file("uk-lambeth-2012-06.csv"))
    assert result.header_row == 10
    assert len(result.records) == len(data) == 3_155
    assert money(total_row["Invoice Nett Amount"]) == Decimal("40292334.84")
    assert total(result) == money(total_row["Invoice Nett Amount"])
    assert result.skipped["total"] == 1
    assert result.errors == []
    assert_rows_accounted(result)


def test_tameside_summary_rows() -> None:
    rows = list(csv_rows("uk-tameside-2014-09.csv", "ascii"))
    data = [r for r in rows if r["Paid Date"]]
    result = parse_spend_file(real_file("uk-tameside-2014-09.csv"))
    assert len(result.records) == len(data) == 1_244
    assert result.skipped["summary"] == 3
    assert result.errors == []
    assert total(result) == sum(money(r["Sum of Inv Amount"]) for r in data)
    assert result.headers[-1] == "Sum of Inv Amount"


def test_stockport_xls_month_precision() -> None:
    import python_calamine

    path = real_file("uk-stockport-2014-09.xls")
    sheet_name = python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names[0]
    raw = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet_name)
    rows = raw.to_python()[1:]
    result = parse_spend_file(path)
    assert (result.file_format, result.sheet) == ("xls", "Sep 14 Over £500 Spend")
    assert len(result.records) == len(rows) == 2_620
    assert {(r.date, r.date_precision) for r in result.records} == {
        (datetime.date(2014, 9, 1), "month")
    }
    expected_total = sum(Decimal(f"{row[5]:.2f}") for row in rows)
    assert total(result) == expected_total
    assert result.records[0].transaction_id == "1900502872"


def test_phoenix_cr_only_month_first() -> None:
    rows = list(csv_rows("us-phoenix-2018-03.csv", "ascii"))
    result = parse_spend_file(real_file("us-phoenix-2018-03.csv"))
    assert len(result.records) == len(rows) == 54_354
    assert result.date_order == "month-first"
    expected_dates = []
    for row in rows:
        month, day, year = row["Check/Payment Date"].split("/")
        expected_dates.append(datetime.date(int(year), int(month), int(day)))
    assert [r.date for r in result.records] == expected_dates
    assert total(result) == sum(money(r["Invoice Net Amt"]) for r in rows)


def test_trafford_bom() -> None:
    rows = list(csv_rows("uk-trafford-2014-09.csv", "utf-8-sig"))
    result = parse_spend_file(real_file("uk-trafford-2014-09.csv"))
    assert result.encoding == "utf-8-sig"
    assert result.headers[0] == "Body"
    assert len(result.records) == len(rows) == 9_670
    assert total(result) == sum(money(r["Amount"]) for r in rows)
    assert sum(1 for r in result.records if r.proclass) == sum(1 for r in rows if r["ProClass"])


def test_oxford_placeholder_and_trafford_pcard() -> None:
    oxford = parse_spend_file(real_file("uk-oxford-2014-q1.csv"))
    assert len(oxford.records) == 3_859
    assert oxford.skipped == {"placeholder": 1}
    pcard = parse_spend_file(real_file("uk-trafford-pcard-2025-26.csv"))
    assert len(pcard.records) == 14_050
    assert pcard.mapping["mcc"] == "MerchantCategoryCode"
    assert pcard.mapping["date"] == "PaymentDate"


def test_birmingham_header_on_row_802() -> None:
    result = parse_spend_file(real_file("uk-birmingham-pcard-2019-11.xls"))
    assert result.header_row == 802
    assert result.amount_rule == "gross-minus-vat"
    # The 801 transactions above the header are read with its columns (README: 5,707 rows).
    assert len(result.records) == 5_707
    assert [r.source_row for r in result.records[:2]] == [1, 2]
    assert result.records[800].source_row == 801 and result.records[801].source_row == 803
    assert result.errors == []
    assert_rows_accounted(result)


def test_birmingham_mcc_net() -> None:
    result = parse_spend_file(real_file("uk-birmingham-pcard-2020-02.xls"))
    assert len(result.records) == 4_685
    # Sterling spend is the billed amount less VAT; TRANS ORIGINAL NET AMT is in the
    # purchase currency (e.g. 42.00 EUR billed as £36.35), so it is not the spend.
    assert result.amount_rule == "gross-minus-vat"
    assert result.mapping["gross_amount"] == "BILLING GROSS AMT"
    assert result.mapping["vat"] == "TRANS TAX AMT"
    euro = next(r for r in result.records if r.original_currency == "EUR")
    assert (euro.original_amount, euro.amount) == (Decimal("42"), Decimal("36.35"))
    assert result.records[0].mcc == "5542"
    assert all(r.mcc is None or r.mcc.isdigit() for r in result.records)
