"""Build the Defra / University of Leeds UK spend multipliers (by SIC product group).

Editions produced (``<out>/defra-uk-sic/<edition>/factors.csv`` + ``metadata.json``):

* ``to-2023`` — from the pipe-delimited extract ``uk-spend-multipliers-sic-2015-2023.txt``
  of "Spend-based emissions multipliers, 1997 to 2023" (sheet GHG_SIC_multipliers),
  years 2015–2023.
* ``to-2022`` — from ``eeio-factors-by-sic-2022.csv`` (a faithful conversion of the
  "to 2022" ODS), year 2022 only, GHG column only.

Canonical group code: the publisher's code with all whitespace removed and leading zeros
of the division dropped (``01`` → ``1``, ``10.2 -3`` → ``10.2-3``), which is the form of
the to-2023 extract apart from the stray space. Every change is listed in the metadata
under ``code_changes``. Factor values are copied as the published text, never re-rendered.

Run: ``python -m factors.build.defra_uk [--source DIR] [--out DIR]``.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
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

KEY = "defra-uk-sic"
PUBLISHER = "Defra / University of Leeds"
BUILT_BY = "factors/build/defra_uk.py"
HEADER = ("code", "name", "year", "kgco2e_per_unit")
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Source: Department for Environment, Food & Rural Affairs (Defra) and University of "
    "Leeds, UK and England's carbon footprint."
)
GWP_NOTE = "The source file does not state the GWP set used; not recorded here."
CODE_NOTE = (
    "Codes are the publisher's SIC 2007 product-group codes with whitespace removed and "
    "leading zeros of the division dropped (e.g. '01' -> '1', '10.2 -3' -> '10.2-3')."
)

TXT_2023 = "defra-uk-carbon-footprint/uk-spend-multipliers-sic-2015-2023.txt"
TXT_2023_SHA_PREFIX = "3f77ddee2becdb43"
CSV_2022 = "defra-uk-carbon-footprint/eeio-factors-by-sic-2022.csv"
CSV_2022_SHA_PREFIX = "e0de763ba4350a1c"
ODS_2022 = "defra-uk-carbon-footprint/eeio-factors-by-sic-2022.ods"
ODS_2022_SHA_PREFIX = "71e057c54ce2b52c"

_FLOAT_ARTEFACT = re.compile(r"\d+\.\d{6,}")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, start=1)}


def canonical_code(raw: str) -> str:
    """Canonical Defra group code: no whitespace, no leading zeros on the division."""
    code = re.sub(r"\s+", "", raw)
    if _FLOAT_ARTEFACT.fullmatch(code):
        # A code stored as a binary float (20.399999999999999); shortest repr is the label.
        code = repr(float(code))
    code = re.sub(r"^0+(?=\d)", "", code)
    if not code:
        raise SourceDataError(f"empty SIC group code in {raw!r}")
    return code


def _check_value(text: str, where: str) -> str:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise SourceDataError(f"{where}: not a number: {text!r}") from exc
    if not value.is_finite() or value < 0:
        raise SourceDataError(f"{where}: implausible multiplier {text!r}")
    return text


def _code_changes(pairs: list[tuple[str, str]]) -> dict[str, str]:
    return {raw: canon for raw, canon in pairs if raw != canon}


def _parse_header_2023(lines: list[str]) -> dict[str, str]:
    text = " ".join(line.lstrip("#").strip() for line in lines)
    url = re.search(r"Source file:\s*(https://\S+)", text)
    sha = re.search(r"sha256 ([0-9a-f]{64})", text)
    published = re.search(r"published (\d{1,2}) ([A-Z][a-z]+) (\d{4})", text)
    if not (url and sha and published):
        raise SourceDataError(f"{TXT_2023}: header lacks source URL, sha256 or publication date")
    day, month, year = published.groups()
    if month not in _MONTHS:
        raise SourceDataError(f"{TXT_2023}: unknown month {month!r}")
    return {
        "source_url": url.group(1),
        "original_sha256": sha.group(1),
        "published": f"{year}-{_MONTHS[month]:02d}-{int(day):02d}",
    }


@dataclass(frozen=True)
class MultiplierText:
    """A parsed pipe-delimited multiplier extract (``code|title|2015|…|2023``)."""

    header: list[str]  # the ``#`` comment lines, verbatim
    years: list[int]
    rows: list[tuple[str, str, str, str]]  # (code, name, year, value as published)
    code_pairs: list[tuple[str, str]]  # (publisher's code, canonical code)

    @property
    def group_count(self) -> int:
        return len(self.code_pairs)


def parse_multiplier_text(data: bytes, source_name: str) -> MultiplierText:
    """Parse the Defra multiplier extract layout: ``#`` comment lines, one of them
    ``# Columns: SIC code|SIC category|2015|…``, then one ``code|title|values…`` line per
    group. Codes are canonicalised (:func:`canonical_code`); values are kept as text.
    Errors name the file, line and column.
    """
    try:
        lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise SourceDataError(f"{source_name}: not UTF-8 text ({exc.reason})") from exc
    header = [line for line in lines if line.startswith("#")]
    columns_line = next((h for h in header if "Columns:" in h), None)
    if columns_line is None:
        raise SourceDataError(f"{source_name}: no '# Columns:' header line")
    columns = [c.strip() for c in columns_line.split("Columns:", 1)[1].split("|")]
    if columns[:2] != ["SIC code", "SIC category"] or not all(c.isdigit() for c in columns[2:]):
        raise SourceDataError(f"{source_name}: unexpected columns {columns}")
    years = [int(c) for c in columns[2:]]
    if not years:
        raise SourceDataError(f"{source_name}: no year columns in {columns}")

    rows: list[tuple[str, str, str, str]] = []
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for n, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("|")
        if len(fields) != len(columns):
            raise SourceDataError(
                f"{source_name} line {n}: {len(fields)} fields, expected {len(columns)}"
            )
        raw_code, name, values = fields[0], fields[1].strip(), fields[2:]
        try:
            code = canonical_code(raw_code)
        except SourceDataError as exc:
            raise SourceDataError(f"{source_name} line {n}, column 'SIC code': {exc}") from None
        if code in seen:
            raise SourceDataError(
                f"{source_name} line {n}, column 'SIC code': duplicate group code {code!r}"
            )
        seen.add(code)
        pairs.append((raw_code, code))
        for year, text in zip(years, values, strict=True):
            value = _check_value(text.strip(), f"{source_name} line {n}, column '{year}'")
            rows.append((code, name, str(year), value))
    if not rows:
        raise SourceDataError(f"{source_name}: no data rows")
    return MultiplierText(header, years, rows, pairs)


def build_to_2023(source_dir: Path, out_dir: Path) -> list[Path]:
    data, digest = read_source(source_dir, TXT_2023, TXT_2023_SHA_PREFIX)
    parsed = parse_multiplier_text(data, TXT_2023)
    header, years, rows = parsed.header, parsed.years, parsed.rows
    pairs = parsed.code_pairs
    seen = {canon for _, canon in pairs}

    info = _parse_header_2023(header)
    metadata: dict[str, Any] = {
        "key": KEY,
        "edition": "to-2023",
        "publisher": PUBLISHER,
        "title": "UK and England's carbon footprint to 2023: spend-based emissions multipliers "
        "1997 to 2023, sheet GHG_SIC_multipliers (years 2015-2023)",
        "published": info["published"],
        "unit": "kgCO2e per GBP",
        "currency": "GBP",
        "price_basis": "basic prices of each year, excluding VAT",
        "currency_year": "the row's year (current prices)",
        "code_system": "Defra SIC 2007 product group",
        "code_note": CODE_NOTE,
        "code_changes": _code_changes(pairs),
        "gwp": None,
        "gwp_note": GWP_NOTE,
        "precision_note": "Values rounded by the extract to 6 significant figures; copied "
        "as published text.",
        "licence": OGL_LICENCE,
        "licence_url": OGL_URL,
        "attribution": ATTRIBUTION,
        "source_url": info["source_url"],
        "original_sha256": info["original_sha256"],
        "source_file": Path(TXT_2023).name,
        "source_sha256": digest,
        "source_header": [h.lstrip("#").strip() for h in header],
        "years": years,
        "group_count": len(seen),
        "row_count": len(rows),
        "built_by": BUILT_BY,
    }
    return write_table(out_dir / KEY / "to-2023", "factors.csv", csv_bytes(HEADER, rows), metadata)


def build_to_2022(source_dir: Path, out_dir: Path) -> list[Path]:
    data, digest = read_source(source_dir, CSV_2022, CSV_2022_SHA_PREFIX)
    _, ods_digest = read_source(source_dir, ODS_2022, ODS_2022_SHA_PREFIX)
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    header = next(reader)
    expected = ["SIC code", "SIC category", "GHG (kgCO2e per £)", "CO2 (kgCO2 per £)"]
    if header != expected:
        raise SourceDataError(f"{CSV_2022}: unexpected header {header}")
    rows: list[tuple[str, str, str, str]] = []
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for n, fields in enumerate(reader, start=2):
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(expected):
            raise SourceDataError(f"{CSV_2022} line {n}: {len(fields)} fields")
        raw_code, name, ghg = fields[0], fields[1].strip(), fields[2].strip()
        code = canonical_code(raw_code)
        if code in seen:
            raise SourceDataError(f"{CSV_2022}: duplicate group code {code!r}")
        seen.add(code)
        pairs.append((raw_code, code))
        rows.append((code, name, "2022", _check_value(ghg, f"{code} 2022")))

    metadata: dict[str, Any] = {
        "key": KEY,
        "edition": "to-2022",
        "publisher": PUBLISHER,
        "title": "UK and England's carbon footprint to 2022: conversion factors (kg CO2e per "
        "£ spent) by SIC code, 2022",
        "published": None,
        "published_note": "File metadata of the ODS: created 12 May 2025.",
        "unit": "kgCO2e per GBP",
        "currency": "GBP",
        "price_basis": "basic prices of 2022, excluding VAT",
        "price_basis_note": "The file itself states no price basis; the same Defra series is "
        "documented as basic prices excluding VAT.",
        "currency_year": 2022,
        "code_system": "Defra SIC 2007 product group",
        "code_note": CODE_NOTE,
        "code_changes": _code_changes(pairs),
        "gwp": None,
        "gwp_note": GWP_NOTE,
        "precision_note": "Values are the ODS cells at full stored precision, copied as text. "
        "The CO2-only column (kgCO2 per £) is not carried.",
        "licence": OGL_LICENCE,
        "licence_url": OGL_URL,
        "attribution": ATTRIBUTION,
        "source_url": None,
        "source_url_note": "Published on GOV.UK ('UK's carbon footprint' statistics); the "
        "asset URL is not recorded in the file. original_sha256 is that of the ODS workbook.",
        "original_file": Path(ODS_2022).name,
        "original_sha256": ods_digest,
        "source_file": Path(CSV_2022).name,
        "source_sha256": digest,
        "years": [2022],
        "group_count": len(seen),
        "row_count": len(rows),
        "built_by": BUILT_BY,
    }
    return write_table(out_dir / KEY / "to-2022", "factors.csv", csv_bytes(HEADER, rows), metadata)


def build(source_dir: Path, out_dir: Path) -> list[Path]:
    return build_to_2023(source_dir, out_dir) + build_to_2022(source_dir, out_dir)


def main(argv: Sequence[str] | None = None) -> int:
    return run_cli("Build the Defra UK SIC spend multiplier tables.", build, argv)


if __name__ == "__main__":
    sys.exit(main())
