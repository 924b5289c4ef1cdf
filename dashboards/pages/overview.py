"""Overview page: every authority the user may see, its latest total, trend and target."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component

from dashboards.layouts.overview import TITLE, overview_layout
from dashboards.server.auth import current_viewer

dash.register_page(__name__, path="/", name="Overview", title=TITLE, order=0)  # type: ignore[no-untyped-call]


def layout(**_query: Any) -> Component:
    return overview_layout(current_viewer())
