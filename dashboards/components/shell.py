"""The page shell: header with product name and navigation, main area, footer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids

PRODUCT_NAME = "Net Zero Procurement Tracker"
NAV_ITEMS: tuple[tuple[str, str], ...] = (
    ("Overview", "/"),
    ("Compare", "/compare"),
    ("Collaboration", "/collaboration"),
)


def _aria_label(text: str) -> dict[str, Any]:
    """Dash takes ``aria-*`` props as keyword arguments whose names are not identifiers."""
    return {"aria-label": text}


def create_header(nav_items: Sequence[tuple[str, str]] = NAV_ITEMS) -> Component:
    return html.Header(
        className="site-header",
        id=ids.HEADER,
        children=html.Div(
            className="site-header__inner",
            children=[
                dcc.Link(PRODUCT_NAME, href="/", className="site-header__name"),
                html.Nav(
                    id=ids.NAV,
                    className="site-nav",
                    **_aria_label("Main"),
                    children=[
                        dcc.Link(label, href=href, className="site-nav__link")
                        for label, href in nav_items
                    ],
                ),
            ],
        ),
    )


def create_footer() -> Component:
    return html.Footer(
        className="site-footer",
        children=html.P(
            "Spend-based Scope 3 estimates of public procurement emissions, calculated from "
            "published spending data and published emission factors."
        ),
    )


def create_shell(nav_items: Sequence[tuple[str, str]] = NAV_ITEMS) -> Component:
    """The app layout: every page is rendered into ``dash.page_container``."""
    return html.Div(
        className="shell",
        children=[
            html.A("Skip to content", href="#main", className="skip-link"),
            create_header(nav_items),
            html.Main(id="main", className="page", children=dash.page_container),
            create_footer(),
        ],
    )
