"""CSV exports of the inventory: the summary (one tidy table) and every line.

Both are UTF-8 with a byte-order mark, so that Excel opens them with the right encoding;
text from user data goes through the formula-injection guard; numbers are written in
full (``Decimal`` as stored), dates as ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tracker.reports.inventory import build_inventory_report
from tracker.reports.line_detail import LINE_COLUMNS, line_chunks
from tracker.reports.memo import Memo
from tracker.reports.safe import safe_text
from tracker.reports.workbook_data import WorkbookData, gather

ENCODING = "utf-8-sig"  # UTF-8 with BOM
SUMMARY_HEADER = ["authority", "year", "version", "section", "key", "label", "value", "unit"]


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def summary_rows(d: WorkbookData) -> Iterator[tuple[str, str, str, Any, str]]:
    """(section, key, label, value, unit) rows: totals, Scope 3 categories, categories with
    their 95% range and data quality, departments, excluded spend."""
    r, cur = d.report, d.currency
    low, high = r.range95 or (None, None)
    yield "total", "kgco2e", "Total emissions", r.total_kgco2e, "kgCO2e"
    yield "total", "range95_low", "95% range, low", low, "kgCO2e"
    yield "total", "range95_high", "95% range, high", high, "kgCO2e"
    yield "total", "spend", "Total spend, net of VAT", r.total_spend, cur
    yield "total", "classified_spend", "Classified spend", r.mapped_spend, cur
    yield "total", "excluded_spend", "Excluded spend", r.excluded_spend, cur
    yield "total", "unclassified_spend", "Unclassified spend", r.unmapped_spend, cur
    if r.data_quality:
        yield (
            "total",
            "dq_mean",
            "Data quality (1 very good … 5 unknown)",
            r.data_quality["mean"],
            "",
        )
    for number, kg in sorted(r.by_scope3.items()):
        yield "scope3", str(number), f"Scope 3 category {number}", kg, "kgCO2e"
    quality = {c.code: c for c in d.categories}
    for c in r.by_category:
        key = c.code or "unclassified"
        yield "category", key, c.name, c.spend, cur
        yield "category", key, c.name, c.kgco2e, "kgCO2e"
        q = quality.get(c.code) if c.code else None
        if q is not None:
            yield "category", key, c.name, q.range95[0], "kgCO2e 95% low"
            yield "category", key, c.name, q.range95[1], "kgCO2e 95% high"
            if q.quality is not None:
                yield "category", key, c.name, q.quality.mean, "data quality"
    for x in d.departments:
        yield "department", x.department, x.department, x.spend, cur
        yield "department", x.department, x.department, x.kgco2e, "kgCO2e"
    for e in r.excluded:
        yield "excluded", e.reason, e.reason, e.spend, cur
    for p in r.excluded_payees:
        yield "excluded_payee", p.reason, p.payee, p.spend, cur


def write_summary_csv(path: Path, d: WorkbookData) -> None:
    r = d.report
    with path.open("w", encoding=ENCODING, newline="") as f:
        w = csv.writer(f)
        w.writerow(SUMMARY_HEADER)
        for section, key, label, value, unit in summary_rows(d):
            w.writerow(
                [_text(v) for v in (r.authority_code, r.year, r.version, section, key, label)]
                + [_number(value), unit]
            )


def write_lines_csv(path: Path, chunks: Iterable[Sequence[Sequence[Any]]]) -> int:
    """Every line (``chunks`` of rows in ``LINE_COLUMNS`` order) with the workbook's
    line-detail columns; returns the number of lines."""
    guards: list[Memo[str, str | None] | None] = [
        Memo(safe_text) if c.kind == "text" else None for c in LINE_COLUMNS
    ]
    count = 0
    with path.open("w", encoding=ENCODING, newline="") as f:
        w = csv.writer(f)
        w.writerow([c.name for c in LINE_COLUMNS])
        for chunk in chunks:
            w.writerows(zip(*_guarded_columns(chunk, guards), strict=True))
            count += len(chunk)
    return count


def _guarded_columns(
    chunk: Sequence[Sequence[Any]], guards: Sequence[Memo[str, str | None] | None]
) -> list[Sequence[Any]]:
    """The chunk's columns, text through the formula-injection guard. The csv module
    writes ``None`` as an empty field, dates as ISO and ``Decimal`` in full."""
    return [
        values if guard is None else [None if v is None else guard[v] for v in values]
        for guard, values in zip(guards, zip(*chunk, strict=True), strict=True)
    ]


def _number(value: Decimal | float | None) -> str:
    return "" if value is None else str(value)


def write_csv_exports(
    session: Session, directory: Path, *, authority: str, year: int, version: int | None = None
) -> list[Path]:
    """Write ``<code>-<year>-summary.csv`` and ``<code>-<year>-lines.csv`` into
    ``directory`` (created if missing); returns their paths."""
    report = build_inventory_report(session, code=authority, year=year, version=version)
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{report.authority_code}-{report.year}"
    summary, lines = directory / f"{stem}-summary.csv", directory / f"{stem}-lines.csv"
    write_summary_csv(summary, gather(session, report))
    write_lines_csv(
        lines,
        line_chunks(session, run_id=report.run_id, authority_id=report.authority_id, exact=True),
    )
    return [summary, lines]
