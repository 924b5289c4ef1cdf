"""Callbacks of the authority page's forms: restate the target's baseline, confirm a part
year complete or withdraw the confirmation. Thin: the plain functions take the viewer
first and are unit-tested; ``AccessDenied`` (not the authority's officer or an admin)
becomes an HTTP 403 through ``auth.authorised``."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.controls import parse_year
from dashboards.data import actions
from dashboards.server import auth
from tracker.access import AccessDenied, Viewer
from tracker.errors import TrackerError


def _said(text: str, ok: bool) -> Component:
    return html.P(text, className="form-ok" if ok else "form-error")


def baseline_action(viewer: Viewer, code: str | None, reason: str | None) -> Component:
    """Restate the baseline of authority ``code``; what happened, or what is missing."""
    if not code:
        return _said("Not done: open the page of an authority first.", ok=False)
    try:
        return _said(actions.restate_baseline(viewer, code, reason), ok=True)
    except AccessDenied:
        raise
    except TrackerError as exc:
        return _said(f"Not done: {exc}", ok=False)


def part_year_action(
    viewer: Viewer, action: object, code: str | None, year: object, reason: str | None
) -> Component:
    """Confirm the chosen part year complete, or withdraw its confirmation."""
    fy = parse_year(year)
    if not code or fy is None:
        return _said("Not done: choose a year first.", ok=False)
    try:
        if action == ids.CONFIRM_YEAR_BUTTON:
            return _said(actions.confirm_year(viewer, code, fy, reason), ok=True)
        if action == ids.WITHDRAW_YEAR_BUTTON:
            return _said(actions.withdraw_confirmation(viewer, code, fy, reason), ok=True)
    except AccessDenied:
        raise
    except TrackerError as exc:
        return _said(f"Not done: {exc}", ok=False)
    return html.P("")


def register_year_form_callbacks(app: Dash) -> None:
    @app.callback(
        Output(ids.BASELINE_STATUS, "children"),
        Input(ids.BASELINE_BUTTON, "n_clicks"),
        State(ids.AUTHORITY_CODE_STORE, "data"),
        State(ids.BASELINE_REASON, "value"),
        prevent_initial_call=True,
    )
    def _on_baseline(_n: Any, code: str | None, reason: str | None) -> Component:
        return auth.authorised(baseline_action)(code, reason)

    @app.callback(
        Output(ids.PART_YEAR_STATUS, "children"),
        Input(ids.CONFIRM_YEAR_BUTTON, "n_clicks"),
        Input(ids.WITHDRAW_YEAR_BUTTON, "n_clicks"),
        State(ids.AUTHORITY_CODE_STORE, "data"),
        State(ids.PART_YEAR, "value"),
        State(ids.PART_YEAR_REASON, "value"),
        prevent_initial_call=True,
    )
    def _on_part_year(
        _c: Any, _w: Any, code: str | None, year: object, reason: str | None
    ) -> Component:
        return auth.authorised(part_year_action)(ctx.triggered_id, code, year, reason)
