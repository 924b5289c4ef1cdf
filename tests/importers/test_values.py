from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tracker.importers import (
    ValueParseError,
    date_order_evidence,
    infer_day_first,
    parse_amount,
    parse_date,
)
from tracker.importers.values import clean_code, clean_text, excel_serial_to_date

D = datetime.date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("£1,234.56", "1234.56"),
        ("-£16,902.11", "-16902.11"),
        ("£-5.00", "-5.00"),
        ("(123.45)", "-123.45"),
        ("5,303.57 ", "5303.57"),
        ("-6,971.43 ", "-6971.43"),
        ("123.45-", "-123.45"),
        ("$1", "1"),
        ("€1,000.10", "1000.10"),
        ("\xa0 900\xa0", "900"),
        ("579.6", "579.6"),
        ("+12", "12"),
        (".5", "0.5"),
        ("1,000,000", "1000000"),
        ("GBP 12.50", "12.50"),
        ("1.5E+03", "1.5E+3"),
        (48.84, "48.84"),
        (0.1 + 0.2, "0.3"),
        (1134.5, "1134.5"),
        (-12.0, "-12.0"),
        (5400, "5400"),
        (Decimal("7.10"), "7.10"),
        (1e15, "1000000000000000.0"),
        (2.5e10, "25000000000.0"),
        (-0.0, "-0.0"),
        (1e-05, "0.00001"),
        (9999999999999998.0, "9999999999999998.0"),
    ],
)
def test_parse_amount(raw: object, expected: str) -> None:
    result = parse_amount(raw)
    assert result == Decimal(expected)
    assert str(result) == str(Decimal(expected))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "amount is empty"),
        ("   ", "amount is empty"),
        (None, "amount is empty"),
        ("ten pounds", "amount 'ten pounds' is not a number"),
        ("1.2.3", "amount '1.2.3' is not a number"),
        ("1 234,56", "is not a number"),
        ("1,23", "is not a number"),
        ("12,34.00", "is not a number"),
        ("--5", "is not a number"),
        ("(-5)", "is not a number"),
        ("£", "is not a number"),
        (float("nan"), "is not a number"),
        (float("inf"), "is not a number"),
        (True, "is not a number"),
        ("1e400", "out of range"),
        (1e20, "out of range"),
        (1e16, "amount 1e.16 is out of range"),
        (10**16, "out of range"),
        ("99,999,999,999,999,999", "out of range"),
    ],
)
def test_parse_amount_rejects(raw: object, message: str) -> None:
    with pytest.raises(ValueParseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_amount(raw)


@pytest.mark.parametrize(
    ("raw", "expected", "precision"),
    [
        ("01/09/2014", D(2014, 9, 1), "day"),
        ("1/9/2014", D(2014, 9, 1), "day"),
        ("01.09.2014", D(2014, 9, 1), "day"),
        ("24/09/14", D(2014, 9, 24), "day"),
        ("01/10/99", D(1999, 10, 1), "day"),
        ("01/10/69", D(2069, 10, 1), "day"),
        ("01/10/70", D(1970, 10, 1), "day"),
        ("2025-03-28", D(2025, 3, 28), "day"),
        ("2019-01-02 00:00:00", D(2019, 1, 2), "day"),
        ("2019-01-02T13:45:00Z", D(2019, 1, 2), "day"),
        ("01-JUN-2012", D(2012, 6, 1), "day"),
        ("3-jun-12", D(2012, 6, 3), "day"),
        ("4 June 2012", D(2012, 6, 4), "day"),
        ("March 6, 2018", D(2018, 3, 6), "day"),
        ("Sep 2014", D(2014, 9, 1), "month"),
        ("September 2014", D(2014, 9, 1), "month"),
        ("Sept 2014", D(2014, 9, 1), "month"),
        ("2014-09", D(2014, 9, 1), "month"),
        ("43771", D(2019, 11, 2), "day"),
        (43771.0, D(2019, 11, 2), "day"),
        (43771, D(2019, 11, 2), "day"),
        (datetime.datetime(2019, 11, 3, 14, 5), D(2019, 11, 3), "day"),
        (D(2020, 2, 29), D(2020, 2, 29), "day"),
    ],
)
def test_parse_date(raw: object, expected: datetime.date, precision: str) -> None:
    assert parse_date(raw) == (expected, precision)


def test_parse_date_month_first() -> None:
    assert parse_date("3/26/2018", day_first=False) == (D(2018, 3, 26), "day")
    assert parse_date("3/6/2018", day_first=False) == (D(2018, 3, 6), "day")
    with pytest.raises(ValueParseError, match="not a valid date"):
        parse_date("3/26/2018")


@pytest.mark.parametrize(
    "raw", ["", None, "soon", "31/02/2023", "Smarch 2014", "13/13/2013", True, 12.5, "2014-13-01"]
)
def test_parse_date_rejects(raw: object) -> None:
    with pytest.raises(ValueParseError):
        parse_date(raw)


def test_infer_day_first_uses_whole_column() -> None:
    assert infer_day_first(["01/02/2018", "3/26/2018"]) is False
    assert infer_day_first(["01/02/2018", "26/3/2018"]) is True
    assert infer_day_first(["01/02/2018", "03/04/2018"]) is True  # ambiguous: UK default
    assert infer_day_first(["2018-01-02", D(2018, 1, 2), ""]) is True
    # a day-first value anywhere wins over month-first-looking ones
    assert infer_day_first(["3/26/2018", "26/3/2018"]) is True
    assert date_order_evidence(["01/02/2018", "03/04/2018"]) == "ambiguous"
    assert date_order_evidence(["2018-01-02", 43771.0]) == "none"
    assert date_order_evidence(["1/2/2018", "3/26/2018"]) == "month-first"


def test_excel_serial() -> None:
    assert excel_serial_to_date(43771) == D(2019, 11, 2)
    assert excel_serial_to_date(45658) == D(2025, 1, 1)
    with pytest.raises(ValueParseError):
        excel_serial_to_date(12)


def test_clean_text_and_codes() -> None:
    assert clean_text("\ufeff Hall Plant Hire\xa0\xa0\xa0 ") == "Hall Plant Hire"
    assert clean_text("\u2020") == ""
    assert clean_text(1900502872.0) == "1900502872"
    assert clean_text(12.5) == "12.5"
    assert clean_text(None) == ""
    assert clean_code("5411.0") == "5411"
    assert clean_code(62090.0) == "62090"
    assert clean_code("08120") == "08120"
    assert clean_code("46279931_1") == "46279931_1"
