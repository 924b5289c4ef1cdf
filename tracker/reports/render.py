"""Plain-text renderings of an inventory report for the command line."""

from __future__ import annotations

import csv
import io

from rich.console import Console
from rich.table import Table

from tracker.domain.money import currency_symbol, money_exact
from tracker.domain.units import share_percent, to_tonnes
from tracker.domain.vocabulary import factor_set_name, price_basis_name
from tracker.reports.inventory import InventoryReport
from tracker.reports.safe import safe_text


def render_table(report: InventoryReport, top: int = 15) -> str:
    console = Console(record=True, width=110, file=io.StringIO())
    f = report.factor_source
    console.print(
        f"[bold]{report.authority_name}[/bold] ({report.authority_code}), financial year "
        f"{report.year_label}: {report.period_start} to {report.period_end}"
    )
    console.print(
        f"Factors: {f.publisher}, {factor_set_name(f.family, f.edition)}; "
        f"{price_basis_name(report.price_year_policy, report.price_index)}"
    )
    share = share_percent(report.mapped_spend / report.total_spend, 1) if report.total_spend else 0
    cur = report.currency
    console.print(
        f"Spend {money_exact(report.total_spend, cur)} ({report.line_count:,} lines), mapped "
        f"{money_exact(report.mapped_spend, cur)} ({share}%), "
        f"unmapped {money_exact(report.unmapped_spend, cur)}"
    )
    rng = report.range95
    spread = f" (95% range {to_tonnes(rng[0]):,.1f} to {to_tonnes(rng[1]):,.1f})" if rng else ""
    console.print(f"[bold]Total {to_tonnes(report.total_kgco2e):,.1f} tCO2e[/bold]{spread}")
    for warning in report.skipped_rules:
        console.print(f"Warning: {warning}", markup=False)
    for check in report.lines_to_check:
        console.print(check, markup=False)
    if report.excluded_spend:
        symbol = currency_symbol(cur)
        reasons = ", ".join(f"{e.reason} {symbol}{e.spend:,.0f}" for e in report.excluded)
        console.print(
            f"Excluded from Scope 3 categories 1-2: {money_exact(report.excluded_spend, cur)} "
            f"({reasons})"
        )
    if report.data_quality:
        console.print(
            f"Data quality (1 very good … 5 unknown, spend-weighted): {report.data_quality['mean']}"
        )
    spend = f"Spend {currency_symbol(cur).strip()}"
    cats = Table("Code", "Category", spend, "tCO2e", title="By category")
    for c in report.by_category[:top]:
        cats.add_row(c.code or "-", c.name, f"{c.spend:,.2f}", f"{to_tonnes(c.kgco2e):,.1f}")
    console.print(cats)
    sups = Table("Supplier", spend, "tCO2e", title="Top suppliers")
    for s in report.by_supplier[:top]:
        sups.add_row(s.supplier, f"{s.spend:,.2f}", f"{to_tonnes(s.kgco2e):,.1f}")
    console.print(sups)
    return console.export_text()


def render_csv(report: InventoryReport) -> str:
    """The by-category table as CSV (UTF-8; amounts in kgCO2e and in the authority's
    currency, which the spend column names: ``spend_gbp``, ``spend_usd``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    spend = f"spend_{report.currency.lower()}"
    writer.writerow(["authority", "year", "code", "category", spend, "kgco2e"])
    for c in report.by_category:
        writer.writerow(
            [
                report.authority_code,
                report.year,
                c.code or "",
                safe_text(c.name),
                f"{c.spend:.2f}",
                f"{c.kgco2e:.3f}",
            ]
        )
    writer.writerow(
        [
            report.authority_code,
            report.year,
            "TOTAL",
            "Total",
            f"{report.total_spend:.2f}",
            f"{report.total_kgco2e:.3f}",
        ]
    )
    return out.getvalue()
