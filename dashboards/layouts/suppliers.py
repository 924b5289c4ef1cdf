"""The suppliers page: who the shared suppliers are, what they have committed to, how much
of the spend and emissions is with suppliers that have a plan, and (for the admin) the
review of doubtful merges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import aria, note, section
from dashboards.components.tables import value_table
from dashboards.data.suppliers import PendingMerge
from dashboards.format import money, percent, tonnes
from tracker.domain.supplier_kpis import Share, not_assessed_sentence
from tracker.models.suppliers import COMMITMENT_KINDS
from tracker.services.suppliers.catalogue import SupplierDetail, SupplierListing
from tracker.services.suppliers.kpis import KpiRow, UnplannedContract

TITLE = "Suppliers"
EXPLAINER = (
    "Suppliers are shared by every authority: one company however the files spell it, "
    "recognised by its Companies House number where a contract gives one and by its name "
    "otherwise. Its Carbon Reduction Plan, net-zero commitment or science-based target and "
    "its reported emissions are recorded once, by the centre of excellence, and used by "
    "every authority. What an authority bought from a supplier is shown only to those who "
    "may see that authority."
)
KPI_DESCRIPTION = (
    "The share of each year's in-scope spend and emissions bought from suppliers that had a "
    "Carbon Reduction Plan or a science-based target on record during that year, from the "
    "year's current inventory. The group figure adds up the authorities shown (your own and "
    "those that share their figures): covered spend over all spend, not an average of shares."
)
PPN006_DESCRIPTION = (
    "Procurement Policy Note 006 asks for a Carbon Reduction Plan on contracts worth more than "
    "£5m a year including VAT. These contracts of the authorities you can see are above that "
    "(value over the contract's length, at least a year, plus 20% VAT) and still running, and "
    "their supplier has no plan on record."
)
SHOWN = 50


def _pct(value: float | None) -> str:
    return percent(None if value is None else Decimal(str(value)))


def _kpi_rows(rows: Sequence[KpiRow]) -> list[list[Component | str]]:
    def cells(s: Share, currency: str) -> list[Component | str]:
        spend = money(s.spend, currency)
        return [spend, _pct(s.spend_share), tonnes(s.kgco2e), _pct(s.kgco2e_share)]

    several = len({r.currency for r in rows if not r.authority_code}) > 1

    def group(r: KpiRow) -> str:
        return f"Group ({r.authorities} authorities{f', {r.currency}' if several else ''})"

    return [
        [
            r.authority_name if r.authority_code else group(r),
            r.year_label,
            *cells(r.plan_or_sbt, r.currency),
            f"{_pct(r.sbt.spend_share)} / {_pct(r.sbt.kgco2e_share)}",
        ]
        for r in rows
    ]


def kpi_section(rows: Sequence[KpiRow]) -> Component:
    body: Component = (
        value_table(
            (
                "Authority",
                "Year",
                "In-scope spend",
                "Spend with a plan or SBT",
                "Emissions",
                "Emissions with a plan or SBT",
                "Science-based target only (spend / emissions)",
            ),
            _kpi_rows(rows),
            numeric=(2, 3, 4, 5),
            table_id=ids.SUPPLIER_KPIS,
        )
        if rows
        else html.P("No inventories to measure yet.", id=ids.SUPPLIER_KPIS)
    )
    return section("Spend with suppliers that have a plan", body, description=KPI_DESCRIPTION)


def _date(day: dt.date | None) -> str:
    return day.strftime("%d %b %Y") if day else "–"


def _day(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _dec(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def ppn006_section(contracts: Sequence[UnplannedContract], not_assessed: int = 0) -> Component:
    body: Component = (
        value_table(
            ("Authority", "Supplier", "Contract", "Value a year incl. VAT", "Ends"),
            [
                [
                    c.authority_code,
                    c.supplier_name,
                    c.title or "–",
                    money(c.value_a_year_incl_vat),
                    _date(c.end_date),
                ]
                for c in contracts[:SHOWN]
            ],
            numeric=(3,),
            table_id=ids.SUPPLIER_PPN006,
        )
        if contracts
        else html.P(
            "None: every such contract's supplier has a plan on record.", id=ids.SUPPLIER_PPN006
        )
    )
    shown = f" (the largest {SHOWN} of {len(contracts)})" if len(contracts) > SHOWN else ""
    unassessed = [note(not_assessed_sentence(not_assessed))] if not_assessed else []
    return section(
        f"Contracts above the PPN 006 threshold without a plan{shown}",
        body,
        *unassessed,
        description=PPN006_DESCRIPTION,
    )


def search_section(query: str, results: Sequence[SupplierListing]) -> Component:
    form = html.Form(
        method="get",
        action="/suppliers",
        className="inline-form",
        children=[
            html.Label("Find a supplier (name or company number)", htmlFor=ids.SUPPLIER_SEARCH),
            dcc.Input(
                id=ids.SUPPLIER_SEARCH,
                name="q",
                type="search",
                value=query,
                debounce=True,
                maxLength=200,
            ),
            html.Button("Search", type="submit"),
        ],
    )
    rows: list[list[Component | str]] = [
        [
            dcc.Link(r.name, href=f"/suppliers?id={r.id}"),
            ", ".join(r.identifiers) or "–",
            ", ".join(r.commitments) or "none on record",
        ]
        for r in results
    ]
    table: Component = (
        value_table(("Supplier", "Identifiers", "Commitments"), rows, table_id=ids.SUPPLIER_RESULTS)
        if rows
        else html.P("No supplier matches." if query else "", id=ids.SUPPLIER_RESULTS)
    )
    return section("Find a supplier", form, table)


def commitment_form(supplier_id: int) -> Component:
    """The admin's form to record a commitment of this supplier."""
    return html.Div(
        className="inline-form",
        children=[
            dcc.Store(id=ids.SUPPLIER_ID_STORE, data=supplier_id),
            html.Label("Record a commitment", htmlFor=ids.SUPPLIER_COMMIT_KIND),
            dcc.Dropdown(
                id=ids.SUPPLIER_COMMIT_KIND,
                options=[{"label": v, "value": k} for k, v in COMMITMENT_KINDS.items()],
                value="carbon-reduction-plan",
                clearable=False,
            ),
            dcc.Input(
                id=ids.SUPPLIER_COMMIT_DATE,
                type="text",
                placeholder="published on, e.g. 2024-03-31",
            ),
            dcc.Input(
                id=ids.SUPPLIER_COMMIT_SOURCE, type="url", placeholder="URL of the published plan"
            ),
            html.Button("Record", id=ids.SUPPLIER_COMMIT_ADD),
            html.Div(id=ids.SUPPLIER_COMMIT_STATUS, **aria(live="polite")),
        ],
    )


def disclosure_form() -> Component:
    """The admin's form to record a supplier's reported emissions and revenue (£)."""

    def field(label: str, cid: str, placeholder: str) -> list[Component]:
        return [html.Label(label, htmlFor=cid),
                dcc.Input(id=cid, type="text", placeholder=placeholder)]  # fmt: skip

    return html.Div(
        className="inline-form",
        children=[
            *field("Reporting year", ids.SUPPLIER_DISCLOSE_YEAR, "2023"),
            *field("Scope 1 (t)", ids.SUPPLIER_DISCLOSE_SCOPE1, "1,200"),
            *field("Scope 2 (t)", ids.SUPPLIER_DISCLOSE_SCOPE2, "300"),
            *field("Scope 3 (t, optional)", ids.SUPPLIER_DISCLOSE_SCOPE3, ""),
            *field("Revenue (£)", ids.SUPPLIER_DISCLOSE_REVENUE, "10,000,000"),
            *field("Source", ids.SUPPLIER_DISCLOSE_SOURCE, "URL of the report"),
            html.Button("Record disclosure", id=ids.SUPPLIER_DISCLOSE_ADD),
            html.Div(id=ids.SUPPLIER_DISCLOSE_STATUS, **aria(live="polite")),
        ],
    )


def detail_section(d: SupplierDetail | None, *, admin: bool = False) -> Component:
    if d is None:
        return html.Section(
            id=ids.SUPPLIER_DETAIL, className="section", children=html.P("No such supplier.")
        )
    parts: list[Component] = [html.H2(d.name)]
    if d.other_names:
        parts.append(note("Also written: " + "; ".join(d.other_names)))
    parts.append(
        html.P(
            "Identifiers: "
            + (", ".join(f"{i['scheme']} {i['value']}" for i in d.identifiers) or "none recorded")
        )
    )
    parts.append(html.H3("Commitments"))
    parts.append(
        value_table(
            ("Commitment", "On record from", "Ended", "Source"),
            [
                [
                    str(c["kind_label"]),
                    _date(_day(c["made_on"])),
                    _date(_day(c["ended_on"])),
                    html.A("published", href=str(c["source_url"]), target="_blank", rel="noopener"),
                ]
                for c in d.commitments
            ],
        )
        if d.commitments
        else html.P("None on record.")
    )
    if admin:
        parts.append(commitment_form(d.id))
    if d.disclosures:
        parts.append(html.H3("Reported emissions"))
        parts.append(
            value_table(
                ("Year", "Scope 1 and 2 (t)", "Scope 3 (t)", "Revenue", "kgCO2e per unit"),
                [
                    [
                        str(x["year"]),
                        f"{_dec(x['scope1_tco2e']) + _dec(x['scope2_tco2e']):,.0f}",
                        "–" if x["scope3_tco2e"] is None else f"{x['scope3_tco2e']:,.0f}",
                        money(_dec(x["revenue"]), str(x["currency"])),
                        f"{x['kgco2e_per_unit']:.4f}" if x["kgco2e_per_unit"] is not None else "–",
                    ]
                    for x in d.disclosures
                ],
                numeric=(1, 2, 3, 4),
            )
        )
    if admin:
        parts.append(disclosure_form())
    parts.append(html.H3("Bought by the authorities you can see"))
    parts.append(
        value_table(
            ("Authority", "Year", "In-scope spend", "Emissions"),
            [
                [b.authority_name, b.year_label, money(b.spend, b.currency), tonnes(b.kgco2e)]
                for b in d.buyers
            ],
            numeric=(2, 3),
        )
        if d.buyers
        else html.P("None in your authorities' inventories.")
    )
    if d.contracts:
        parts.append(html.H3("Contracts"))
        parts.append(
            value_table(
                ("Authority", "Contract", "Value", "Starts", "Ends"),
                [
                    [
                        k.authority_code,
                        k.title or "–",
                        "–" if k.value is None else money(k.value, k.currency or "GBP"),
                        _date(k.start_date),
                        _date(k.end_date),
                    ]
                    for k in d.contracts
                ],
                numeric=(2,),
            )
        )
    return html.Section(id=ids.SUPPLIER_DETAIL, className="section", children=parts)


def _button(kind: str, candidate_id: int) -> dict[str, object]:
    return {"type": kind, "index": candidate_id}


def merge_section(items: Sequence[PendingMerge]) -> Component:
    rows: list[list[Component | str]] = [
        [
            dcc.Link(m.supplier, href=f"/suppliers?id={m.supplier_id}"),
            dcc.Link(m.candidate, href=f"/suppliers?id={m.candidate_id}"),
            "; ".join(m.reasons),
            html.Span(
                [
                    html.Button("Same company: merge", id=_button(ids.SUPPLIER_MERGE_ACCEPT, m.id)),
                    " ",
                    html.Button(
                        "Different: keep apart", id=_button(ids.SUPPLIER_MERGE_REJECT, m.id)
                    ),
                ]
            ),
        ]
        for m in items
    ]
    body: Component = (
        value_table(("New name", "May be", "Why", "Decision"), rows, table_id=ids.SUPPLIER_MERGES)
        if rows
        else html.P("No doubtful merges to review.", id=ids.SUPPLIER_MERGES)
    )
    return section(
        "Doubtful merges to review",
        html.Div(id=ids.SUPPLIER_MERGE_STATUS, **aria(live="polite")),
        body,
        description=(
            "A name like a known supplier's, without a company number to settle it. Merging "
            "moves its spend, contracts and commitments to the known supplier for every "
            "authority; keeping apart leaves both."
        ),
    )


def suppliers_layout(
    *,
    kpi_rows: Sequence[KpiRow],
    contracts: Sequence[UnplannedContract],
    not_assessed: int,
    query: str,
    results: Sequence[SupplierListing],
    detail: SupplierDetail | None,
    show_detail: bool,
    merges: Sequence[PendingMerge] | None,
) -> Component:
    parts: list[Component] = [html.H1(TITLE), note(EXPLAINER)]
    parts.append(search_section(query, results))
    if show_detail:
        parts.append(detail_section(detail, admin=merges is not None))
    parts += [kpi_section(kpi_rows), ppn006_section(contracts, not_assessed)]
    if merges is not None:
        parts.append(merge_section(merges))
    return html.Div(parts)
