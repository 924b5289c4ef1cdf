"""The upload page: choose a file, check how it was read, correct the column mapping, read
the validation report, then confirm."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import aria, note, section
from dashboards.components.controls import control_row, upload_zone
from dashboards.components.tables import value_table
from dashboards.data.upload import EditableAuthority
from dashboards.format import fy_label, money, money_exact
from tracker.domain.vocabulary import amount_rule_name, code_value, field_name
from tracker.importers import FIELDS
from tracker.importers.model import CODE_FIELDS
from tracker.services.imports import ImportResult

TITLE = "Upload spend data"
MAX_ERRORS_SHOWN = 20
PREVIEW_COLUMNS = ("row", "date", "supplier", "amount", "expense_type", "description", "sic")
EXPLAINER = (
    "Upload a spending file (CSV, Excel or OpenDocument) exported from your finance system "
    "or published as 'spend over £500'. Nothing is stored until you confirm: first check "
    "which row was taken as the header, how each column was understood, and which rows "
    "were rejected and why."
)


def upload_layout(authorities: Sequence[EditableAuthority], max_mb: int) -> Component:
    if not authorities:
        return html.Div([html.H1(TITLE), html.P("You cannot upload for any authority.")])
    return html.Div(
        [
            html.H1(TITLE),
            note(EXPLAINER),
            control_row(
                (
                    "Authority",
                    dcc.Dropdown(
                        id=ids.UPLOAD_AUTHORITY,
                        options=[
                            {"label": f"{a.name} ({a.code})", "value": a.code} for a in authorities
                        ],
                        # Only a user with one authority has it chosen for them: someone who
                        # may upload for several (an admin) must say which the file is for.
                        value=authorities[0].code if len(authorities) == 1 else None,
                        placeholder="Choose the authority the file belongs to",
                        clearable=False,
                        style={"minWidth": "320px"},
                    ),
                )
            ),
            upload_zone(ids.UPLOAD, max_mb),
            dcc.Store(id=ids.UPLOAD_TOKEN),
            dcc.Store(id=ids.UPLOAD_IMPORTED),
            dcc.Loading(html.Div(id=ids.UPLOAD_PREVIEW, **aria(live="polite"))),
            dcc.Loading(html.Div(id=ids.UPLOAD_RESULT, role="status")),
        ]
    )


def mapping_controls(result: ImportResult) -> Component:
    """One dropdown per field, offering the file's headers; preset to what was detected."""
    options: list[dict[str, Any]] = [{"label": h, "value": h} for h in result.headers if h]
    rows = []
    for name in FIELDS:
        control_id = {"type": ids.UPLOAD_MAPPING, "field": name}
        rows.append(
            html.Tr(
                [
                    html.Th(field_name(name), scope="row"),
                    html.Td(
                        dcc.Dropdown(
                            id=control_id,
                            options=options,
                            value=result.mapping.get(name),
                            placeholder="not in this file",
                            style={"minWidth": "260px"},
                        )
                    ),
                ]
            )
        )
    return html.Details(
        open=False,
        className="table-details",
        children=[
            html.Summary("Correct the column mapping"),
            html.Div(className="table-scroll", children=html.Table(html.Tbody(rows))),
            html.Button("Check again with this mapping", id=ids.UPLOAD_CHECK),
        ],
    )


def preview_table(result: ImportResult) -> Component:
    return value_table(
        [field_name(c) for c in PREVIEW_COLUMNS],
        [[preview_cell(r, c, result.currency) for c in PREVIEW_COLUMNS] for r in result.preview],
    )


def preview_cell(row: dict[str, Any], column: str, currency: str) -> str:
    """One cell of the preview as a reader expects it: the amount as money to the penny,
    the date as on the authority page (15 Jun 2024), a code with what it is (SIC 49410)."""
    value = row.get(column)
    if value is None or value == "":
        return "–"
    if column == "date":
        day = dt.date.fromisoformat(str(value))
        return f"{day:%b %Y}" if row.get("date_precision") == "month" else f"{day:%d %b %Y}"
    if isinstance(value, int) and column == "row":
        return f"{value:,}"
    if column in CODE_FIELDS:
        return code_value(column, str(value))
    if column == "amount":
        # The preview holds the stored amount as a float; its shortest repr is the decimal
        # the file gave (amounts have far fewer than 15 significant digits).
        return money_exact(
            Decimal(repr(value)) if isinstance(value, float) else Decimal(value), currency
        )
    return str(value)


def year_labels(years: Sequence[int], fy_start_month: int) -> str:
    """``2023/24, 2024/25``: the financial years in the one label format used everywhere."""
    return ", ".join(fy_label(y, fy_start_month) for y in years) or "none"


def validation_report(result: ImportResult) -> Component:
    items = [
        html.Li(f"Row {e.row}, {e.column or 'row'}: {e.message}")
        for e in result.errors[:MAX_ERRORS_SHOWN]
    ]
    more = len(result.errors) - MAX_ERRORS_SHOWN
    if more > 0:
        items.append(html.Li(f"… and {more:,} more."))
    skipped = ", ".join(f"{n:,} {why}" for why, n in result.rows_skipped.items() if n)
    return html.Div(
        [
            html.P(
                f"{result.rows_read:,} rows read: {result.rows_imported:,} to import, "
                f"{result.rows_rejected:,} rejected"
                + (f", skipped: {skipped}" if skipped else "")
                + "."
            ),
            html.Ul(items) if items else html.P("No row was rejected.", className="form-ok"),
            *[html.P(n, className="muted") for n in result.notes],
        ]
    )


def overlap_choice(result: ImportResult) -> list[Component]:
    if not result.overlap.get("rows"):
        return [dcc.RadioItems(id=ids.UPLOAD_OVERLAP, options=[], value=None)]
    return [
        html.P(
            f"{result.overlap['rows']:,} rows of this file are already stored for this "
            "authority from an earlier file.",
            className="form-error",
        ),
        html.Label("What to do with them", htmlFor=ids.UPLOAD_OVERLAP),
        dcc.RadioItems(
            id=ids.UPLOAD_OVERLAP,
            options=[
                {"label": " Store only the new rows", "value": "skip"},
                {"label": " Replace the earlier file(s) with this one", "value": "replace"},
            ],
            value="skip",
        ),
    ]


#: The value of the organisation checkbox when the officer confirms the file is theirs.
ORGANISATION_CONFIRMED = "confirmed"


def organisation_warning(result: ImportResult) -> list[Component]:
    """Above the preview: the file names another body than the authority (else nothing)."""
    if not result.other_organisation:
        return []
    return [
        html.P(
            f"This file may belong to another organisation: {result.other_organisation} "
            "It will not be imported unless you confirm it is this authority's, or the name "
            "is recorded as another name of the authority.",
            className="form-error lines",
            role="alert",
        )
    ]


def organisation_choice(result: ImportResult) -> list[Component]:
    """The officer's confirmation that a file naming another body is the authority's (an
    empty box when the file names none, so the confirm callback always finds it)."""
    options = (
        [
            {
                "label": " I have checked: this file is this authority's spend",
                "value": ORGANISATION_CONFIRMED,
            }
        ]
        if result.other_organisation
        else []
    )
    return [
        *organisation_warning(result),
        dcc.Checklist(id=ids.UPLOAD_ORGANISATION, options=options, value=[]),
    ]


def preview_panel(result: ImportResult) -> list[Component]:
    years = year_labels(result.financial_years, result.fy_start_month)
    currency = result.currency
    return [
        *organisation_warning(result),
        section(
            f"How {result.file_name} was read",
            html.Dl(
                className="card__facts",
                children=[
                    html.Dt("Format"),
                    html.Dd(
                        result.file_format.upper()
                        + (f", {result.encoding.upper()} text" if result.encoding else "")
                    ),
                    html.Dt("Sheet"),
                    html.Dd(result.sheet or "–"),
                    html.Dt("Header row"),
                    html.Dd(str(result.header_row)),
                    html.Dt("Columns used"),
                    html.Dd(
                        ", ".join(f"{field_name(k)} = “{v}”" for k, v in result.mapping.items())
                    ),
                    html.Dt("Amounts"),
                    html.Dd(amount_rule_name(result.amount_rule)),
                    html.Dt("Total to import"),
                    html.Dd(money(result.total_amount, currency)),
                    html.Dt("Financial years"),
                    html.Dd(years),
                ],
            ),
            mapping_controls(result),
        ),
        section("First rows as they will be stored", preview_table(result)),
        section("Validation report", validation_report(result)),
        section(
            "Confirm",
            *organisation_choice(result),
            *overlap_choice(result),
            html.Div(
                className="actions",
                children=[html.Button("Import this file", id=ids.UPLOAD_CONFIRM)],
            ),
        ),
    ]
