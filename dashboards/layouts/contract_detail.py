"""One contract: its spend and emissions to date and the estimate for what is left
(``tracker.services.contracts.figures``), for those who see its authority's lines."""

from __future__ import annotations

from decimal import Decimal

from dash import dcc, html
from dash.development.base_component import Component

from dashboards.components.cards import kpi, message, note
from dashboards.data.contracts import contract_data
from dashboards.format import intensity, money, signed_percent, tonnes
from tracker.access import AccessDenied, Viewer
from tracker.services.contracts.figures import ContractFigures

NO_CONTRACT = "You do not have access to this contract."


def _money(value: Decimal | None, currency: str) -> str:
    return "–" if value is None else money(value, currency)


def _tonnes(kg: Decimal | None) -> str:
    return "–" if kg is None else tonnes(kg)


def _period(f: ContractFigures) -> str:
    c = f.contract
    start = c.start_date.strftime("%d %b %Y") if c.start_date else "start not stated"
    end = c.end_date.strftime("%d %b %Y") if c.end_date else "end not stated"
    return f"{start} – {end}"


def contract_body(f: ContractFigures) -> Component:
    c, e, t = f.contract, f.estimate, f.to_date
    currency = f.currency
    payments = f"{t.linked_lines:,} payment{'s' if t.linked_lines != 1 else ''} linked"
    if t.ambiguous_lines:
        payments += f"; {t.ambiguous_lines:,} could belong to another contract too (not counted)"
    if t.other_currency_lines:
        payments += f"; {t.other_currency_lines:,} in another currency (not in the spend)"
    years = (
        f"over the {e.remaining_years:.1f} years left"
        if e.remaining_years is not None and e.remaining_years > 0
        else "the contract has ended"
    )
    parts: list[Component] = [
        dcc.Link("← Contracts", href="/contracts", className="back-link"),
        html.H1(c.title or c.description or "Contract"),
        html.P(
            f"{f.authority_code} · {', '.join(f.suppliers) or 'no supplier named'} · {_period(f)}",
            className="subtitle",
        ),
        html.Div(
            className="kpi-row",
            children=[
                kpi(
                    "Contract value",
                    _money(c.value_amount, currency),
                    "including VAT, as published" if f.includes_vat else "net of VAT",
                ),
                kpi("Spend to date", money(t.spend, currency), payments),
                kpi("Emissions to date", tonnes(t.kgco2e), "of the linked payments"),
                kpi("Remaining value", _money(e.remaining_value, currency), years),
            ],
        ),
        html.Div(
            className="kpi-row",
            children=[
                kpi("Value a year", _money(e.value_a_year, currency), "value over its length"),
                kpi("Emissions a year", _tonnes(e.kg_a_year), "estimate"),
                kpi("Emissions of the remaining value", _tonnes(e.remaining_kg), "estimate"),
            ],
        ),
    ]
    category = e.category.name or "not classified"
    if e.factor is not None:
        parts.append(
            note(
                f"Category: {category}. Estimates use its average factor, "
                f"{intensity(e.factor.factor, currency)} in {e.factor.factor_year} prices, "
                "with the value brought from the contract's start-year prices to those "
                f"({signed_percent(e.factor.deflator - 1)}): an estimate from category "
                "averages, not the supplier's own footprint."
            )
        )
    else:
        parts.append(note(f"Category: {category}. No estimate: {e.note or 'no factor'}."))
    if t.lines_without_inventory:
        parts.append(
            note(
                f"{t.lines_without_inventory:,} linked payments are in a year without an "
                "inventory: counted in spend, not in emissions."
            )
        )
    return html.Div(parts)


def contract_detail_layout(viewer: Viewer, contract_id: str | None) -> Component:
    if not contract_id or not contract_id.isdigit():
        return message("Access denied", NO_CONTRACT, link_text="Back to overview")
    try:
        return contract_body(contract_data(viewer, int(contract_id)))
    except AccessDenied:
        return message("Access denied", NO_CONTRACT)
