"""Callbacks of /suppliers: the admin accepts or rejects a doubtful merge. Thin: the plain
function ``decide_merge_click`` does the work (and is what the tests call)."""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, ctx, html
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


def register_supplier_callbacks(app: Dash) -> None:
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
