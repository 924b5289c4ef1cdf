"""The inventory report workbook (openpyxl, streaming write)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tracker import __version__
from tracker.reports.inventory import InventoryReport, LineDetail
from tracker.reports.safe import safe_text

MONEY = "#,##0.00"
KG = "#,##0.000"
FACTOR = "0.000000"
BOLD = Font(bold=True)


def _cell(ws: WriteOnlyWorksheet, value: Any, fmt: str | None = None, bold: bool = False) -> Any:
    if isinstance(value, str):
        value = safe_text(value)
    elif isinstance(value, Decimal):
        value = float(value)
    cell = WriteOnlyCell(ws, value=value)
    if fmt:
        cell.number_format = fmt
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = BOLD
    return cell


def _row(ws: WriteOnlyWorksheet, values: Iterable[Any], fmts: Iterable[str | None] = ()) -> None:
    fmts = list(fmts)
    ws.append([_cell(ws, v, fmts[i] if i < len(fmts) else None) for i, v in enumerate(values)])


def _header(ws: WriteOnlyWorksheet, names: Iterable[str]) -> None:
    ws.append([_cell(ws, n, bold=True) for n in names])


# The line detail: (header, value, number format). Every figure traces to its file and row.
LINE_COLUMNS: list[tuple[str, Callable[[LineDetail], Any], str | None]] = [
    ("Line id", lambda ln: ln.spend_line_id, None),
    ("Source file", lambda ln: ln.file_name, None),
    ("Source row", lambda ln: ln.source_row, None),
    ("Date", lambda ln: ln.date, "yyyy-mm-dd"),
    ("Supplier", lambda ln: ln.supplier, None),
    ("Description", lambda ln: ln.description, None),
    ("Expense type", lambda ln: ln.expense_type, None),
    ("Spend (net of VAT)", lambda ln: ln.amount, MONEY),
    ("Code on the line", lambda ln: ln.matched_code, None),
    ("Status", lambda ln: ln.status, None),
    ("Category code", lambda ln: ln.category_code, None),
    ("Category", lambda ln: ln.category_name, None),
    ("Factor set", lambda ln: ln.factor_family, None),
    ("Edition", lambda ln: ln.factor_edition, None),
    ("Factor year", lambda ln: ln.factor_year, None),
    ("Factor (kgCO2e per unit)", lambda ln: ln.factor_value, FACTOR),
    ("Exchange rate", lambda ln: ln.fx_rate, FACTOR),
    ("Price index", lambda ln: ln.price_index, None),
    ("Deflator", lambda ln: ln.deflator, FACTOR),
    ("kgCO2e", lambda ln: ln.kgco2e, KG),
    ("Rule", lambda ln: ln.rule, None),
    ("Note", lambda ln: ln.note, None),
]


def write_inventory_workbook(
    path: Path, report: InventoryReport, lines: Iterable[LineDetail]
) -> None:
    wb = Workbook(write_only=True)
    _summary(wb.create_sheet("Summary"), report)
    cats = wb.create_sheet("By category")
    _header(
        cats,
        ["Code", "Category", "Spend (£, net of VAT)", "kgCO2e", "tCO2e", "Net credit shown as 0"],
    )
    for c in report.by_category:
        _row(
            cats,
            [c.code or "", c.name, c.spend, c.kgco2e, c.kgco2e / 1000, "yes" if c.clamped else ""],
            [None, None, MONEY, KG, KG],
        )
    _row(
        cats,
        ["", "Total", report.total_spend, report.total_kgco2e, report.total_kgco2e / 1000],
        [None, None, MONEY, KG, KG],
    )
    sups = wb.create_sheet("By supplier")
    _header(sups, ["Supplier", "Spend (£)", "kgCO2e"])
    for s in report.by_supplier:
        _row(sups, [s.supplier, s.spend, s.kgco2e], [None, MONEY, KG])
    detail = wb.create_sheet("Lines")
    _header(detail, [name for name, _, _ in LINE_COLUMNS])
    fmts = [fmt for _, _, fmt in LINE_COLUMNS]
    for ln in lines:
        _row(detail, [get(ln) for _, get, _ in LINE_COLUMNS], fmts)
    wb.save(path)


def _summary(ws: WriteOnlyWorksheet, r: InventoryReport) -> None:
    f = r.factor_source
    share = r.mapped_spend / r.total_spend if r.total_spend else Decimal(0)
    rows: list[tuple[str, Any, str | None]] = [
        ("Authority", f"{r.authority_name} ({r.authority_code})", None),
        ("Financial year", r.year_label, None),
        ("Period start", r.period_start, "yyyy-mm-dd"),
        ("Period end", r.period_end, "yyyy-mm-dd"),
        ("Scope 3 category", "1 Purchased goods and services (spend-based method)", None),
        ("Total emissions (tCO2e)", r.total_kgco2e / 1000, KG),
        ("Total emissions (kgCO2e)", r.total_kgco2e, KG),
        ("95% range, low (tCO2e)", r.range95[0] / 1000 if r.range95 else None, KG),
        ("95% range, high (tCO2e)", r.range95[1] / 1000 if r.range95 else None, KG),
        ("Excluded spend (£)", r.excluded_spend, MONEY),
        (
            "Data quality (spend-weighted, 1 very good … 5 unknown)",
            float(r.data_quality["mean"]) if r.data_quality else None,
            "0.00",
        ),
        ("Total spend (£, net of VAT)", r.total_spend, MONEY),
        ("Spend with a factor (£)", r.mapped_spend, MONEY),
        ("Spend without a usable code (£)", r.unmapped_spend, MONEY),
        ("Share of spend with a factor", share, "0.0%"),
        ("Lines", r.line_count, "#,##0"),
        ("Factor source", f"{f.publisher}: {f.title}", None),
        ("Factor set and edition", f"{f.family} {f.edition}", None),
        ("Factor data years", ", ".join(str(y) for y in f.years), None),
        ("Factor licence", f.licence, None),
        ("Factor source URL", f.source_url, None),
        ("Price-year policy", f"{r.price_year_policy}, deflated with {r.price_index}", None),
        (
            "Formula",
            "kgCO2e = spend net of VAT × exchange rate (if the factor's currency differs) × "
            "P(factor year) / P(spend year) × factor; P = price index (see Lines sheet)",
            None,
        ),
        ("Inventory run", r.run_id, None),
        ("Computed at", r.computed_at.replace(tzinfo=None), "yyyy-mm-dd hh:mm"),
        ("Tracker version", __version__, None),
    ]
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    for label, value, fmt in rows:
        ws.append([_cell(ws, label, bold=True), _cell(ws, value, fmt)])
