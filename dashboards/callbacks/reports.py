"""Callbacks of the reports page: the download link follows the authority and year picked."""

from __future__ import annotations

from dash import Dash, Input, Output

from dashboards import ids
from dashboards.layouts.reports import report_link
from dashboards.server import auth


def register_reports_callbacks(app: Dash) -> None:
    @app.callback(
        Output(ids.REPORT_LINK, "href"),
        Output(ids.REPORT_LINK, "children"),
        Output(ids.REPORT_LINK, "hidden"),
        Input(ids.AUTHORITY_PICKER, "value"),
        Input(ids.YEAR_PICKER, "value"),
    )
    def _on_pick(code: object, year: object) -> tuple[str, str, bool]:
        return auth.authorised(report_link)(code, year)
