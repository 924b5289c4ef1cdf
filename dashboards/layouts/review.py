"""The review page: spend the classifier could not place (or placed with low confidence),
largest first, with suggestions to accept and a form to write a rule."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import aria, note, section
from dashboards.components.controls import authority_year_pickers, control_row
from dashboards.components.tables import value_table
from dashboards.data.access import AuthorityChoice
from dashboards.data.review import RULE_FIELDS, ReviewQueue, ReviewRow, RuleRow
from dashboards.format import money, percent, tonnes
from factors.classification import ARTEFACT_GROUPS, defra_group_names
from tracker.domain.codes import LineStatus
from tracker.domain.vocabulary import review_status_name

TITLE = "Review classifications"
EXPLAINER = (
    "Each payment is matched to a product group so that its emission factor can be applied. "
    "Payments that could not be matched have no estimate, so the inventory undercounts until "
    "they are classified. Suggestions come from how spend with the same supplier or expense "
    "type is classified in this authority and in authorities that share their figures; "
    "accepting one sets the category for it here only."
)


def _suggestion(r: ReviewRow) -> Component | str:
    if not r.suggested_group:
        return "–"
    what = f"{r.suggested_name or r.suggested_group} ({r.suggested_group})"
    if r.confirms:
        head = f"The evidence supports the current category, {what}: "
    else:
        head = f"{what}, {percent(r.confidence)} confident: "
    return html.Span([head, r.evidence or f"from {r.basis}"])


def _accept_button(i: int, r: ReviewRow) -> Component | str:
    if not (r.suggested_group and r.status == LineStatus.UNMAPPED) or r.confirms:
        return "–"
    what = r.supplier or r.expense_type or "this row"
    return html.Button(
        "Accept",
        id={"type": ids.REVIEW_ACCEPT, "index": i},
        className="button--secondary",
        **aria(label=f"Accept the suggestion for {what}"),
    )


def differences_note(queue: ReviewQueue) -> Component | None:
    """The payees and expense types of this authority that authorities it may see treat
    otherwise, so that a reviewer can align them (issue 14, group-wide policies)."""
    if not queue.treated_differently:
        return None
    return html.Div(
        [
            html.H3("Treated differently by other authorities"),
            html.Ul(
                [
                    html.Li(
                        f"{'Payee' if d.field == 'supplier' else 'Expense type'} {d.key}: "
                        f"{d.describe()}"
                    )
                    for d in queue.treated_differently
                ]
            ),
        ],
        className="note",
    )


def queue_table(queue: ReviewQueue) -> Component:
    differ = differences_note(queue)
    table = _table(queue)
    parts: list[Component] = [table]
    if queue.rows:
        parts.insert(0, html.P(queue.showing(), className="muted"))
    if differ is not None:
        parts.append(differ)
    return html.Div(parts)


def paging_controls() -> Component:
    """Previous and Next pages of the queue (enabled by the queue's callback)."""
    return html.Div(
        className="actions",
        children=[
            html.Button(
                "Previous", id=ids.REVIEW_PREV, className="button--secondary", disabled=True
            ),
            html.Button("Next", id=ids.REVIEW_NEXT, className="button--secondary", disabled=True),
        ],
    )


def _table(queue: ReviewQueue) -> Component:
    if not queue.rows:
        return html.P(
            "Nothing to review for this year: all spend is classified.", className="muted"
        )
    headers = [
        "Supplier", "Expense type", "Spend", "At stake", "Lines", "Status", "Suggested category"
    ]  # fmt: skip
    rows = []
    for i, r in enumerate(queue.rows):
        row: list[Component | str] = [
            r.supplier or "–",
            r.expense_type or "–",
            money(r.spend, queue.currency),
            tonnes(r.at_stake_kg),
            f"{r.lines:,}",
            review_status_name(r.status),
            _suggestion(r),
        ]
        if queue.can_edit:
            row.append(_accept_button(i, r))
        rows.append(row)
    return value_table(headers + (["Action"] if queue.can_edit else []), rows, numeric=(2, 3, 4))


def rank_control() -> Component:
    """Order the queue by spend or by tonnes at stake (tonnes × doubt: the tonnes a wrong
    decision would move)."""
    return control_row(
        (
            "Order by",
            dcc.RadioItems(
                id=ids.REVIEW_RANK,
                options=[
                    {"label": "spend", "value": "spend"},
                    {"label": "tonnes at stake", "value": "tonnes"},
                ],
                value="spend",
                inline=True,
            ),
        )
    )


def rules_table(rows: Sequence[RuleRow], can_edit: bool) -> Component:
    """The authority's own rules, each with a Delete button for those who may edit."""
    if not rows:
        return html.P("This authority has no rules of its own yet.", className="muted")
    headers = ["Rule", "Look in", "Match", "Text", "Category"]
    table = []
    for r in rows:
        text: Component | str = r.pattern
        if r.problem:
            text = html.Span([r.pattern, " ", html.Span(f"({r.problem})", className="form-error")])
        row: list[Component | str] = [r.rule_id, r.field.replace("_", " "), r.match, text, r.target]
        if can_edit:
            row.append(
                html.Button(
                    "Delete",
                    id={"type": ids.RULE_DELETE, "index": r.rule_id},
                    className="button--secondary",
                    **aria(label=f"Delete rule {r.rule_id}"),
                )
            )
        table.append(row)
    return value_table(headers + (["Action"] if can_edit else []), table)


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
                        if code not in ARTEFACT_GROUPS  # never a factor (policy §5)
                    ],
                    placeholder="Choose a product group…",
                ),
                html.Label("or an EPA NAICS-6 code (US authorities)", htmlFor=ids.RULE_NAICS),
                dcc.Input(id=ids.RULE_NAICS, type="text", maxLength=6, inputMode="numeric"),
            ],
        ),
        html.Div(className="actions", children=[html.Button("Add rule", id=ids.RULE_ADD)]),
        # The answer shows here, under the button, not at the top of the page.
        html.Div(id=ids.RULE_STATUS, role="status"),
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
            dcc.Store(id=ids.REVIEW_PAGE, data=0),
            html.Div(id=ids.REVIEW_STATUS, role="status"),
            section(
                "Review queue",
                rank_control(),
                html.Div(id=ids.REVIEW_QUEUE),
                paging_controls(),
            ),
            section("This authority's rules", html.Div(id=ids.REVIEW_RULES)),
            *([rule_form()] if can_edit_any else []),
        ]
    )
