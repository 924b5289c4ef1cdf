"""Callbacks of the sign-off page. Thin: the plain functions below take the viewer first
and are unit-tested; the authority → year picker is the review page's callback."""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.controls import parse_year
from dashboards.data import signoff as signoff_data
from dashboards.layouts.signoff import signoff_table
from dashboards.server import auth
from tracker.access import AccessDenied, Viewer
from tracker.errors import TrackerError


def show_signoff(viewer: Viewer, code: object, year: object) -> Component:
    fy = parse_year(year)
    if not isinstance(code, str) or fy is None:
        return html.P("Choose an authority and a year.", className="muted")
    return signoff_table(signoff_data.signoff_view(viewer, code, fy))


def confirm(viewer: Viewer, code: object, year: object, class_key: object) -> Component:
    """Confirm the sign-off group whose classification inputs are ``class_key``."""
    fy = parse_year(year)
    if not isinstance(code, str) or fy is None or not isinstance(class_key, str):
        return html.P("Choose an authority and a year.", className="form-error")
    try:
        text = signoff_data.confirm(viewer, code, fy, class_key)
    except AccessDenied:
        raise
    except TrackerError as exc:
        return html.P(str(exc), className="form-error")
    return html.P(text, className="form-ok")


def register_signoff_callbacks(app: Dash) -> None:
    @app.callback(
        Output(ids.SIGNOFF_LIST, "children"),
        Input(ids.AUTHORITY_PICKER, "value"),
        Input(ids.YEAR_PICKER, "value"),
        Input(ids.SIGNOFF_REFRESH, "data"),
    )
    def _on_list(code: object, year: object, _refresh: Any) -> Component:
        return auth.authorised(show_signoff)(code, year)

    @app.callback(
        Output(ids.SIGNOFF_STATUS, "children"),
        Output(ids.SIGNOFF_REFRESH, "data"),
        Input({"type": ids.SIGNOFF_CONFIRM, "index": ALL}, "n_clicks"),
        State(ids.AUTHORITY_PICKER, "value"),
        State(ids.YEAR_PICKER, "value"),
        State(ids.SIGNOFF_REFRESH, "data"),
        prevent_initial_call=True,
    )
    def _on_confirm(
        clicks: list[Any], code: object, year: object, refresh: int | None
    ) -> tuple[Component, int]:
        trigger = ctx.triggered_id
        if not any(clicks) or not isinstance(trigger, dict):
            return html.Span(), refresh or 0
        message = auth.authorised(confirm)(code, year, trigger.get("index"))
        return message, (refresh or 0) + 1
