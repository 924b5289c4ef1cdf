"""Forms of the authority page for officers and admins of the authority: restate the
target's baseline when its years' figures changed, and confirm a part year complete or
withdraw that confirmation. Each needs a reason, as the command line does
(``tracker target restate``, ``tracker year confirm-complete|withdraw-confirmation``)."""

from __future__ import annotations

from collections.abc import Mapping

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import section
from dashboards.components.controls import reason_field
from dashboards.format import fy_label


def baseline_form() -> Component:
    """Below the "baseline restated from X to Y?" notice: apply the baseline years'
    current figure to the target, with a reason (kept in the audit log)."""
    return html.Div(
        className="baseline-form",
        children=[
            html.P(
                "Restating the baseline applies the baseline years' current figure to the "
                "target; status and progress then use it. The old and new figures and "
                "your reason are kept in the audit log.",
                className="section__description",
            ),
            reason_field(ids.BASELINE_REASON, "e.g. 2019/20 spend completed"),
            html.Div(
                className="actions",
                children=[html.Button("Restate the baseline", id=ids.BASELINE_BUTTON)],
            ),
            html.Div(id=ids.BASELINE_STATUS, role="status"),
        ],
    )


def part_year_section(
    part_years: Mapping[int, str], confirmed: Mapping[int, str], fy_start_month: int
) -> Component | None:
    """Part years to confirm complete, and confirmed ones to withdraw (None when the
    authority has neither). ``part_years``: year -> "part year (3 of 12 months)";
    ``confirmed``: year -> "Apr-Jun 2024/25: 3 of 12 months, confirmed complete by …"."""
    if not part_years and not confirmed:
        return None
    options = [
        {"label": f"{fy_label(y, fy_start_month)}: {note}", "value": y}
        for y, note in sorted(part_years.items(), reverse=True)
    ] + [{"label": text, "value": y} for y, text in sorted(confirmed.items(), reverse=True)]
    return section(
        "Part years",
        html.Div(
            className="form-grid",
            children=[
                html.Label("Year", htmlFor=ids.PART_YEAR),
                dcc.Dropdown(
                    id=ids.PART_YEAR,
                    options=options,
                    value=None,
                    placeholder="Choose a year…",
                    clearable=False,
                    searchable=False,
                ),
            ],
        ),
        reason_field(ids.PART_YEAR_REASON, "e.g. the service closed from July"),
        html.Div(
            className="actions",
            children=[
                html.Button("Confirm complete", id=ids.CONFIRM_YEAR_BUTTON),
                html.Button(
                    "Withdraw confirmation",
                    id=ids.WITHDRAW_YEAR_BUTTON,
                    className="button--secondary",
                ),
            ],
        ),
        html.Div(id=ids.PART_YEAR_STATUS, role="status"),
        description=(
            "A year whose spend lines cover fewer than 12 months is a part year: it has "
            "no status and is left out of the trend. Confirm it complete when it is (a "
            "service that spent nothing for some months), or withdraw a confirmation "
            "given in error. Both need a reason and are kept in the audit log."
        ),
    )
