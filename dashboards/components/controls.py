"""The authority and financial-year pickers shared by the review and reports pages, and the
year a picker or a query string sends, checked (:func:`parse_year`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.data.access import AuthorityChoice
from dashboards.format import fy_label

#: The financial years a page or download may ask for (others are refused, not looked up).
MIN_YEAR, MAX_YEAR = 1900, 2200
_YEAR_RE = re.compile(r"[0-9]{4}")


def parse_year(value: object) -> int | None:
    """A year from a dropdown value or a ``?year=`` query string, between ``MIN_YEAR`` and
    ``MAX_YEAR``; anything else (``0``, ``99999``, 30 digits, ``²``) is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and _YEAR_RE.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, int) and MIN_YEAR <= value <= MAX_YEAR:
        return value
    return None


def year_options(choice: AuthorityChoice | None) -> list[dict[str, Any]]:
    if choice is None:
        return []
    return [
        {"label": fy_label(y, choice.fy_start_month), "value": y} for y in reversed(choice.years)
    ]


def find_choice(choices: Sequence[AuthorityChoice], code: object) -> AuthorityChoice | None:
    return next((c for c in choices if c.code == code), None)


def authority_year_pickers(choices: Sequence[AuthorityChoice]) -> Component:
    """Labelled dropdowns, opened on the first authority and its latest year."""
    first = choices[0] if choices else None
    years = year_options(first)
    return control_row(
        (
            "Authority",
            dcc.Dropdown(
                id=ids.AUTHORITY_PICKER,
                options=[{"label": f"{c.name} ({c.code})", "value": c.code} for c in choices],
                value=first.code if first else None,
                clearable=False,
                style={"minWidth": "320px"},
            ),
        ),
        (
            "Financial year",
            dcc.Dropdown(
                id=ids.YEAR_PICKER,
                options=years,
                value=years[0]["value"] if years else None,
                clearable=False,
                searchable=False,
                className="year-dropdown",
            ),
        ),
    )


def labelled(label: str, control: Component) -> list[Component]:
    """A visible label tied to its control (by the control's id)."""
    return [html.Label(label, htmlFor=control.id), control]  # type: ignore[attr-defined]


def control_row(*pairs: tuple[str, Component]) -> Component:
    """Labelled controls side by side."""
    children: list[Component] = []
    for label, control in pairs:
        children.extend(labelled(label, control))
    return html.Div(className="controls", children=children)


def upload_zone(component_id: str, max_mb: int, what: str = "a file") -> Component:
    """A drop zone for one file of at most ``max_mb`` MiB."""
    return dcc.Upload(
        id=component_id,
        className="upload-zone",
        max_size=max_mb * 1024 * 1024,
        multiple=False,
        children=html.Div(
            [
                f"Drag {what} here, or ",
                html.Button("choose a file", className="button--secondary"),
                f" (up to {max_mb} MB).",
            ]
        ),
    )


def reason_field(input_id: str, placeholder: str) -> Component:
    """The labelled reason box of a form that changes an authority's figures."""
    return html.Div(
        className="form-grid",
        children=[
            html.Label("Reason", htmlFor=input_id),
            dcc.Input(id=input_id, type="text", placeholder=placeholder, maxLength=500),
        ],
    )
