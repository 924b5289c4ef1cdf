"""Build the UK CPI annual index (ONS series D7BT, 2015 = 100).

Source: the raw ONS "full time series" CSV ``price-indices/ons_cpi_index_series.csv``:
an 8-line metadata block of ``"Name","value"`` pairs, then annual rows ``"YYYY"``,
quarterly rows ``"YYYY Qn"`` and monthly rows ``"YYYY MON"``. Only the annual rows are
kept. Output: ``<out>/price-indices/ons-cpi-d7bt/index.csv`` (``year,value``) and
``metadata.json``.

Run: ``python -m factors.build.ons_cpi [--source DIR] [--out DIR]``.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from factors.build._common import (
    OGL_LICENCE,
    OGL_URL,
    SourceDataError,
    csv_bytes,
    read_source,
    run_cli,
    write_table,
)

KEY = "ons-cpi-d7bt"
SOURCE = "price-indices/ons_cpi_index_series.csv"
SOURCE_SHA_PREFIX = "21b88cf6371970dc"
SOURCE_URL = "https://www.ons.gov.uk/economy/inflationandpriceindices/timeseries/d7bt/mm23"
BUILT_BY = "factors/build/ons_cpi.py"
META_KEYS = (
    "Title",
    "CDID",
    "Source dataset ID",
    "PreUnit",
    "Unit",
    "Release date",
    "Next release",
    "Important notes",
)
_ANNUAL = re.compile(r"\d{4}")
_PERIOD = re.compile(r"\d{4}( Q[1-4]| [A-Z]{3})?")


def build(source_dir: Path, out_dir: Path) -> list[Path]:
    data, digest = read_source(source_dir, SOURCE, SOURCE_SHA_PREFIX)
    records = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    head = records[: len(META_KEYS)]
    names = tuple(r[0] if r else "" for r in head)
    if names != META_KEYS:
        raise SourceDataError(f"{SOURCE}: unexpected metadata block {names}")
    info = {r[0]: (r[1] if len(r) > 1 else "") for r in head}
    if info["CDID"] != "D7BT":
        raise SourceDataError(f"{SOURCE}: series is {info['CDID']!r}, expected D7BT")
    release = re.fullmatch(r"(\d{2})-(\d{2})-(\d{4})", info["Release date"])
    if release is None:
        raise SourceDataError(f"{SOURCE}: release date {info['Release date']!r} not DD-MM-YYYY")
    day, month, year = release.groups()

    rows: list[tuple[str, str]] = []
    for n, record in enumerate(records[len(META_KEYS) :], start=len(META_KEYS) + 1):
        if not record:
            continue
        if len(record) != 2 or not _PERIOD.fullmatch(record[0]):
            raise SourceDataError(f"{SOURCE} line {n}: unexpected row {record}")
        if not _ANNUAL.fullmatch(record[0]):
            continue
        try:
            Decimal(record[1])
        except InvalidOperation as exc:
            raise SourceDataError(f"{SOURCE} line {n}: bad value {record[1]!r}") from exc
        rows.append((record[0], record[1]))
    years = [int(r[0]) for r in rows]
    if years != list(range(years[0], years[0] + len(years))):
        raise SourceDataError(f"{SOURCE}: annual rows are not consecutive years")

    metadata: dict[str, Any] = {
        "key": KEY,
        "series": "ONS D7BT",
        "title": info["Title"],
        "dataset": info["Source dataset ID"],
        "publisher": "Office for National Statistics",
        "base": "2015=100",
        "unit": info["Unit"],
        "frequency": "annual (calendar-year average)",
        "release_date": f"{year}-{month}-{day}",
        "next_release": info["Next release"],
        "licence": OGL_LICENCE,
        "licence_url": OGL_URL,
        "attribution": "Source: Office for National Statistics licensed under the Open "
        "Government Licence v3.0.",
        "source_url": SOURCE_URL,
        "source_file": Path(SOURCE).name,
        "source_sha256": digest,
        "first_year": years[0],
        "last_year": years[-1],
        "row_count": len(rows),
        "built_by": BUILT_BY,
    }
    return write_table(
        out_dir / "price-indices" / KEY, "index.csv", csv_bytes(("year", "value"), rows), metadata
    )


def main(argv: Sequence[str] | None = None) -> int:
    return run_cli("Build the ONS CPI (D7BT) annual index table.", build, argv)


if __name__ == "__main__":
    sys.exit(main())
