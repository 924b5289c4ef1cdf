"""Collaboration: shared suppliers and where to engage together."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component

from dashboards.layouts.collaboration import TITLE, collaboration_layout
from dashboards.server.auth import current_viewer

dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path="/collaboration", name="Collaboration", title=TITLE, order=2
)


def layout(year: str | None = None, top: str | None = None, **_query: Any) -> Component:
    """``/collaboration``, optionally ``?year=2023&top=50``."""
    return collaboration_layout(current_viewer(), year, int(top) if top and top.isdigit() else None)
