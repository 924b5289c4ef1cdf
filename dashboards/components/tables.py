"""Accessible data tables: column headers with scope, an optional caption, scrolling."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html
from dash.development.base_component import Component


def data_table(
    table_id: str,
    head: Sequence[str],
    rows: Sequence[Sequence[Component]],
    *,
    caption: str | None = None,
) -> Component:
    """A table in a horizontally scrolling box; ``rows`` are lists of Th/Td cells."""
    parts: list[Component] = [html.Caption(caption)] if caption else []
    parts += [
        html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
        html.Tbody([html.Tr(list(cells)) for cells in rows]),
    ]
    return html.Div(className="table-scroll", children=html.Table(id=table_id, children=parts))


def folded(summary: str, table: Component) -> Component:
    """A table behind a "Show … as a table" disclosure (a chart's text alternative)."""
    return html.Details(className="table-details", children=[html.Summary(summary), table])
