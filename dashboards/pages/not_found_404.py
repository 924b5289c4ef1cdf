"""Shown for any address that is not a page."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component

from dashboards.components.cards import message

dash.register_page(__name__, path="/404", title="Page not found")  # type: ignore[no-untyped-call]


def layout(**_query: Any) -> Component:
    return message("Page not found", "There is no page at this address.")
