"""The overview page: one card per authority."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import note
from dashboards.components.target import NO_TARGET, status_explained, status_key
from dashboards.data.overview import OverviewRow, overview_data
from dashboards.figures.overview import trend_sparkline
from dashboards.format import fy_label, intensity, percent, signed_percent, tonnes
from tracker.access import Viewer
from tracker.queries.runs import AuthorityOverview

TITLE = "Procurement emissions by authority"
SPEND_BASED_NOTE = (
    "These are spend-based estimates: each payment is multiplied by an average emission "
    "factor (kgCO2e per £) for the kind of goods or services bought. They show the scale of "
    "supply-chain emissions and where they are concentrated, but they move with prices as well "
    "as with real changes, and they cannot show the effect of choosing a lower-carbon supplier."
)


def authority_href(code: str) -> str:
    return f"/authority/{code}"


def trend_caption(row: AuthorityOverview) -> str:
    if row.first_year is None or row.latest_year is None or row.first_year == row.latest_year:
        return "Emissions (tCO2e)"
    first = fy_label(row.first_year, row.fy_start_month)
    latest = fy_label(row.latest_year, row.fy_start_month)
    return f"Emissions (tCO2e), {first} to {latest}"


def part_year_text(entry: OverviewRow) -> str | None:
    """``Not compared: 2024/25 is a part year (3 of 12 months)`` when the latest year is a
    part year, whose total would read as a fall against any full year."""
    row = entry.overview
    note = None if row.latest_year is None else entry.part_years.get(row.latest_year)
    if note is None or row.latest_year is None:
        return None
    return f"Not compared: {fy_label(row.latest_year, row.fy_start_month)} is a {note}"


def baseline_text(entry: OverviewRow) -> str:
    """The latest year against the target's recorded baseline."""
    if (part := part_year_text(entry)) is not None:
        return part
    change = entry.change_against_baseline
    row = entry.overview
    if change is None or entry.baseline_year is None:
        return "No baseline set"
    return f"{signed_percent(change)} against {fy_label(entry.baseline_year, row.fy_start_month)}"


def year_on_year_text(entry: OverviewRow) -> str:
    """The latest year against the year before it."""
    if (part := part_year_text(entry)) is not None:
        return part
    row = entry.overview
    previous = entry.previous_year
    if previous is None or row.latest_year is None:
        return "No inventory for the year before"
    change = signed_percent(entry.change_on_previous_year)
    return f"{change} on {fy_label(previous[0], row.fy_start_month)}"


def authority_card(entry: OverviewRow) -> Component:
    row = entry.overview
    heading = html.H2(dcc.Link(row.name, href=authority_href(row.code)), className="card__title")
    if row.latest_year is None or row.latest_kgco2e is None:
        body: list[Component] = [html.P("No inventory has been calculated yet.", className="muted")]
    else:
        latest = fy_label(row.latest_year, row.fy_start_month)
        part = entry.part_years.get(row.latest_year)
        body = [
            html.Div(
                className="card__headline",
                children=[
                    html.Span(tonnes(row.latest_kgco2e), className="card__value"),
                    html.Span(
                        f"in {latest}, {part}" if part else f"in {latest}",
                        className="card__period",
                    ),
                ],
            ),
            html.Dl(
                className="card__facts",
                children=[
                    html.Dt("Target"),
                    html.Dd(entry.target.statement if entry.target else NO_TARGET),
                    html.Dt("Status"),
                    html.Dd(status_explained(entry.target)),
                    html.Dt("Against the target's baseline"),
                    html.Dd(baseline_text(entry)),
                    html.Dt("Change on the previous year"),
                    html.Dd(year_on_year_text(entry)),
                    html.Dt("Intensity"),
                    html.Dd(intensity(row.kg_per_currency_unit, row.currency)),
                    html.Dt("Spend matched"),
                    html.Dd(percent(row.latest_mapped_share)),
                ],
            ),
            *[
                html.P(f"Check: {reason}", className="form-error card__check")
                for reason in entry.checks
            ],
            html.Div(trend_caption(row), className="card__caption"),
            dcc.Graph(
                id=ids.sparkline(row.code),
                className="card__sparkline",
                figure=trend_sparkline(
                    row.trend, fy_start_month=row.fy_start_month, part_years=entry.part_years
                ),
                config={"displayModeBar": False, "staticPlot": True},
                responsive=True,
                style={"height": "64px"},
            ),
        ]
    return html.Article(
        className="card",
        children=[
            heading,
            html.P(row.code, className="card__code"),
            *body,
            dcc.Link("View breakdown →", href=authority_href(row.code), className="card__more"),
        ],
    )


def overview_body(rows: Sequence[OverviewRow]) -> Component:
    if rows:
        cards: Component = html.Div(
            id=ids.OVERVIEW_CARDS,
            className="card-grid",
            children=[authority_card(r) for r in rows],
        )
    else:
        cards = html.P(
            "There are no authorities you can see yet. An admin adds authorities; "
            "officers then upload their spending data.",
            id=ids.OVERVIEW_CARDS,
            className="muted",
        )
    return html.Div(
        children=[
            html.H1(TITLE),
            note(SPEND_BASED_NOTE),
            status_key(),
            cards,
        ]
    )


def overview_layout(viewer: Viewer) -> Component:
    return overview_body(overview_data(viewer))
