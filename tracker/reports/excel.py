"""The inventory report workbook (openpyxl, streaming write)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
    _header(
        detail,
        [
            "Line id",
            "Source file",
            "Source row",
            "Date",
            "Supplier",
            "Description",
            "Expense type",
            "Spend (£)",
            "SIC code",
            "Status",
            "Category code",
            "Category",
            "Factor set",
            "Edition",
            "Factor year",
            "Factor (kgCO2e/£)",
            "Deflator",
            "kgCO2e",
            "Rule",
            "Note",
        ],
    )
    for ln in lines:
        _row(
            detail,
            [
                ln.spend_line_id,
                ln.file_name,
                ln.source_row,
                ln.date,
                ln.supplier,
                ln.description,
                ln.expense_type,
                ln.amount,
                ln.sic,
                ln.status,
                ln.category_code,
                ln.category_name,
                ln.factor_family,
                ln.factor_edition,
                ln.factor_year,
                ln.factor_value,
                ln.deflator,
                ln.kgco2e,
                ln.rule,
                ln.note,
            ],
            [
                None,
                None,
                None,
                "yyyy-mm-dd",
                None,
                None,
                None,
                MONEY,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                FACTOR,
                FACTOR,
                KG,
            ],
        )
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
        ("Formula", "kgCO2e = spend net of VAT × CPI(factor year)/CPI(spend year) × factor", None),
        ("Inventory run", r.run_id, None),
        ("Computed at", r.computed_at.replace(tzinfo=None), "yyyy-mm-dd hh:mm"),
        ("Tracker version", __version__, None),
    ]
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    for label, value, fmt in rows:
        ws.append([_cell(ws, label, bold=True), _cell(ws, value, fmt)])
