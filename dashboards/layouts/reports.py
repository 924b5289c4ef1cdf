"""The reports page: download the inventory workbook of an authority and year."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import note, section
from dashboards.components.controls import authority_year_pickers, find_choice, parse_year
from dashboards.data.access import AuthorityChoice, visible_authorities
from dashboards.format import fy_label
from dashboards.server.downloads import download_href
from tracker.access import Viewer

TITLE = "Reports"
EXPLAINER = (
    "The inventory report is an Excel workbook: a summary with the total, its 95% range and "
    "the factor edition used; emissions by category and by supplier; and every spend line "
    "with the factor, price adjustment and rule that produced its estimate, so each figure "
    "can be traced back to a row of the original file. It is set up to print: every sheet "
    "one page wide, headed with the authority, year and inventory version, pages numbered."
)


def report_link(viewer: Viewer, code: object, year: object) -> tuple[str, str, bool]:
    """(href, link text, hidden) of the download for an authority and year the viewer may
    see; hidden when there is nothing to download."""
    fy = parse_year(year)
    choice = find_choice(visible_authorities(viewer), code)
    if choice is None or fy is None or fy not in choice.years:
        return "", "", True
    label = fy_label(fy, choice.fy_start_month)
    return (
        download_href(choice.code, fy),
        f"Download the {choice.code} {label} report (.xlsx)",
        False,
    )


def reports_layout(choices: Sequence[AuthorityChoice]) -> Component:
    if not choices:
        return html.Div([html.H1(TITLE), html.P("No authority to report on.", className="muted")])
    return html.Div(
        [
            html.H1(TITLE),
            note(EXPLAINER),
            section(
                "Inventory report",
                authority_year_pickers(choices),
                html.A(id=ids.REPORT_LINK, className="button-link", href="", hidden=True),
            ),
        ]
    )
