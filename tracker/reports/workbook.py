"""The inventory workbook that an authority files: one .xlsx per authority and year.

Public entry points (kept stable for the dashboard's /reports page and the CLI):

- ``inventory_workbook(session, *, authority, year, version=None, viewer=None) -> bytes``
- ``write_inventory_workbook(session, out, *, authority, year, version=None)`` writes to a
  path or a binary stream and returns the ``WorkbookData`` it wrote.

``authority`` is the authority's code. The dashboard passes the signed-in ``viewer`` to
``inventory_workbook``, which refuses authorities whose lines that user may not see.

Sheets: Cover, Summary, By category, By supplier, By department, Data quality,
Methodology, Trend (with the pathway chart), CDP Scope 3, Restatements, Contracts,
Suppliers, Lines. Every sheet prints one page wide with the authority, year, version and
page numbers in its header and footer (tracker.reports.printing); tonnes read rounded
except in Lines.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from sqlalchemy.orm import Session

from factors.classification import exclusion_reasons
from tracker.access import AccessDenied, Viewer
from tracker.domain.status import PATHWAY_NAMES, status_meaning
from tracker.domain.units import to_tonnes
from tracker.domain.vocabulary import factor_set_name, line_status_name, method_name
from tracker.models import Authority
from tracker.queries.reference import authority_by_code
from tracker.reports.cdp import cdp_rows
from tracker.reports.cells import (
    DATE,
    DATETIME,
    INTEGER,
    MONEY,
    PERCENT,
    SCORE,
    TONNES,
    Sheet,
)
from tracker.reports.charts import Line, Table, category_chart, line_chart
from tracker.reports.contracts_sheet import WIDTHS, write_contracts
from tracker.reports.inventory import build_inventory_report
from tracker.reports.line_detail import LINE_COLUMNS, line_chunks
from tracker.reports.methodology import write_methodology, write_restatements
from tracker.reports.printing import inventory_page
from tracker.reports.sheetxml import Column
from tracker.reports.splice import splice_rows
from tracker.reports.suppliers_sheet import WIDTHS as SUPPLIER_WIDTHS
from tracker.reports.suppliers_sheet import write_supplier_kpis
from tracker.reports.workbook_data import ALL_OTHERS, WorkbookData, YearFigure, gather

ZERO = Decimal(0)
DQ_NAMES = ("Technology", "Time", "Geography", "Completeness", "Reliability")


def inventory_workbook(
    session: Session,
    *,
    authority: str | Authority,
    year: int,
    version: int | None = None,
    viewer: Viewer | None = None,
) -> bytes:
    """The workbook of ``authority`` (it, or its code) for financial ``year`` as .xlsx bytes:
    the given stored inventory version, or the current one.

    With ``viewer``, raises ``tracker.access.AccessDenied`` unless that user may see the
    authority's lines (the workbook holds every line); the CLI passes none.
    """
    if viewer is not None:
        found = authority_by_code(session, authority) if isinstance(authority, str) else authority
        if found is None or not viewer.sees_lines(found.id):
            raise AccessDenied("You do not have access to this authority.")
        authority = found
    out = io.BytesIO()
    write_inventory_workbook(session, out, authority=authority, year=year, version=version)
    return out.getvalue()


def write_inventory_workbook(
    session: Session,
    out: Path | BinaryIO,
    *,
    authority: str | Authority,
    year: int,
    version: int | None = None,
) -> WorkbookData:
    """Write the workbook to a path or binary stream; returns the data it shows."""
    report = (
        build_inventory_report(session, code=authority, year=year, version=version)
        if isinstance(authority, str)
        else build_inventory_report(session, authority=authority, year=year, version=version)
    )
    data = gather(session, report)
    write_workbook(
        out,
        data,
        line_chunks(session, run_id=report.run_id, authority_id=report.authority_id, exact=False),
    )
    return data


def write_workbook(
    out: Path | BinaryIO, data: WorkbookData, lines: Iterable[Sequence[Sequence[Any]]]
) -> None:
    """Write every sheet of ``data`` and the line detail (``lines``: chunks of rows in
    ``LINE_COLUMNS`` order, streamed) to ``out``."""
    r = data.report
    tall = inventory_page(
        authority=r.authority_name,
        code=r.authority_code,
        year_label=r.year_label,
        version=r.version,
    )
    wide = tall.wide()
    wb = Workbook(write_only=True)
    _cover(Sheet(wb, "Cover", (34, 80), tall), data)
    _summary(Sheet(wb, "Summary", (48, 20, 20, 20), tall), data)
    _categories(Sheet(wb, "By category", (10, 44, 18, 14, 14, 14) + (12,) * 7, wide), data)
    _suppliers(Sheet(wb, "By supplier", (44, 18, 14, 12), tall), data)
    _departments(Sheet(wb, "By department", (36, 18, 18, 14, 10), tall), data)
    _quality(Sheet(wb, "Data quality", (40, 24, 12, 18, 14), tall), data)
    methodology = Sheet(wb, "Methodology", (34, 30, 12, 40, 30, 24, 50, 30, 66), wide)
    write_methodology(methodology, data)
    _trend(Sheet(wb, "Trend", (10, 20, 16, 16, 16, 16, 10, 16), wide), data)
    _cdp(Sheet(wb, "CDP Scope 3", (10, 44, 22, 14, 30, 14, 80), wide), data)
    write_restatements(Sheet(wb, "Restatements", (10, 18, 24, 10, 10, 16, 16, 60), wide), data)
    write_contracts(Sheet(wb, "Contracts", WIDTHS, wide), data.contracts)
    write_supplier_kpis(
        Sheet(wb, "Suppliers", SUPPLIER_WIDTHS, wide),
        data.supplier_kpis,
        data.unplanned_contracts,
        data.contracts_not_assessed,
    )
    columns = _lines_header(Sheet(wb, "Lines", (), wide))
    package = io.BytesIO()
    wb.save(package)
    # The line detail is streamed into the saved package (tracker.reports.splice).
    splice_rows(
        package.getvalue(),
        out,
        sheet_index=len(wb.worksheets),
        chunks=lines,
        columns=columns,
        first_row=2,
    )


def _cover(s: Sheet, d: WorkbookData) -> None:
    r, f = d.report, d.report.factor_source
    s.title(f"Scope 3 procurement emissions inventory: {r.authority_name}")
    s.blank()
    s.item("Authority", f"{r.authority_name} ({r.authority_code})")
    s.item("Financial year", r.year_label)
    s.item("Period start", r.period_start, DATE)
    s.item("Period end", r.period_end, DATE)
    s.item("Factor set", f"{f.publisher}: {f.title}")
    s.item("Factor set and edition", factor_set_name(f.family, f.edition))
    s.item("Inventory version", r.version)
    s.item("Locked", "yes" if r.locked else "no")
    if r.stale:
        s.item("Note", f"Inputs have changed since this version was computed. {r.stale_notice}")
    for check in r.lines_to_check:  # a line carrying most of its category
        s.item("Line to check", check)
    if r.reason:
        s.item("Why this version", r.reason)
    s.item("Inventory computed at (UTC)", r.computed_at, DATETIME)
    s.item("Inventory computed with tracker", r.tracker_version)
    s.item("Workbook generated at (UTC)", d.generated_at, DATETIME)
    s.item("Workbook generated with tracker", d.tracker_version)
    s.item("Currency", d.currency)


def _t(kg: Decimal | None) -> Decimal | None:
    return None if kg is None else to_tonnes(kg)


def _ratio(num: Decimal, den: Decimal) -> Decimal | None:
    return None if den == 0 else num / den


def _summary(s: Sheet, d: WorkbookData) -> None:
    r = d.report
    s.title(f"Summary: {r.authority_name}, {r.year_label}")
    s.item("Total emissions (tCO2e)", _t(r.total_kgco2e), TONNES)
    this_year = d.this_year
    if this_year is not None and this_year.months_covered is not None:
        part = " (part year: no status until complete)" if this_year.part_year else ""
        s.item("Months covered", f"{this_year.months_covered} of 12 months{part}")
    low, high = r.range95 or (None, None)
    s.item("95% range, low (tCO2e)", _t(low), TONNES)
    s.item("95% range, high (tCO2e)", _t(high), TONNES)
    s.item(f"Total spend ({d.currency}, net of VAT)", r.total_spend, MONEY)
    s.item(f"Classified spend ({d.currency})", r.mapped_spend, MONEY)
    s.item(f"Excluded spend ({d.currency})", r.excluded_spend, MONEY)
    s.item(f"Unclassified spend ({d.currency})", r.unmapped_spend, MONEY)
    if r.data_quality:
        s.item("Data quality (spend-weighted; 1 very good … 5 unknown)", r.data_quality["mean"])
    s.blank()
    s.header(["Scope 3 category", "tCO2e"])
    for number, name in ((1, "1 Purchased goods and services"), (2, "2 Capital goods")):
        s.row([name, _t(r.by_scope3.get(number, ZERO))], [None, TONNES])
    s.row(["Total", _t(r.total_kgco2e)], [None, TONNES])
    s.blank()
    s.header(["Change", "tCO2e then", "Change (tCO2e)", "Change (%)"])
    previous = d.previous_year
    if previous is None:
        s.row(["Against the previous year", "no inventory"])
    else:
        label = f"Against the previous year, {d.label(previous.year)}"
        why = not_compared(d, [this_year, previous])
        if why:
            s.row([label, why])
        else:
            _change(s, label, previous.kgco2e, r.total_kgco2e)
    baseline = d.baseline
    if baseline is None:
        s.row(["Against the baseline", "no baseline"])
    elif why := not_compared(d, [this_year]):
        s.row([f"Against the baseline ({baseline[0]})", why])
    else:
        _change(s, f"Against the baseline ({baseline[0]})", baseline[1], r.total_kgco2e)
    s.blank()
    _progress(s, d)


def not_compared(d: WorkbookData, years: Sequence[YearFigure | None]) -> str | None:
    """Why no change is stated between ``years`` (None when it can be): a part year's
    total holds only the months with lines, so a change against another year would
    measure the missing months, not a change in emissions."""
    parts = [y for y in years if y is not None and y.part_year]
    if not parts:
        return None
    named = " and ".join(f"{d.label(y.year)} ({y.months_text})" for y in parts)
    verb = "is a part year" if len(parts) == 1 else "are part years"
    return (
        f"not compared: {named} {verb}, whose total counts only the months with spend "
        "lines; a change would measure the missing months, not emissions"
    )


def _change(s: Sheet, label: str, then_kg: Decimal, now_kg: Decimal) -> None:
    change = now_kg - then_kg
    s.row(
        [label, _t(then_kg), _t(change), _ratio(change, then_kg)],
        [None, TONNES, TONNES, PERCENT],
    )


def _progress(s: Sheet, d: WorkbookData) -> None:
    p = d.progress
    if p is None:
        s.item("Progress against a target", "no target set (tracker target set)")
        return
    year = next((y for y in p.years if y.year == d.report.year), None)
    s.header(["Progress against the target", "Value"])
    s.item("Target", p.target_text)
    if p.baseline_notice:
        s.item("Baseline", p.baseline_notice)
    s.item("Pathway", PATHWAY_NAMES.get(p.pathway, p.pathway))
    s.item("Target year", d.label(p.target_year))
    s.item("Target (tCO2e)", _t(p.target_kg), TONNES)
    if p.net_zero_year:
        s.item("Net zero year", d.label(p.net_zero_year))
    if year is not None:
        s.item(f"Pathway in {d.report.year_label} (tCO2e)", _t(year.pathway_kg), TONNES)
        s.item(f"Status in {d.report.year_label}", year.sentence or "baseline year")
    s.item("Annual cut still needed (tCO2e a year)", _t(p.required_annual_cut_kg), TONNES)
    s.item("Carbon budget to the target year (tCO2e)", _t(p.budget_kg), TONNES)
    s.item("Budget used so far (tCO2e)", _t(p.budget_used_kg), TONNES)
    exhausted = p.budget_exhausted_year
    s.item(
        "Budget runs out at the current trend in",
        "not before 2100" if exhausted is None else d.label(exhausted),
    )
    s.item("Status rule", status_meaning())


def _categories(s: Sheet, d: WorkbookData) -> None:
    r = d.report
    quality = {c.code: c for c in d.categories}
    first = 1 + s.header(
        [
            "Code",
            "Category",
            f"Spend ({d.currency})",
            "tCO2e",
            "95% low",
            "95% high",
            *DQ_NAMES,
            "DQ mean",
            "Net credit shown as 0",
        ],
        repeat=True,
    )
    fmts = [None, None, MONEY, TONNES, TONNES, TONNES, *[SCORE] * 6]
    for c in r.by_category:
        q = quality.get(c.code) if c.code is not None else None
        low, high = q.range95 if q is not None else (None, None)
        scores = [*q.quality.scores(), q.quality.mean] if q and q.quality else [None] * 6
        s.row(
            [
                c.code or "",
                c.name,
                c.spend,
                _t(c.kgco2e),
                _t(low),
                _t(high),
                *scores,
                "yes" if c.clamped else "",
            ],
            fmts,
        )
    last = s.rows
    low, high = r.range95 or (None, None)
    total_q = r.data_quality["scores"] if r.data_quality else {}
    s.row(
        [
            "",
            "Total",
            r.total_spend,
            _t(r.total_kgco2e),
            _t(low),
            _t(high),
            *[total_q.get(n.lower()) for n in DQ_NAMES],
            r.data_quality["mean"] if r.data_quality else None,
        ],
        fmts,
    )
    if last >= first:
        table = Table(s.ws.title, first - 1, first, last)
        chart = category_chart(table, values=4, labels=2, title="Emissions by category (tCO2e)")
        s.ws.add_chart(chart, f"B{s.rows + 2}")  # below the table, inside the printed width


def _suppliers(s: Sheet, d: WorkbookData) -> None:
    r = d.report
    s.header(["Supplier", f"Spend ({d.currency})", "tCO2e", "Share of emissions"], repeat=True)
    fmts = [None, MONEY, TONNES, PERCENT]
    for sup in d.top_suppliers:
        s.row([sup.supplier, sup.spend, _t(sup.kgco2e), _ratio(sup.kgco2e, r.total_kgco2e)], fmts)
    o = d.other_suppliers
    if o is not None:
        s.row(
            [
                f"{ALL_OTHERS} ({o.suppliers:,} suppliers)",
                o.spend,
                _t(o.kgco2e),
                _ratio(o.kgco2e, r.total_kgco2e),
            ],
            fmts,
        )
    kg = sum((x.kgco2e for x in d.top_suppliers), ZERO) + (o.kgco2e if o else ZERO)
    spend = sum((x.spend for x in d.top_suppliers), ZERO) + (o.spend if o else ZERO)
    s.row(["Total", spend, _t(kg), _ratio(kg, r.total_kgco2e)], fmts)


def _departments(s: Sheet, d: WorkbookData) -> None:
    s.header(
        [
            "Department (cost centre)",
            f"Spend ({d.currency})",
            "of which excluded",
            "tCO2e",
            "Lines",
        ],
        repeat=True,
    )
    fmts = [None, MONEY, MONEY, TONNES, INTEGER]
    for x in d.departments:
        s.row([x.department, x.spend, x.excluded_spend, _t(x.kgco2e), x.lines], fmts)
    s.row(
        [
            "Total",
            sum((x.spend for x in d.departments), ZERO),
            sum((x.excluded_spend for x in d.departments), ZERO),
            _t(sum((x.kgco2e for x in d.departments), ZERO)),
            sum(x.lines for x in d.departments),
        ],
        fmts,
    )


def _quality(s: Sheet, d: WorkbookData) -> None:
    r = d.report
    s.title("Coverage")
    s.header(["Outcome", "Classified by", "Lines", f"Spend ({d.currency})", "tCO2e"])
    fmts = [None, None, INTEGER, MONEY, TONNES]
    for c in d.coverage:
        how = method_name(c.method) if c.method else ""
        s.row([line_status_name(c.status), how, c.lines, c.spend, _t(c.kgco2e)], fmts)
    s.row(
        [
            "Total",
            "",
            sum(c.lines for c in d.coverage),
            r.total_spend,
            _t(sum((c.kgco2e for c in d.coverage), ZERO)),
        ],
        fmts,
    )
    s.blank()
    s.header(["Share of spend", "", "", "Spend", "Share"])
    for label, value in (
        ("Classified", r.mapped_spend),
        ("Excluded (out of scope)", r.excluded_spend),
        ("Unclassified", r.unmapped_spend),
    ):
        s.row(
            [label, "", "", value, _ratio(value, r.total_spend)], [None, None, None, MONEY, PERCENT]
        )
    s.blank()
    s.title("Excluded spend, by reason")
    s.header(["Reason", "", "Lines", f"Spend ({d.currency})"])
    reasons = exclusion_reasons()
    for e in r.excluded:
        label = reasons[e.reason].label if e.reason in reasons else e.reason
        s.row([label, "", e.lines, e.spend], [None, None, INTEGER, MONEY])
    s.row(
        ["Total", "", sum(e.lines for e in r.excluded), r.excluded_spend],
        [None, None, INTEGER, MONEY],
    )
    s.blank()
    s.title("Data quality (GHG Protocol indicators, spend-weighted; 1 very good … 5 unknown)")
    if r.data_quality:
        for name in DQ_NAMES:
            s.item(name, r.data_quality["scores"][name.lower()], SCORE)
        s.item("Mean of the five", r.data_quality["mean"], SCORE)
        s.item(
            "Share of emissions from supplier-specific factors",
            r.data_quality.get("supplier_specific_share", 0),
            PERCENT,
        )
    else:
        s.item("Scores", "no classified lines")


def _trend(s: Sheet, d: WorkbookData) -> None:
    names = ["Year", "Label", "tCO2e", "95% low (tCO2e)", "95% high (tCO2e)", "Pathway (tCO2e)"]
    # A part year (fewer than 12 months of lines, not confirmed) is labelled as such.
    first = 1 + s.header([*names, "Version", "Months covered"], repeat=True)
    for y in d.years:
        actual = _t(y.kgco2e) if y.version else None
        low, high = y.range95 or (None, None)
        s.row(
            [
                *(y.year, y.label, actual, _t(low), _t(high), _t(y.pathway_kg)),
                *(y.version or None, y.months_covered),
            ],
            [None, None, TONNES, TONNES, TONNES, TONNES],
        )
    last = s.rows
    if last < first:
        return
    table = Table(s.ws.title, first - 1, first, last)
    measures = [Line(3, markers=True), Line(6, dash="dash"), Line(4, "sysDot"), Line(5, "sysDot")]
    title = "Emissions by year against the target pathway (tCO2e)"
    s.ws.add_chart(line_chart(table, measures, labels=2, title=title), f"A{last + 2}")


def _cdp(s: Sheet, d: WorkbookData) -> None:
    r = d.report
    f = r.factor_source
    s.header(
        [
            "Category",
            "Scope 3 category",
            "Evaluation status",
            "tCO2e",
            "Calculation method",
            "% from supplier-specific data",
            "Explanation",
        ],
        repeat=True,
    )
    rows = cdp_rows(
        r.by_scope3,
        d.supplier_kg_by_scope3,
        factor_source=f"{f.publisher} {f.family} ({f.edition})",
        period=r.year_label,
    )
    for c in rows:
        s.row(
            [c.category, c.name, c.status, c.tco2e, c.method, c.supplier_share, c.explanation],
            [None, None, None, TONNES, None, PERCENT],
        )


def _lines_header(s: Sheet) -> list[Column]:
    """Write the line detail's header; returns each column's kind and cell style id (its
    number format, registered in the workbook's styles) for the streamed rows."""
    s.ws.freeze_panes = "A2"  # before the first row: write-only sheets write views first
    s.header([c.name for c in LINE_COLUMNS], repeat=True)
    return [
        Column(c.kind, None if c.fmt is None else s.cell(0, c.fmt).style_id) for c in LINE_COLUMNS
    ]
