"""The factors page: every loaded factor set edition and where it comes from."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import note
from dashboards.components.tables import value_table
from tracker.domain.vocabulary import factor_set_name
from tracker.queries.reference import FactorEdition

TITLE = "Emission factors"
EXPLAINER = (
    "An emission factor is the average greenhouse gas emitted per pound (or dollar) spent "
    "on a kind of product, worked out by government statisticians from national accounts. "
    "Multiplying spend by a factor gives a first estimate that is good for finding where "
    "emissions are concentrated and following broad trends. It cannot tell two suppliers "
    "of the same product apart, and it moves with prices, so factors are adjusted to the "
    "price year of the spend. Every figure in the tracker records which edition it used."
)


HEADERS = (
    "Factor set",
    "Edition",
    "Data years",
    "Unit",
    "Classification",
    "Factors",
    "Publisher and licence",
    "Source file (sha256)",
)


def _years(years: Sequence[int]) -> str:
    if not years:
        return "–"
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]} ({len(years)} years)"


def factors_layout(editions: Sequence[FactorEdition]) -> Component:
    rows: list[list[Component | str]] = [
        [
            html.A(e.title, href=e.source_url, target="_blank", rel="noopener"),
            factor_set_name(e.family, e.edition),
            _years(e.data_years),
            e.unit + (f", {e.gwp}" if e.gwp else ""),
            e.code_system,
            f"{e.factors:,}",
            f"{e.publisher}; {e.licence}",
            html.Span([e.source_file, html.Br(), "sha256 ", html.Code(e.source_sha256[:16] + "…")]),
        ]
        for e in editions
    ]
    table: Component = (
        value_table(HEADERS, rows, numeric=(5,), table_id=ids.FACTOR_TABLE)
        if editions
        else html.P("No factor sets are loaded: run `tracker db upgrade`.", id=ids.FACTOR_TABLE)
    )
    return html.Div(
        [html.H1(TITLE), note(EXPLAINER), html.Section(className="section", children=table)]
    )
