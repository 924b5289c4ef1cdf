"""Callbacks of /suppliers: the admin accepts or rejects a doubtful merge, and records a
supplier's commitment. Thin: the plain functions ``decide_merge_click`` and
``add_commitment_click`` do the work (and are what the tests call)."""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.data import suppliers as suppliers_data
from dashboards.server import auth
from tracker.access import AccessDenied, Viewer
from tracker.errors import TrackerError


def decide_merge_click(viewer: Viewer, trigger: object) -> Component:
    """The message after a merge button: ``trigger`` is the pressed button's id."""
    if not isinstance(trigger, dict) or not isinstance(trigger.get("index"), int):
        return html.Span()
    accept = trigger.get("type") == ids.SUPPLIER_MERGE_ACCEPT
    try:
        text = suppliers_data.decide(viewer, int(trigger["index"]), accept)
    except AccessDenied:
        raise
    except TrackerError as exc:
        return html.P(f"Not done: {exc}", className="form-error")
    return html.P(text + " Reload the page to see the queue as it is now.", className="form-ok")


def add_commitment_click(
    viewer: Viewer, supplier_id: object, kind: object, made_on: object, source: object
) -> Component:
    """The message after the admin's Record button on a supplier."""
    if not isinstance(supplier_id, int) or not isinstance(kind, str):
        return html.Span()
    try:
        text = suppliers_data.record_commitment(
            viewer, supplier_id, kind, str(made_on or ""), str(source or "")
        )
    except AccessDenied:
        raise
    except TrackerError as exc:
        return html.P(f"Not recorded: {exc}", className="form-error")
    return html.P(text, className="form-ok")


def add_disclosure_click(viewer: Viewer, supplier_id: object, *values: object) -> Component:
    """The message after the admin's Record disclosure button: ``values`` are the year,
    scope 1, 2 and 3 tonnes, revenue and source as typed."""
    if not isinstance(supplier_id, int):
        return html.Span()
    year, s1, s2, s3, revenue, source = values
    try:
        text = suppliers_data.record_disclosure(
            viewer, supplier_id, year, s1, s2, s3, revenue, str(source or "")
        )
    except AccessDenied:
        raise
    except TrackerError as exc:
        return html.P(f"Not recorded: {exc}", className="form-error")
    return html.P(text, className="form-ok")


def register_supplier_callbacks(app: Dash) -> None:
    @app.callback(
        Output(ids.SUPPLIER_DISCLOSE_STATUS, "children"),
        Input(ids.SUPPLIER_DISCLOSE_ADD, "n_clicks"),
        State(ids.SUPPLIER_ID_STORE, "data"),
        State(ids.SUPPLIER_DISCLOSE_YEAR, "value"),
        State(ids.SUPPLIER_DISCLOSE_SCOPE1, "value"),
        State(ids.SUPPLIER_DISCLOSE_SCOPE2, "value"),
        State(ids.SUPPLIER_DISCLOSE_SCOPE3, "value"),
        State(ids.SUPPLIER_DISCLOSE_REVENUE, "value"),
        State(ids.SUPPLIER_DISCLOSE_SOURCE, "value"),
        prevent_initial_call=True,
    )
    def _on_disclosure(clicks: Any, supplier_id: object, *values: object) -> Component:
        if not clicks:
            return html.Span()
        return auth.authorised(add_disclosure_click)(supplier_id, *values)

    @app.callback(
        Output(ids.SUPPLIER_COMMIT_STATUS, "children"),
        Input(ids.SUPPLIER_COMMIT_ADD, "n_clicks"),
        State(ids.SUPPLIER_ID_STORE, "data"),
        State(ids.SUPPLIER_COMMIT_KIND, "value"),
        State(ids.SUPPLIER_COMMIT_DATE, "value"),
        State(ids.SUPPLIER_COMMIT_SOURCE, "value"),
        prevent_initial_call=True,
    )
    def _on_commitment(
        clicks: Any, supplier_id: object, kind: object, made_on: object, source: object
    ) -> Component:
        if not clicks:
            return html.Span()
        return auth.authorised(add_commitment_click)(supplier_id, kind, made_on, source)

    @app.callback(
        Output(ids.SUPPLIER_MERGE_STATUS, "children"),
        Input({"type": ids.SUPPLIER_MERGE_ACCEPT, "index": ALL}, "n_clicks"),
        Input({"type": ids.SUPPLIER_MERGE_REJECT, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def _on_merge(accepts: list[Any], rejects: list[Any]) -> Component:
        if not any(accepts) and not any(rejects):
            return html.Span()
        return auth.authorised(decide_merge_click)(ctx.triggered_id)
