"""Small building blocks: KPI tiles, notes and messages."""

from __future__ import annotations

from typing import Any

from dash import dcc, html
from dash.development.base_component import Component


def kpi(label: str, value: str, detail: str | None = None) -> Component:
    """One headline number with its label (and an optional line of context)."""
    children = [
        html.Div(label, className="kpi__label"),
        html.Div(value, className="kpi__value"),
    ]
    if detail:
        children.append(html.Div(detail, className="kpi__detail"))
    return html.Div(className="kpi", children=children)


def note(*children: Component | str) -> Component:
    return html.P(className="note", children=list(children))


def message(title: str, body: str, *, link_text: str = "Back to overview") -> Component:
    """A full-width message (not found, no data) with a way back."""
    return html.Section(
        className="message",
        children=[
            html.H1(title),
            html.P(body),
            dcc.Link(link_text, href="/", className="button-link"),
        ],
    )


def section(title: str, *children: Component, description: str | None = None) -> Component:
    parts: list[Component] = [html.H2(title)]
    if description:
        parts.append(html.P(description, className="section__description"))
    parts.extend(children)
    return html.Section(className="section", children=parts)


def aria(**attributes: str) -> dict[str, Any]:
    """``aria-*`` props, which Dash takes as keyword arguments whose names are not
    identifiers: ``**aria(live="polite")`` gives ``aria-live="polite"``."""
    return {f"aria-{k}": v for k, v in attributes.items()}
