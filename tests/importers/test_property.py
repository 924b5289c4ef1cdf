"""Property tests: arbitrary input never crashes, and every data row is accounted for."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.importers import (
    ImportFileError,
    ValueParseError,
    parse_amount,
    parse_date,
    parse_spend_file,
)

from .conftest import assert_rows_accounted

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse_bytes(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            result = parse_spend_file(path)
        except ImportFileError as exc:
            assert name in str(exc)
            assert "\n" not in str(exc)
            return
        assert_rows_accounted(result)


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["f.csv", "f.xls", "f.xlsx", "f"]))
def test_random_bytes_only_raise_import_file_error(data: bytes, name: str) -> None:
    _parse_bytes(data, name)


@SETTINGS
@given(st.binary(max_size=500))
def test_random_bytes_after_zip_or_ole_magic(data: bytes) -> None:
    _parse_bytes(b"PK\x03\x04" + data, "z.xlsx")
    _parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + data, "o.xls")


_cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", " ", "\xa0", "†", "Total", "Grand Total", "01/02/2020", "3/26/2020", "2020-13-01",
         "£1,234.56", "(5)", "-£2", "abc", "1,2", "Sep 2014", "43771", "xxx", "0"]
    ),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
)  # fmt: skip


@SETTINGS
@given(
    st.lists(st.lists(_cell, min_size=0, max_size=6), max_size=25),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_random_cells_are_accounted_for(
    rows: list[list[str]], delimiter: str, newline: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(["Date", "Transaction ID", "Amount", "Supplier Name", "VAT", "Description"])
    writer.writerows(rows)
    _parse_bytes(buffer.getvalue().encode("utf-8"), "cells.csv")


@SETTINGS
@given(st.one_of(st.text(max_size=30), st.floats(), st.integers(), st.none(), st.booleans()))
def test_value_parsers_raise_only_value_parse_error(value: object) -> None:
    for parser in (parse_amount, parse_date):
        with contextlib.suppress(ValueParseError):
            parser(value)


@SETTINGS
@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**12,
                   min_value=-(10**12)))  # fmt: skip
def test_formatted_amount_round_trips(value: Decimal) -> None:
    text = f"{abs(value):,.2f}"
    assert parse_amount(text) == abs(value)
    assert parse_amount(f"-£{text}") == -abs(value)
    assert parse_amount(f"({text})") == -abs(value)


@SETTINGS
@given(st.dates(min_value=datetime.date(1970, 1, 1), max_value=datetime.date(2069, 12, 31)))
def test_formatted_dates_round_trip(value: datetime.date) -> None:
    assert parse_date(value.strftime("%d/%m/%Y"))[0] == value
    assert parse_date(value.strftime("%d/%m/%y"))[0] == value
    assert parse_date(value.strftime("%d.%m.%Y"))[0] == value
    assert parse_date(value.isoformat())[0] == value
    assert parse_date(value.strftime("%d-%b-%Y").upper())[0] == value
    assert parse_date(f"{value.month}/{value.day}/{value.year}", day_first=False)[0] == value
