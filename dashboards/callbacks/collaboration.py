"""Callbacks of the collaboration page. The callback hands off to a plain function in
``dashboards.layouts.collaboration`` with the signed-in Viewer
(``dashboards.server.auth.authorised``), so it is scoped on the server by what that user may
see."""

from __future__ import annotations

from dash import Dash, Input, Output
from dash.development.base_component import Component

from dashboards import ids
from dashboards.layouts.collaboration import select_collaboration
from dashboards.server import auth


def register_collaboration_callbacks(app: Dash) -> None:
    @app.callback(
        Output(ids.COLLAB_BODY, "children"),
        Input(ids.COLLAB_YEAR, "value"),
        Input(ids.COLLAB_TOP, "value"),
        prevent_initial_call=True,
    )
    def _on_collaboration_change(year: object, top: object) -> list[Component]:
        return auth.authorised(select_collaboration)(year, top)
