"""The collaboration page: suppliers the authorities share and where to engage together."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import kpi, note, section
from dashboards.components.controls import parse_year
from dashboards.components.paged import Column, paged_table
from dashboards.components.tables import folded, value_table
from dashboards.data.collaboration import collaboration_data
from dashboards.data.contracts import pipeline_data
from dashboards.figures.collaboration import buyers_text, shared_suppliers_figure, spread_figure
from dashboards.figures.theme import GRAPH_CONFIG
from dashboards.format import money, percent, tonnes
from dashboards.layouts.compare import year_control
from dashboards.layouts.pipeline import pipeline_section
from tracker.access import Viewer
from tracker.domain.spread import (
    FACTOR_SET_OR_YEAR,
    PRICE_DEFLATION,
    SUPPLIER_SPECIFIC,
    CategorySpread,
)
from tracker.domain.treatments import Difference
from tracker.services.collaboration import DEFAULT_TOP, Collaboration, RankedSupplier
from tracker.storage.memo import Memo, drawn_once

TITLE = "Collaborate on suppliers"
TOP_CHOICES = (10, 20, 50)
EXPLAINER = (
    "Authorities often buy from the same suppliers without knowing it. This page shows "
    "the suppliers that several of the authorities you can see buy from, and the suppliers "
    "whose engagement would reach the most emissions across the group: asking one supplier "
    "together for its own footprint and a plan to cut it carries more weight than each "
    "authority asking alone. Other authorities appear only if they chose to share, and only "
    "as yearly totals per supplier, never as individual payments."
)
DRIVER_TEXT = {
    SUPPLIER_SPECIFIC: "a supplier's own footprint is used (a real difference to learn from)",
    FACTOR_SET_OR_YEAR: "different factor sets or years (a difference of method)",
    PRICE_DEFLATION: "price deflation only (a small difference of method)",
}


def top_control(value: int) -> Component:
    return html.Div(
        className="controls__item",
        children=[
            html.Label("Suppliers to list", htmlFor=ids.COLLAB_TOP),
            dcc.Dropdown(
                id=ids.COLLAB_TOP,
                options=[{"label": str(n), "value": n} for n in TOP_CHOICES],
                value=value,
                clearable=False,
                searchable=False,
                className="year-dropdown",
            ),
        ],
    )


def parse_top(value: object) -> int:
    """A listed choice of how many suppliers to show (a number, or its text from a query
    string); anything else is the default."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and value in TOP_CHOICES else DEFAULT_TOP


def _currency(result: Collaboration) -> str:
    return result.currencies[0] if len(result.currencies) == 1 else "GBP"


def ranking_table(rows: Sequence[RankedSupplier], currency: str) -> Component:
    columns: tuple[Column[RankedSupplier], ...] = (
        Column("rank", "Rank", lambda s: str(s.rank), lambda s: s.rank),
        Column("supplier", "Supplier", lambda s: s.name),
        Column("emissions", "Emissions", lambda s: tonnes(s.kgco2e), lambda s: s.kgco2e),
        Column(
            "share",
            "Share of group",
            lambda s: percent(s.share_of_group),
            lambda s: s.share_of_group,
        ),
        Column("authorities", "Authorities", lambda s: str(s.authorities), lambda s: s.authorities),
        Column("spend", "Spend", lambda s: money(s.spend, currency), lambda s: s.spend),
    )
    return paged_table(
        ids.COLLAB_RANKING_TABLE,
        columns,
        rows,
        caption="Suppliers ranked by the group's combined emissions with them",
    )


def shared_table(rows: Sequence[RankedSupplier], currency: str) -> Component:
    columns: tuple[Column[RankedSupplier], ...] = (
        Column("supplier", "Supplier", lambda s: s.name),
        Column("emissions", "Emissions", lambda s: tonnes(s.kgco2e), lambda s: s.kgco2e),
        Column("spend", "Spend", lambda s: money(s.spend, currency), lambda s: s.spend),
        Column("buyers", "Who buys (tCO2e each)", buyers_text),
    )
    table = paged_table(ids.COLLAB_SHARED_TABLE, columns, rows)
    return folded(f"Show the {len(rows)} shared suppliers as a table", table)


SPREAD_COLUMNS: tuple[Column[CategorySpread], ...] = (
    Column("category", "Category", lambda s: f"{s.name} ({s.code})"),
    Column("lowest", "Lowest", lambda s: f"{s.low.authority} {s.low.intensity:.3f}"),
    Column("highest", "Highest", lambda s: f"{s.high.authority} {s.high.intensity:.3f}"),
    Column("spread", "Times higher", lambda s: f"{s.spread:.2f}", lambda s: s.spread),
    Column("drivers", "Why they differ", lambda s: "; ".join(DRIVER_TEXT[d] for d in s.drivers)),
)


def spread_table(rows: Sequence[CategorySpread]) -> Component:
    if not rows:
        return html.Div()
    table = paged_table(ids.COLLAB_SPREAD_TABLE, SPREAD_COLUMNS, rows)
    return folded(f"Show the {len(rows)} categories as a table", table)


def treatments_table(rows: Sequence[Difference]) -> Component:
    """Payees and expense types treated differently, one row each."""
    if not rows:
        return html.P("Each payee and expense type is treated the same way.", className="muted")
    return value_table(
        ["Payee or expense type", "Treatments (authority, spend, share)"],
        [
            [f"{'payee' if d.field == 'supplier' else 'expense type'}: {d.key}", d.describe()]
            for d in rows
        ],
    )


# The body drawn for each kept answer, by the answer object: ``collaboration`` hands out
# the very same object while nothing it rests on changes (``tracker.services.collaboration
# ._ANSWERS``), and drawing its charts and tables costs more than checking that. Keeping
# the object keeps its id from being reused.
_BODIES: Memo[tuple[Collaboration, list[Component]]] = Memo(size=16)


def collaboration_body(result: Collaboration) -> list[Component]:
    """Everything below the controls for the selected year (drawn once per answer)."""
    return drawn_once(_BODIES, result, _draw_body)


def _draw_body(result: Collaboration) -> list[Component]:
    if result.fy_year is None or not result.authorities:
        return [
            html.P("No authority you can see has an inventory for this year.", className="muted")
        ]
    currency = _currency(result)
    parts: list[Component] = [
        html.Div(
            className="kpi-row",
            children=[
                kpi("Authorities", str(len(result.authorities)), ", ".join(result.authorities)),
                kpi("Their emissions", tonnes(result.group_kgco2e), "sum of their inventories"),
                kpi("Suppliers shared", f"{result.shared_count:,}", "bought by two or more"),
            ],
        ),
        section(
            "Suppliers to engage together",
            ranking_table(result.engagement, currency),
            description=(
                "Ranked by the estimated emissions of everything the group bought from each "
                "supplier, then by how many authorities buy from it: the most the group "
                "could influence by engaging it. Estimates use category averages, not the "
                "supplier's own footprint."
            ),
        ),
        section(
            "Suppliers shared by several authorities",
            dcc.Graph(
                id=ids.COLLAB_SHARED_FIGURE,
                figure=shared_suppliers_figure(result.shared),
                config=GRAPH_CONFIG,
            ),
            shared_table(result.shared, currency),
            description=(
                "Combined emissions and, after each bar, how many authorities buy from the "
                "supplier; hover or open the table for each authority's part."
            ),
        ),
        section(
            "Same category, different emissions per £",
            dcc.Graph(
                id=ids.COLLAB_SPREAD_FIGURE,
                figure=spread_figure(result.spreads),
                config=GRAPH_CONFIG,
            ),
            spread_table(result.spreads),
            description=(
                "Categories in which one authority's purchases carry at least 25% more "
                "emissions per £ than another's (authorities with £1,000 or more in the "
                "category). Every authority uses the same average factor for a category, so "
                "a gap means a supplier's own footprint is used somewhere (worth asking "
                "about), or the factor sets or price years differ (not a real difference)."
            ),
        ),
    ]
    parts.append(
        section(
            "Treated differently",
            treatments_table(result.treated_differently),
            description=(
                "Payees and expense types whose spend one authority costs in one category "
                "(or excludes) and another treats otherwise: each authority's main "
                "treatment, with its spend and share. Totals are not comparable until "
                "they agree."
            ),
        )
    )
    if result.mixed_currencies:
        parts.append(
            note(
                f"Spend is in {', '.join(result.currencies)}: combined spend adds different "
                "currencies, so compare emissions rather than spend."
            )
        )
    return parts


def collaboration_layout(viewer: Viewer, year: object = None, top: object = None) -> Component:
    result = collaboration_data(viewer, parse_year(year), parse_top(top))
    return html.Div(
        [
            html.H1(TITLE),
            note(EXPLAINER),
            html.Div(
                className="controls",
                children=[
                    year_control(
                        ids.COLLAB_YEAR, result.years, result.fy_year, result.fy_start_months
                    ),
                    top_control(parse_top(top)),
                ],
            ),
            html.Div(id=ids.COLLAB_BODY, children=collaboration_body(result)),
            html.Div(id=ids.COLLAB_PIPELINE, children=pipeline_section(pipeline_data(viewer))),
        ]
    )


def select_collaboration(viewer: Viewer, year: object, top: object) -> list[Component]:
    """The collaboration page's body when the year or the number of suppliers changes."""
    return collaboration_body(collaboration_data(viewer, parse_year(year), parse_top(top)))
