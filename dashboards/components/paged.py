"""Long tables as a paged, sortable ``dash_table.DataTable`` fed with plain records.

A table of a few hundred rows built as ``html.Tr``/``html.Td`` components costs as much to
build and serialise as the page's queries (issue 18: 400 authorities on /compare); a
DataTable takes one list of dicts and shows ``page_size`` rows at a time. Cells are the
page's formatted text (``dashboards.format``); a column may carry a sort key per row
(``Column.sort``), kept in the record under ``sort_key(column_id)``, so that sorting a
column of "1,234 t" orders by the number and not by the text. Sorting is done on the
server by ``sort_records`` (``dashboards.callbacks.paged``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar, cast

from dash import html
from dash.dash_table.DataTable import DataTable
from dash.development.base_component import Component

T = TypeVar("T")
PAGE_SIZE = 25
SortKey = Decimal | int | float | str | None


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: its header, the cell text of a row and, for numeric columns, the
    value to sort by."""

    id: str
    name: str
    cell: Callable[[T], str]
    sort: Callable[[T], SortKey] | None = None

    @property
    def numeric(self) -> bool:
        return self.sort is not None


def sort_key(column_id: str) -> str:
    """The record key holding a column's sort value (not shown: not among the columns)."""
    return f"{column_id}__sort"


def _plain(value: SortKey) -> float | str | None:
    if isinstance(value, Decimal | int | float):
        return float(value)
    return value


def records(columns: Sequence[Column[T]], rows: Sequence[T]) -> list[dict[str, Any]]:
    """One dict per row: each column's text, and the sort value of numeric columns."""
    out = []
    for row in rows:
        record: dict[str, Any] = {c.id: c.cell(row) for c in columns}
        for c in columns:
            if c.sort is not None:
                record[sort_key(c.id)] = _plain(c.sort(row))
        out.append(record)
    return out


def paged_table(
    table_id: str,
    columns: Sequence[Column[T]],
    rows: Sequence[T],
    *,
    caption: str | None = None,
    page_size: int = PAGE_SIZE,
) -> Component:
    """A paged table sorted by a click on a column header (``sort_records``)."""
    numeric = [c.id for c in columns if c.numeric]
    table = DataTable(
        id=table_id,
        columns=[{"name": c.name, "id": c.id} for c in columns],
        data=cast(Any, records(columns, rows)),  # dicts of str keys: Dash types them loosely
        page_size=page_size,
        page_action="native",
        sort_action="custom",
        sort_mode="single",
        sort_by=[],
        cell_selectable=False,
        style_as_list_view=True,
        style_table={"overflowX": "auto"},
        style_header={"fontWeight": "600", "whiteSpace": "normal", "textAlign": "left"},
        style_cell={
            "whiteSpace": "normal",
            "height": "auto",
            "textAlign": "left",
            "fontFamily": "inherit",
            "fontSize": "inherit",
            "padding": "6px 8px",
            "minWidth": "6rem",
            "maxWidth": "24rem",
        },
        style_cell_conditional=[
            {"if": {"column_id": cid}, "textAlign": "right", "fontVariantNumeric": "tabular-nums"}
            for cid in numeric
        ],
    )
    parts: list[Component] = [html.P(caption, className="table-caption")] if caption else []
    return html.Div(className="table-scroll", children=[*parts, table])


def sort_records(
    data: Sequence[dict[str, Any]], sort_by: Sequence[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """``data`` ordered by the first entry of a DataTable's ``sort_by``
    (``{"column_id", "direction"}``): by the column's sort value when it has one, else by
    its text (case-insensitive); rows without a value last in either direction."""
    rows = list(data)
    if not sort_by:
        return rows
    column = str(sort_by[0].get("column_id"))
    descending = sort_by[0].get("direction") == "desc"
    key = sort_key(column)

    def value(row: dict[str, Any]) -> tuple[int, float, str] | None:
        v = row.get(key) if key in row else row.get(column)
        if isinstance(v, int | float) and not isinstance(v, bool):
            return (0, float(v), "")
        if isinstance(v, str) and v not in ("", "–"):
            return (1, 0.0, v.casefold())
        return None  # no value (or one a page never sends)

    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    present.sort(key=lambda r: value(r) or (2, 0.0, ""), reverse=descending)  # stable
    return present + missing
