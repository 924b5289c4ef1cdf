"""Sorting of the paged tables (``dashboards.components.paged``): the table's own rows,
reordered on the server by ``sort_records``; nothing is read from the database."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from dashboards import ids
from dashboards.components.paged import sort_records

SORTED_TABLES = (
    ids.COMPARE_TABLE,
    ids.COLLAB_RANKING_TABLE,
    ids.COLLAB_SHARED_TABLE,
    ids.COLLAB_SPREAD_TABLE,
)


def on_sort(sort_by: object, data: object) -> list[dict[str, Any]]:
    """The rows in the order a click on a column header asked for."""
    if not sort_by or not isinstance(sort_by, list) or not isinstance(data, list):
        raise PreventUpdate
    return sort_records([r for r in data if isinstance(r, dict)], sort_by)


def register_paged_callbacks(app: Dash) -> None:
    for table_id in SORTED_TABLES:
        app.callback(
            Output(table_id, "data"),
            Input(table_id, "sort_by"),
            State(table_id, "data"),
            prevent_initial_call=True,
        )(on_sort)
