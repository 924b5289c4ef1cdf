"""Accessible data tables: column headers with scope, an optional caption, scrolling.

``data_table`` takes rows of ready cells (row headers as ``Th``); ``value_table`` rows of
plain values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

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


def value_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Component | str]],
    *,
    numeric: Sequence[int] = (),
    table_id: str | None = None,
) -> Component:
    """A table of plain values (each put in a ``Td``) in a scrolling box whose id is
    ``table_id``; the columns at ``numeric`` are right-aligned with tabular figures."""
    right = set(numeric)

    def cls(i: int) -> str | None:
        return "num" if i in right else None

    head = html.Thead(
        html.Tr([html.Th(h, scope="col", className=cls(i)) for i, h in enumerate(headers)])
    )
    body = html.Tbody(
        [html.Tr([html.Td(v, className=cls(i)) for i, v in enumerate(row)]) for row in rows]
    )
    extra: dict[str, Any] = {"id": table_id} if table_id else {}
    return html.Div(className="table-scroll", children=html.Table([head, body]), **extra)


def folded(summary: str, table: Component) -> Component:
    """A table behind a "Show … as a table" disclosure (a chart's text alternative)."""
    return html.Details(className="table-details", children=[html.Summary(summary), table])
