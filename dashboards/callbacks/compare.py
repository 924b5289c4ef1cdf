"""Callbacks of the compare page. The callback hands off to a plain function in
``dashboards.layouts.compare`` with the signed-in Viewer (``dashboards.server.auth.authorised``),
so it is scoped on the server by what that user may see."""

from __future__ import annotations

from dash import Dash, Input, Output
from dash.development.base_component import Component

from dashboards import ids
from dashboards.layouts.compare import select_compare_year
from dashboards.server import auth


def register_compare_callbacks(app: Dash) -> None:
    @app.callback(
        Output(ids.COMPARE_BODY, "children"),
        Input(ids.COMPARE_YEAR, "value"),
        prevent_initial_call=True,
    )
    def _on_compare_year(year: object) -> list[Component]:
        return auth.authorised(select_compare_year)(year)
