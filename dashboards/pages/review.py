"""The classification review queue."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component

from dashboards.data.access import visible_authorities
from dashboards.layouts.review import TITLE, review_layout
from dashboards.server.auth import current_viewer

dash.register_page(__name__, path="/review", name="Review", title=TITLE, order=2)  # type: ignore[no-untyped-call]


def layout(**_query: Any) -> Component:
    viewer = current_viewer()
    return review_layout(visible_authorities(viewer), viewer.role in ("admin", "officer"))
