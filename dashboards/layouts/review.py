"""The review page: spend the classifier could not place (or placed with low confidence),
largest first, with suggestions to accept and a form to write a rule."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import aria, note, section
from dashboards.components.controls import authority_year_pickers
from dashboards.data import AuthorityChoice
from dashboards.format import money, percent
from dashboards.review_data import RULE_FIELDS, ReviewQueue
from factors.classification import defra_group_names

TITLE = "Review classifications"
EXPLAINER = (
    "Each payment is matched to a product group so that its emission factor can be applied. "
    "Payments that could not be matched have no estimate, so the inventory undercounts until "
    "they are classified. Suggestions come from how the same supplier's spend is classified "
    "across all authorities; accepting one sets the category for that supplier here only."
)


def queue_table(queue: ReviewQueue) -> Component:
    if not queue.rows:
        return html.P(
            "Nothing to review for this year: all spend is classified.", className="muted"
        )
    head = [
        html.Th("Supplier", scope="col"),
        html.Th("Expense type", scope="col"),
        html.Th("Spend", scope="col", className="num"),
        html.Th("Lines", scope="col", className="num"),
        html.Th("Status", scope="col"),
        html.Th("Suggested category", scope="col"),
    ]
    if queue.can_edit:
        head.append(html.Th("Action", scope="col"))
    body = []
    for i, r in enumerate(queue.rows):
        suggestion: Component | str = "–"
        if r.suggested_group:
            suggestion = html.Span(
                [
                    f"{r.suggested_name or r.suggested_group} ({r.suggested_group}), ",
                    f"{percent(r.confidence)} confident, from {r.basis}",
                ]
            )
        cells = [
            html.Td(r.supplier or "–"),
            html.Td(r.expense_type or "–"),
            html.Td(money(r.spend, queue.currency), className="num"),
            html.Td(f"{r.lines:,}", className="num"),
            html.Td("not classified" if r.status == "unmapped" else "low confidence"),
            html.Td(suggestion),
        ]
        if queue.can_edit:
            can_accept = bool(r.suggested_group and r.supplier and r.status == "unmapped")
            cells.append(
                html.Td(
                    html.Button(
                        "Accept",
                        id={"type": ids.REVIEW_ACCEPT, "index": i},
                        className="button--secondary",
                        **aria(label=f"Accept the suggestion for {r.supplier}"),
                    )
                    if can_accept
                    else "–"
                )
            )
        body.append(html.Tr(cells))
    return html.Div(
        className="table-scroll",
        children=html.Table([html.Thead(html.Tr(head)), html.Tbody(body)]),
    )


def rule_form() -> Component:
    groups = defra_group_names()
    return section(
        "Write a rule",
        html.Div(
            className="form-grid",
            children=[
                html.Label("Text to look for", htmlFor=ids.RULE_PATTERN),
                dcc.Input(id=ids.RULE_PATTERN, type="text", maxLength=200),
                html.Label("Look in", htmlFor=ids.RULE_FIELD),
                dcc.Dropdown(
                    id=ids.RULE_FIELD,
                    options=[{"label": f.replace("_", " "), "value": f} for f in RULE_FIELDS],
                    value="expense_type",
                    clearable=False,
                ),
                html.Label("Category", htmlFor=ids.RULE_GROUP),
                dcc.Dropdown(
                    id=ids.RULE_GROUP,
                    options=[
                        {"label": f"{code} {name}", "value": code}
                        for code, name in sorted(groups.items(), key=lambda kv: kv[1])
                    ],
                    placeholder="Choose a product group…",
                ),
            ],
        ),
        html.Div(className="actions", children=[html.Button("Add rule", id=ids.RULE_ADD)]),
        description=(
            "A rule classifies every payment of this authority whose text contains the words "
            "given, now and in future files."
        ),
    )


def review_layout(choices: Sequence[AuthorityChoice], can_edit_any: bool) -> Component:
    if not choices:
        return html.Div([html.H1(TITLE), html.P("No authority to review.", className="muted")])
    return html.Div(
        [
            html.H1(TITLE),
            note(EXPLAINER),
            authority_year_pickers(choices),
            dcc.Store(id=ids.REVIEW_REFRESH, data=0),
            html.Div(id=ids.REVIEW_STATUS, role="status"),
            section("Review queue", html.Div(id=ids.REVIEW_QUEUE)),
            *([rule_form()] if can_edit_any else []),
        ]
    )
