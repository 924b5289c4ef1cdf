"""Compare: benchmarks of the authorities the user may see."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component

from dashboards.layouts.compare import TITLE, compare_layout
from dashboards.server.auth import current_viewer

dash.register_page(__name__, path="/compare", name="Compare", title=TITLE, order=1)  # type: ignore[no-untyped-call]


def layout(year: str | None = None, **_query: Any) -> Component:
    """``/compare``, optionally ``?year=2023``."""
    return compare_layout(current_viewer(), year)
