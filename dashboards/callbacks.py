"""Callbacks. Each decorated callback is a few lines in ``register_callbacks`` that hands
off to a plain function defined above it, so the logic is unit-tested without Dash.

Callbacks are registered on the app (not with the global ``dash.callback``), so building
the app twice in one process never registers them twice.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
from dash import Dash, Input, Output, State
from dash.development.base_component import Component

from dashboards import data, ids
from dashboards.callbacks_compare import register_compare_callbacks
from dashboards.figures.theme import empty_figure
from dashboards.layouts.authority import (
    NO_INVENTORY,
    not_found,
    parse_year,
    year_panel,
    years_figure,
)


@dataclass(frozen=True)
class YearView:
    years_figure: go.Figure
    panel: list[Component]


def select_year(code: str | None, year: object) -> YearView:
    """What the authority page shows when ``year`` is picked for authority ``code``."""
    result = data.authority_data(code, parse_year(year)) if code else None
    if result is None:
        return YearView(years_figure=empty_figure(NO_INVENTORY), panel=[not_found(code)])
    return YearView(years_figure=years_figure(result), panel=year_panel(result))


def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output(ids.YEARS_FIGURE, "figure"),
        Output(ids.YEAR_PANEL, "children"),
        Input(ids.YEAR_DROPDOWN, "value"),
        State(ids.AUTHORITY_CODE_STORE, "data"),
        prevent_initial_call=True,
    )
    def _on_year_selected(year: object, code: str | None) -> tuple[go.Figure, list[Component]]:
        view = select_year(code, year)
        return view.years_figure, view.panel

    register_compare_callbacks(app)
