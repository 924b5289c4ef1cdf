"""The page shell: header with product name, navigation and the signed-in user, main area,
footer. Built per request (``app.layout`` is a function) so navigation fits the role."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import dash
from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from tracker import PRODUCT_NAME


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    roles: tuple[str, ...] = ("admin", "officer", "viewer")


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Overview", "/"),
    NavItem("Compare", "/compare"),
    NavItem("Collaboration", "/collaboration"),
    NavItem("Suppliers", "/suppliers"),
    NavItem("Upload", "/upload", ("admin", "officer")),
    NavItem("Contracts", "/contracts"),
    NavItem("Review", "/review"),
    NavItem("Sign-off", "/signoff"),
    NavItem("Factors", "/factors"),
    NavItem("Reports", "/reports"),
)


@dataclass(frozen=True)
class SignedIn:
    """What the header shows about the user, and the token its log-out form posts."""

    email: str
    role: str
    csrf_token: str


def _aria_label(text: str) -> dict[str, Any]:
    """Dash takes ``aria-*`` props as keyword arguments whose names are not identifiers."""
    return {"aria-label": text}


def nav_for(role: str | None, items: Sequence[NavItem] = NAV_ITEMS) -> list[NavItem]:
    return [i for i in items if role is not None and role in i.roles]


def _user_box(user: SignedIn) -> Component:
    return html.Div(
        className="site-user",
        id=ids.USER_BOX,
        children=[
            html.Span(f"{user.email} ({user.role})"),
            html.Form(
                method="post",
                action="/logout",
                children=[
                    dcc.Input(type="hidden", name="csrf_token", value=user.csrf_token),
                    html.Button("Sign out", type="submit", id=ids.LOGOUT_BUTTON),
                ],
            ),
        ],
    )


def create_header(user: SignedIn | None = None) -> Component:
    items = nav_for(user.role if user else None)
    right: list[Component] = [
        html.Nav(
            id=ids.NAV,
            className="site-nav",
            **_aria_label("Main"),
            children=[dcc.Link(i.label, href=i.href, className="site-nav__link") for i in items],
        )
    ]
    if user is not None:
        right.append(_user_box(user))
    return html.Header(
        className="site-header",
        id=ids.HEADER,
        children=html.Div(
            className="site-header__inner",
            children=[dcc.Link(PRODUCT_NAME, href="/", className="site-header__name"), *right],
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


def create_shell(user: SignedIn | None = None) -> Component:
    """The app layout: every page is rendered into ``dash.page_container``."""
    return html.Div(
        className="shell",
        children=[
            html.A("Skip to content", href="#main", className="skip-link"),
            create_header(user),
            html.Main(id="main", className="page", children=dash.page_container),
            create_footer(),
        ],
    )
