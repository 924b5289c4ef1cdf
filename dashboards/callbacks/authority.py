"""Callbacks of the authority page. Each decorated callback is a few lines in
``register_authority_callbacks`` that hands off to a plain function defined above it, so the
logic is unit-tested without Dash. Every plain function takes the signed-in viewer first;
the registered callbacks get it through ``auth.authorised`` (401 without a log-in, 403 when
the viewer may not see the authority).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
from dash import Dash, Input, Output, State, ctx, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboards import ids
from dashboards.components.controls import parse_year
from dashboards.data import actions
from dashboards.data.authority import authority_data, category_lines
from dashboards.figures.theme import empty_figure
from dashboards.layouts.authority import forbidden, years_figure
from dashboards.layouts.authority_year import NO_INVENTORY, lines_table, year_panel
from dashboards.server import auth
from tracker.access import AccessDenied, Viewer
from tracker.errors import TrackerError


@dataclass(frozen=True)
class YearView:
    years_figure: go.Figure
    panel: list[Component]
    year: int | None = None  # the year shown (None: no inventory, or not the viewer's)


def select_year(viewer: Viewer, code: str | None, year: object) -> YearView:
    """What the authority page shows when ``year`` is picked for authority ``code``."""
    try:
        result = authority_data(viewer, code or "", parse_year(year))
    except AccessDenied:
        return YearView(years_figure=empty_figure(NO_INVENTORY), panel=[forbidden()])
    shown = result.selected.run.fy_year if result.selected else None
    return YearView(years_figure=years_figure(result), panel=year_panel(result), year=shown)


def already_shown(year: object, shown: object) -> bool:
    """Whether ``year`` is the year the page shows now (``shown``, set by the layout and by
    each redraw), so there is nothing to redraw. A browser sends no request when a control
    is set to the value it has; a request that does (a script, the load bench) gets no
    update rather than the same chart and panel laid out again."""
    picked = parse_year(year)
    return picked is not None and picked == shown


def clicked_category(click: Any) -> str | None:
    """The category code of a clicked bar ('' for unmapped), None for "Other" or no click."""
    try:
        key = click["points"][0]["customdata"][2]
    except (KeyError, IndexError, TypeError):
        return None
    return key if isinstance(key, str) else None


@dataclass(frozen=True)
class DrillView:
    table: list[Component]
    page: int
    prev_disabled: bool
    next_disabled: bool


def drill_down(
    viewer: Viewer, code: str | None, year: object, category: str | None, page: int
) -> DrillView:
    """One page of the lines behind ``category`` ('' is the unmapped spend)."""
    fy = parse_year(year)
    if category is None or fy is None or not code:
        return DrillView([], 0, True, True)
    result = category_lines(viewer, code, fy, category or None, page)
    last = result.offset + len(result.rows)
    return DrillView(
        lines_table(result), page, prev_disabled=page <= 0, next_disabled=last >= result.total
    )


def next_page(trigger: object, page: int | None) -> int:
    page = page or 0
    if trigger == ids.DRILL_NEXT:
        return page + 1
    if trigger == ids.DRILL_PREV:
        return max(page - 1, 0)
    return 0  # a new category starts at the first page


def change_year_state(
    viewer: Viewer, action: object, code: str | None, year: object, reason: str | None
) -> str:
    """Lock or restate the selected year, or recalculate the inventories; the message to
    show."""
    fy = parse_year(year)
    if not code or fy is None:
        return "Choose a year first."
    try:
        if action == ids.LOCK_BUTTON:
            return actions.lock_year(viewer, code, fy, reason)
        if action == ids.RESTATE_BUTTON:
            return actions.restate_year(viewer, code, fy, reason)
        if action == ids.RECALCULATE_BUTTON:
            return actions.recalculate(viewer, code)
    except TrackerError as exc:
        if isinstance(exc, AccessDenied):
            raise
        return f"Not done: {exc}"
    return ""


def register_authority_callbacks(app: Dash) -> None:
    @app.callback(
        Output(ids.YEARS_FIGURE, "figure"),
        Output(ids.YEAR_PANEL, "children"),
        Output(ids.YEAR_SHOWN, "data"),
        Input(ids.YEAR_DROPDOWN, "value"),
        State(ids.AUTHORITY_CODE_STORE, "data"),
        State(ids.YEAR_SHOWN, "data"),
        prevent_initial_call=True,
    )
    def _on_year_selected(
        year: object, code: str | None, shown: object
    ) -> tuple[go.Figure, list[Component], int | None]:
        auth.current_viewer()  # signed in (the guard has checked already)
        if already_shown(year, shown):
            raise PreventUpdate
        view = auth.authorised(select_year)(code, year)
        return view.years_figure, view.panel, view.year

    @app.callback(
        Output(ids.DRILL_CATEGORY, "value"),
        Input(ids.CATEGORY_FIGURE, "clickData"),
        prevent_initial_call=True,
    )
    def _on_bar_clicked(click: Any) -> Any:
        auth.current_viewer()  # signed in (the guard has checked already)
        key = clicked_category(click)
        return no_update if key is None else key

    @app.callback(
        Output(ids.DRILL_TABLE, "children"),
        Output(ids.DRILL_PAGE, "data"),
        Output(ids.DRILL_PREV, "disabled"),
        Output(ids.DRILL_NEXT, "disabled"),
        Input(ids.DRILL_CATEGORY, "value"),
        Input(ids.DRILL_PREV, "n_clicks"),
        Input(ids.DRILL_NEXT, "n_clicks"),
        State(ids.DRILL_PAGE, "data"),
        State(ids.AUTHORITY_CODE_STORE, "data"),
        State(ids.YEAR_DROPDOWN, "value"),
        prevent_initial_call=True,
    )
    def _on_drill(
        category: str | None, _p: Any, _n: Any, page: int | None, code: str | None, year: object
    ) -> tuple[list[Component], int, bool, bool]:
        view = auth.authorised(drill_down)(code, year, category, next_page(ctx.triggered_id, page))
        return view.table, view.page, view.prev_disabled, view.next_disabled

    @app.callback(
        Output(ids.LOCK_STATUS, "children"),
        Input(ids.LOCK_BUTTON, "n_clicks"),
        Input(ids.RESTATE_BUTTON, "n_clicks"),
        Input(ids.RECALCULATE_BUTTON, "n_clicks"),
        State(ids.AUTHORITY_CODE_STORE, "data"),
        State(ids.YEAR_DROPDOWN, "value"),
        State(ids.LOCK_REASON, "value"),
        prevent_initial_call=True,
    )
    def _on_lock(
        _l: Any, _r: Any, _c: Any, code: str | None, year: object, reason: str | None
    ) -> str:
        return auth.authorised(change_year_state)(ctx.triggered_id, code, year, reason)
