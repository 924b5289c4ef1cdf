"""Build the US price indices used to move spend to an EPA factor's dollar year.

Tables produced (each ``index.csv`` + ``metadata.json`` under ``<out>/price-indices/``):

* ``bea-detail-io17`` — from ``price-indices/Detail_CPI_IO_17sch.csv`` (useeior v1.7.2 data
  object ``Detail_CPI_IO_17sch``: BEA chain-type price indexes for gross output by detail
  industry, keyed by BEA/USEEIO detail code, 2017 = 100, 1997–2023), reshaped from one
  column per year to the long form ``code,year,value``.
* ``bea-summary-io17`` — the same for ``Summary_CPI_IO_17sch.csv`` (71 summary sectors).
* ``us-gdpdef`` — from FRED ``GDPDEF.csv`` (quarterly, 2017 = 100): annual averages
  ``year,value`` = the mean of the four quarters of each calendar year, rounded half-up to
  3 decimals (the precision of the published quarters). A year without all four quarters
  is left out and listed in the metadata.

The commodity indices carry ``"index_kind": "commodity"`` in their metadata and are loaded
with :func:`factors.registry.load_commodity_price_index`; ``us-gdpdef`` is economy-wide.
Index values are copied as the published text; only the GDP deflator averages are computed.

Run: ``python -m factors.build.bea_price_indices [--source DIR] [--out DIR]``.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from factors.build._common import SourceDataError, csv_bytes, read_source, run_cli, write_table

BUILT_BY = "factors/build/bea_price_indices.py"
DETAIL_KEY = "bea-detail-io17"
SUMMARY_KEY = "bea-summary-io17"
GDPDEF_KEY = "us-gdpdef"
DETAIL_SOURCE = "price-indices/Detail_CPI_IO_17sch.csv"
DETAIL_SHA_PREFIX = "dc60dd161d8cbda0"
SUMMARY_SOURCE = "price-indices/Summary_CPI_IO_17sch.csv"
SUMMARY_SHA_PREFIX = "be960737a75e5640"
GDPDEF_SOURCE = "price-indices/GDPDEF.csv"
GDPDEF_SHA_PREFIX = "f4e4be1a6ebe4c31"

USEEIOR_URL = "https://github.com/USEPA/useeior"
USEEIOR_VERSION = "v1.7.2"
BEA_LICENCE = "Public domain (US federal government data, BEA)"
BEA_LICENCE_NOTE = (
    "The index values are BEA statistics (US federal government work, public domain). The "
    "useeior package that distributes them is MIT-licensed code; the table here carries "
    "data only."
)
GDPDEF_URL = "https://fred.stlouisfed.org/series/GDPDEF"
THREE_PLACES = Decimal("0.001")

_BEA_CODE = re.compile(r"[0-9A-Z]{2,6}")
_QUARTER_DATE = re.compile(r"(\d{4})-(01|04|07|10)-01")


def _number(text: str, where: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise SourceDataError(f"{where}: not a number: {text!r}") from exc
    if not value.is_finite() or value <= 0:
        raise SourceDataError(f"{where}: implausible index value {text!r}")
    return value


def parse_wide_index(data: bytes, source_name: str) -> tuple[list[int], list[tuple[str, str, str]]]:
    """Parse ``BEA_Code,1997,…,2023`` into years and long rows ``(code, year, value)``.

    Values are kept as the published text. Codes must be unique; every cell must be a
    positive number; the years must be consecutive.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader, None)
    if header is None or header[0] != "BEA_Code" or not all(h.isdigit() for h in header[1:]):
        raise SourceDataError(f"{source_name} line 1: unexpected header {header}")
    years = [int(h) for h in header[1:]]
    if not years or years != list(range(years[0], years[0] + len(years))):
        raise SourceDataError(f"{source_name} line 1: years are not consecutive: {years}")
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for record in reader:
        line = reader.line_num
        if not any(f.strip() for f in record):
            continue
        if len(record) != len(header):
            raise SourceDataError(
                f"{source_name} line {line}: {len(record)} fields, expected {len(header)}"
            )
        code = record[0].strip()
        if not _BEA_CODE.fullmatch(code) or code in seen:
            raise SourceDataError(
                f"{source_name} line {line}, column 'BEA_Code': bad or duplicate code {code!r}"
            )
        seen.add(code)
        for year, text in zip(years, record[1:], strict=True):
            _number(text.strip(), f"{source_name} line {line}, column '{year}'")
            rows.append((code, str(year), text.strip()))
    return years, rows


def annual_means(data: bytes, source_name: str) -> tuple[list[tuple[str, str]], list[int]]:
    """Annual averages of a FRED quarterly CSV (``observation_date,VALUE``).

    Returns ``(rows, incomplete_years)``: ``rows`` are ``(year, mean)`` for years with all
    four quarters, the mean rounded half-up to 3 decimals; ``incomplete_years`` are left out.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader, None)
    if header is None or len(header) != 2 or header[0] != "observation_date":
        raise SourceDataError(f"{source_name} line 1: unexpected header {header}")
    quarters: dict[int, dict[str, Decimal]] = {}
    for record in reader:
        line = reader.line_num
        if not record:
            continue
        match = _QUARTER_DATE.fullmatch(record[0].strip()) if len(record) == 2 else None
        if match is None:
            raise SourceDataError(f"{source_name} line {line}: not a quarterly row: {record}")
        year, month = int(match.group(1)), match.group(2)
        if month in quarters.get(year, {}):
            raise SourceDataError(f"{source_name} line {line}: duplicate quarter {record[0]}")
        value = _number(record[1].strip(), f"{source_name} line {line}, column {header[1]!r}")
        quarters.setdefault(year, {})[month] = value
    rows: list[tuple[str, str]] = []
    incomplete: list[int] = []
    for year in sorted(quarters):
        values = quarters[year]
        if len(values) != 4:
            incomplete.append(year)
            continue
        mean = (sum(values.values(), Decimal(0)) / 4).quantize(THREE_PLACES, ROUND_HALF_UP)
        rows.append((str(year), str(mean)))
    return rows, incomplete


def _build_commodity(
    source_dir: Path,
    out_dir: Path,
    *,
    key: str,
    source: str,
    sha_prefix: str,
    level: str,
    r_object: str,
) -> list[Path]:
    data, digest = read_source(source_dir, source, sha_prefix)
    years, rows = parse_wide_index(data, source)
    codes = list(dict.fromkeys(r[0] for r in rows))
    metadata: dict[str, Any] = {
        "key": key,
        "index_kind": "commodity",
        "title": f"BEA chain-type price indexes for gross output by {level} industry "
        f"(2017 IO schema), as distributed in useeior {USEEIOR_VERSION} ({r_object})",
        "publisher": f"US Bureau of Economic Analysis (via EPA useeior {USEEIOR_VERSION})",
        "base": "2017=100",
        "unit": "index, 2017 = 100",
        "frequency": "annual",
        "code_system": f"BEA/USEEIO {level} code (2017 schema)",
        "code_note": "Join to the EPA supply-chain factors on 'Reference USEEIO Code'. EPA "
        "turns industry indices into commodity indices with market shares; for almost all "
        "sectors the detail industry and commodity codes coincide.",
        "licence": BEA_LICENCE,
        "licence_note": BEA_LICENCE_NOTE,
        "attribution": "Source: US Bureau of Economic Analysis, price indexes for gross "
        f"output, as compiled in US EPA useeior {USEEIOR_VERSION}.",
        "source_url": USEEIOR_URL,
        "source_object": f"data/{r_object}.rda (useeior {USEEIOR_VERSION})",
        "source_file": Path(source).name,
        "source_sha256": digest,
        "precision_note": "Values copied as the published text (3 decimals as stored by "
        "useeior; trailing zeros dropped, e.g. 100.0).",
        "first_year": years[0],
        "last_year": years[-1],
        "code_count": len(codes),
        "row_count": len(rows),
        "built_by": BUILT_BY,
    }
    return write_table(
        out_dir / "price-indices" / key,
        "index.csv",
        csv_bytes(("code", "year", "value"), rows),
        metadata,
    )


def build_gdpdef(source_dir: Path, out_dir: Path) -> list[Path]:
    data, digest = read_source(source_dir, GDPDEF_SOURCE, GDPDEF_SHA_PREFIX)
    rows, incomplete = annual_means(data, GDPDEF_SOURCE)
    years = [int(r[0]) for r in rows]
    metadata: dict[str, Any] = {
        "key": GDPDEF_KEY,
        "index_kind": "economy-wide",
        "series": "FRED GDPDEF (BEA NIPA A191RD)",
        "title": "Gross Domestic Product: Implicit Price Deflator, United States, annual "
        "average of the seasonally adjusted quarterly index",
        "publisher": "US Bureau of Economic Analysis (via FRED, Federal Reserve Bank of St. Louis)",
        "base": "2017=100",
        "unit": "index, 2017 = 100",
        "frequency": "annual (mean of the four quarters)",
        "averaging_note": "Each year is the arithmetic mean of its four quarterly values "
        "(Q1-Q4, seasonally adjusted), rounded half-up to 3 decimals like the published "
        "quarters. Years without all four quarters are left out (incomplete_years).",
        "incomplete_years": incomplete,
        "licence": "Public domain (US federal government data, BEA)",
        "attribution": "Source: US Bureau of Economic Analysis, Gross Domestic Product: "
        "Implicit Price Deflator [GDPDEF], retrieved from FRED, Federal Reserve Bank of "
        "St. Louis.",
        "source_url": GDPDEF_URL,
        "source_file": Path(GDPDEF_SOURCE).name,
        "source_sha256": digest,
        "first_year": years[0],
        "last_year": years[-1],
        "row_count": len(rows),
        "built_by": BUILT_BY,
    }
    return write_table(
        out_dir / "price-indices" / GDPDEF_KEY,
        "index.csv",
        csv_bytes(("year", "value"), rows),
        metadata,
    )


def build(source_dir: Path, out_dir: Path) -> list[Path]:
    written = _build_commodity(
        source_dir,
        out_dir,
        key=DETAIL_KEY,
        source=DETAIL_SOURCE,
        sha_prefix=DETAIL_SHA_PREFIX,
        level="detail",
        r_object="Detail_CPI_IO_17sch",
    )
    written += _build_commodity(
        source_dir,
        out_dir,
        key=SUMMARY_KEY,
        source=SUMMARY_SOURCE,
        sha_prefix=SUMMARY_SHA_PREFIX,
        level="summary",
        r_object="Summary_CPI_IO_17sch",
    )
    return written + build_gdpdef(source_dir, out_dir)


def main(argv: Sequence[str] | None = None) -> int:
    return run_cli("Build the BEA price index and US GDP deflator tables.", build, argv)


if __name__ == "__main__":
    sys.exit(main())
