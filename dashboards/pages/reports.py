"""Download the inventory report for an authority and year."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component

from dashboards.data.access import visible_authorities
from dashboards.layouts.reports import TITLE, reports_layout
from dashboards.server.auth import current_viewer

dash.register_page(__name__, path="/reports", name="Reports", title=TITLE, order=4)  # type: ignore[no-untyped-call]


def layout(**_query: Any) -> Component:
    return reports_layout(visible_authorities(current_viewer()))
