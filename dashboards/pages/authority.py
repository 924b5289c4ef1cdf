"""One authority: emissions by year and the selected year's breakdown."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component

from dashboards.layouts.authority import authority_layout
from dashboards.server.auth import current_viewer


def title(code: str | None = None, **_: Any) -> str:
    return f"{code} emissions" if code else "Authority emissions"


dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path_template="/authority/<code>", title=title, name="Authority"
)


def layout(code: str | None = None, year: str | None = None, **_query: Any) -> Component:
    """``/authority/<code>``, optionally ``?year=2023`` to open on that financial year."""
    return authority_layout(current_viewer(), code, year)
