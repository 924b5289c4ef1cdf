"""The authority page: emissions by year, and the selected year's breakdown."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import message, section
from dashboards.components.controls import control_row, parse_year, reason_field
from dashboards.components.target import target_panel
from dashboards.data.access import NO_ACCESS
from dashboards.data.authority import AuthorityData, authority_data
from dashboards.figures.overview import emissions_by_year
from dashboards.figures.theme import GRAPH_CONFIG
from dashboards.format import currency_symbol, fy_label
from dashboards.layouts.authority_year import year_panel
from dashboards.layouts.year_forms import baseline_form, part_year_section
from tracker.access import AccessDenied, Viewer


def years_figure(result: AuthorityData) -> go.Figure:
    selected = result.selected.run.fy_year if result.selected else None
    return emissions_by_year(
        [(r.fy_year, r.total_kgco2e) for r in result.runs],
        fy_start_month=result.authority.fy_start_month,
        selected_year=selected,
        ranges=[(r.fy_year, *r.range95) for r in result.runs if r.range95 is not None],
        pathway=result.pathway,
        part_years=result.part_years,
    )


def edit_controls(result: AuthorityData) -> Component:
    """Lock the selected year, or restate a locked one with a reason; recalculate the
    authority's inventories (officers, admins)."""
    detail = result.selected
    state = "locked" if detail and detail.locked else "not locked"
    return section(
        "Lock, restate or recalculate",
        html.P(
            f"The selected year is {state}. A locked year keeps its published figure until it "
            "is restated with a reason; every lock and restatement is in the audit log. "
            "Recalculate brings every year that is not locked up to date with the spend, "
            "rules and factors as they are now (pages and reports never recalculate).",
            className="section__description",
        ),
        reason_field(ids.LOCK_REASON, "e.g. published in the annual report"),
        html.Div(
            className="actions",
            children=[
                html.Button("Lock year", id=ids.LOCK_BUTTON),
                html.Button("Restate year", id=ids.RESTATE_BUTTON, className="button--secondary"),
                html.Button(
                    "Recalculate", id=ids.RECALCULATE_BUTTON, className="button--secondary"
                ),
            ],
        ),
        html.Div(id=ids.LOCK_STATUS, role="status"),
    )


def forbidden(message_text: str = NO_ACCESS) -> Component:
    return message("Access denied", message_text)


def not_found(code: str | None) -> Component:
    return message(
        "Authority not found",
        f"There is no authority with the code “{code or ''}”. "
        "Check the address, or pick an authority from the overview.",
    )


def year_checks_text(rule: str, currency: str = "GBP") -> str:
    """Why years are flagged, with the limits in force (the settings)."""
    per = currency_symbol(currency).strip()
    return (
        f"A year is flagged when its emissions, or its emissions per {per} of in-scope spend, "
        f"are {rule}: it is often a missing or another body's file. The methodology "
        "explains the limits."
    )


def authority_body(result: AuthorityData, code: str) -> Component:
    authority = result.authority
    subtitle = authority.code
    if authority.population:
        subtitle += f" · population {authority.population:,}"
    header = [
        dcc.Link("← All authorities", href="/", className="back-link"),
        html.H1(authority.name),
        html.P(subtitle, className="subtitle"),
        dcc.Store(id=ids.AUTHORITY_CODE_STORE, data=code),
    ]
    if not result.runs:
        return html.Div([*header, *year_panel(result)])
    selected = result.selected.run.fy_year if result.selected else None
    options = [
        {"label": fy_label(y, authority.fy_start_month), "value": y} for y in reversed(result.years)
    ]
    controls = control_row(
        (
            "Financial year",
            dcc.Dropdown(
                id=ids.YEAR_DROPDOWN,
                options=options,
                value=selected,
                clearable=False,
                searchable=False,
                className="year-dropdown",
            ),
        )
    )
    # The year the chart and the panel below show, so that the year callback can tell a
    # pick of the year already shown (nothing to redraw) from a new one.
    shown = dcc.Store(id=ids.YEAR_SHOWN, data=selected)
    by_year = section(
        "Emissions by year",
        dcc.Graph(id=ids.YEARS_FIGURE, figure=years_figure(result), config=GRAPH_CONFIG),
        description=(
            "Current inventory for each financial year (the selected year is highlighted), "
            "with its 95% range and, when a target is set, the target pathway (dashed). "
            "The range reflects how uncertain spend-based factors are: roughly, the true "
            "figure is expected to lie inside it 19 times out of 20."
        ),
    )
    target = result.target
    restatable = result.can_edit and target is not None and target.baseline_notice
    progress = section(
        "Progress against the target",
        target_panel(target),
        *([baseline_form()] if restatable else []),
        description=(
            "The status of the latest year, by one rule over the target pathway and the "
            "carbon budget; the methodology explains it."
        ),
    )
    checks = (
        [
            section(
                "Years to check",
                html.Ul([html.Li(reason) for reason in result.year_checks]),
                description=year_checks_text(result.year_check_rule, result.authority.currency),
            )
        ]
        if result.year_checks
        else []
    )
    part_years = (
        part_year_section(result.part_years, result.confirmed_years, authority.fy_start_month)
        if result.can_edit
        else None
    )
    return html.Div(
        [
            *header,
            controls,
            shown,
            progress,
            *checks,
            by_year,
            *([edit_controls(result)] if result.can_edit else []),
            *([part_years] if part_years is not None else []),
            html.Div(id=ids.YEAR_PANEL, children=year_panel(result)),
        ]
    )


def authority_layout(viewer: Viewer, code: str | None, year: object = None) -> Component:
    """The page, or an access-denied message for an authority the viewer may not see (and,
    for admins only, a not-found message for a code that does not exist)."""
    if not code:
        return not_found(code)
    try:
        result = authority_data(viewer, code, parse_year(year))
    except AccessDenied:
        return not_found(code) if viewer.is_admin else forbidden()
    return authority_body(result, code)
