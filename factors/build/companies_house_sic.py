"""Build the Companies House SIC code list used to repair integer-ised SIC codes.

Source: ``crosswalks/CoSicCode.csv`` (distinct SIC codes occurring in Companies House
basic company data; columns ``siccode_sictext_1``, ``sicc_int``, ``sictext_1``).
Output: ``<out>/crosswalks/companies-house-sic/codes.csv`` with ``sicc_int,code,scheme,
title``: ``code`` is the code as Companies House writes it (``01260``, ``2743``), scheme
``SIC2007`` for 5-digit codes and ``SIC2003`` for 4-digit legacy codes. The placeholder
``0 - None Supplied`` is left out. Some integers stand for two codes (``1110`` is SIC 2007
``01110`` and SIC 2003 ``1110``); both rows are kept and listed in the metadata.

Run: ``python -m factors.build.companies_house_sic [--source DIR] [--out DIR]``.
"""

from __future__ import annotations

import csv
import io
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from factors.build._common import SourceDataError, csv_bytes, read_source, run_cli, write_table

KEY = "companies-house-sic"
SOURCE = "crosswalks/CoSicCode.csv"
SOURCE_SHA_PREFIX = "0c8c553d685e964b"
BUILT_BY = "factors/build/companies_house_sic.py"
SCHEMES = {5: "SIC2007", 4: "SIC2003"}


def build(source_dir: Path, out_dir: Path) -> list[Path]:
    data, digest = read_source(source_dir, SOURCE, SOURCE_SHA_PREFIX)
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    if reader.fieldnames != ["siccode_sictext_1", "sicc_int", "sictext_1"]:
        raise SourceDataError(f"{SOURCE}: unexpected header {reader.fieldnames}")
    rows: list[tuple[str, str, str, str]] = []
    excluded: list[dict[str, str]] = []
    by_int: dict[str, list[str]] = defaultdict(list)
    for n, rec in enumerate(reader, start=2):
        code, sep, title = rec["siccode_sictext_1"].partition(" - ")
        code = code.strip()
        if not sep or not code.isdigit():
            raise SourceDataError(f"{SOURCE} line {n}: cannot split {rec['siccode_sictext_1']!r}")
        if str(int(code)) != rec["sicc_int"]:
            raise SourceDataError(f"{SOURCE} line {n}: sicc_int {rec['sicc_int']} != {code}")
        if title != rec["sictext_1"]:
            raise SourceDataError(f"{SOURCE} line {n}: title columns disagree")
        if int(code) == 0:
            excluded.append({"sicc_int": rec["sicc_int"], "reason": f"placeholder {title!r}"})
            continue
        scheme = SCHEMES.get(len(code))
        if scheme is None:
            raise SourceDataError(f"{SOURCE} line {n}: code {code!r} is neither 4 nor 5 digits")
        rows.append((rec["sicc_int"], code, scheme, title))
        by_int[rec["sicc_int"]].append(code)
    if len({(r[0], r[1]) for r in rows}) != len(rows):
        raise SourceDataError(f"{SOURCE}: duplicate codes")
    rows.sort(key=lambda r: (int(r[0]), len(r[1]), r[1]))
    ambiguous = {
        k: sorted(v, key=len)
        for k, v in sorted(by_int.items(), key=lambda kv: int(kv[0]))
        if len(v) > 1
    }

    metadata: dict[str, Any] = {
        "key": KEY,
        "title": "SIC codes occurring in Companies House records, SIC 2007 and legacy SIC 2003",
        "publisher": "Companies House (derived list by the northwestopendata/lgtc_refdata "
        "repository author)",
        "licence": "Companies House data is published as free public data; the derived list "
        "carries no licence file",
        "source_url": "https://github.com/northwestopendata/lgtc_refdata "
        "(CoHouseLite/CoSicCode.csv, commit 8694bf83)",
        "source_file": Path(SOURCE).name,
        "source_sha256": digest,
        "code_note": "code: as Companies House writes it; 5 digits = SIC 2007 subclass, "
        "4 digits = SIC 2003 class. sicc_int: the same code as an integer (leading zeros lost).",
        "ambiguous_sicc_int": ambiguous,
        "excluded_rows": excluded,
        "row_count": len(rows),
        "sic2007_count": sum(1 for r in rows if r[2] == "SIC2007"),
        "sic2003_count": sum(1 for r in rows if r[2] == "SIC2003"),
        "built_by": BUILT_BY,
    }
    header = ("sicc_int", "code", "scheme", "title")
    return write_table(out_dir / "crosswalks" / KEY, "codes.csv", csv_bytes(header, rows), metadata)


def main(argv: Sequence[str] | None = None) -> int:
    return run_cli("Build the Companies House SIC code table.", build, argv)


if __name__ == "__main__":
    sys.exit(main())
