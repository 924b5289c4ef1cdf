"""The sign-off page: the fewest groups of payments making 80 % of the year's tonnes,
with the evidence behind each decision, for the authority's officers to confirm."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import aria, note, section
from dashboards.components.controls import authority_year_pickers
from dashboards.components.tables import value_table
from dashboards.data.access import AuthorityChoice
from dashboards.data.signoff import SignoffRow, SignoffView
from dashboards.format import money, percent, tonnes

TITLE = "Sign off classifications"
EXPLAINER = (
    "These groups of payments make up 80 % of the year's emissions, largest first; "
    "payments not yet classified are counted at the year's average emissions per pound. "
    "Each shows the category it was given, the evidence that decided it and any evidence "
    "that disagreed. Tonnes at stake are the tonnes times the doubt of the decision "
    "(high confidence 5 %, medium 20 %, low 50 %, not classified 100 %). An officer's "
    "confirmation records who checked it and when; if the payments are later classified "
    "differently it shows as needing to be confirmed again."
)


def _confirm_button(r: SignoffRow) -> Component | str:
    if not r.confirmable:
        return "–"
    what = r.supplier or r.expense_type or "this group"
    return html.Button(
        "Confirm",
        id={"type": ids.SIGNOFF_CONFIRM, "index": r.class_key},
        className="button--secondary",
        **aria(label=f"Confirm the classification of {what}"),
    )


def signoff_table(view: SignoffView) -> Component:
    if not view.rows:
        return html.P("No emissions to sign off for this year.", className="muted")
    share = view.covered_kg / view.total_kg if view.total_kg else None
    summary = html.P(
        f"{len(view.rows):,} groups make {percent(share)} of {tonnes(view.total_kg)}; "
        f"{view.confirmed:,} confirmed."
    )
    headers = [
        "Supplier", "Description", "Expense type", "Decision", "Evidence", "Confidence",
        "Spend", "Lines", "Emissions", "At stake", "Confirmation",
    ]  # fmt: skip
    rows = []
    for r in view.rows:
        row: list[Component | str] = [
            r.supplier or "–",
            r.description or "–",
            r.expense_type or "–",
            r.decision,
            r.evidence,
            r.confidence or "–",
            money(r.spend, view.currency),
            f"{r.lines:,}",
            tonnes(r.kg),
            tonnes(r.at_stake_kg),
            r.confirmation,
        ]
        if view.can_confirm:
            row.append(_confirm_button(r))
        rows.append(row)
    table = value_table(
        headers + (["Action"] if view.can_confirm else []), rows, numeric=(6, 7, 8, 9)
    )
    return html.Div([summary, table])


def signoff_layout(choices: Sequence[AuthorityChoice]) -> Component:
    if not choices:
        return html.Div([html.H1(TITLE), html.P("No authority to sign off.", className="muted")])
    return html.Div(
        [
            html.H1(TITLE),
            note(EXPLAINER),
            authority_year_pickers(choices),
            dcc.Store(id=ids.SIGNOFF_REFRESH, data=0),
            html.Div(id=ids.SIGNOFF_STATUS, role="status"),
            section("Sign-off list", html.Div(id=ids.SIGNOFF_LIST)),
        ]
    )
