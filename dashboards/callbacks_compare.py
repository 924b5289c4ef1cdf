"""Callbacks of the compare and collaboration pages. Each hands off to a plain function in
``dashboards.layouts`` with the signed-in Viewer (``dashboards.auth.authorised``), so every
callback is scoped on the server by what that user may see."""

from __future__ import annotations

from dash import Dash, Input, Output
from dash.development.base_component import Component

from dashboards import auth, ids
from dashboards.layouts.collaboration import select_collaboration
from dashboards.layouts.compare import select_compare_year


def register_compare_callbacks(app: Dash) -> None:
    @app.callback(
        Output(ids.COMPARE_BODY, "children"),
        Input(ids.COMPARE_YEAR, "value"),
        prevent_initial_call=True,
    )
    def _on_compare_year(year: object) -> list[Component]:
        return auth.authorised(select_compare_year)(year)

    @app.callback(
        Output(ids.COLLAB_BODY, "children"),
        Input(ids.COLLAB_YEAR, "value"),
        Input(ids.COLLAB_TOP, "value"),
        prevent_initial_call=True,
    )
    def _on_collaboration_change(year: object, top: object) -> list[Component]:
        return auth.authorised(select_collaboration)(year, top)
