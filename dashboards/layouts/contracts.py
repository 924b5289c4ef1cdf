"""The contracts page: upload a contracts file (officers and admins) and the authority's
contracts, those ending soonest first, 25 a page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import aria, note, section
from dashboards.components.controls import control_row, upload_zone
from dashboards.components.tables import value_table
from dashboards.data.upload import EditableAuthority
from dashboards.format import money
from tracker.importers.contracts import FLAG_TEXT, FORMAT_NAMES
from tracker.services.contracts.imports import ContractImportResult
from tracker.services.contracts.listing import ContractPage

TITLE = "Contracts"
MAX_SHOWN = 20
EXPLAINER = (
    "Contracts published by the authority: Contracts Finder or other OCDS JSON, the "
    "Transparency Code contract register, or a Contracts Finder award CSV. A contract "
    "belongs to the authority its buyer is; in a file naming many buyers, tick the names "
    "that are this authority's. Nothing is stored until you press Import."
)


def contracts_layout(
    authorities: Sequence[tuple[EditableAuthority, bool]], max_mb: int
) -> Component:
    if not authorities:
        return html.Div([html.H1(TITLE), html.P("You cannot see any authority's contracts.")])
    editable = any(can for _, can in authorities)
    return html.Div(
        [
            html.H1(TITLE),
            control_row(
                (
                    "Authority",
                    dcc.Dropdown(
                        id=ids.CONTRACTS_AUTHORITY,
                        options=[
                            {"label": f"{a.name} ({a.code})", "value": a.code}
                            for a, _ in authorities
                        ],
                        value=authorities[0][0].code,
                        clearable=False,
                        style={"minWidth": "320px"},
                    ),
                )
            ),
            upload_section(max_mb) if editable else html.Div(),
            dcc.Store(id=ids.CONTRACTS_PAGE, data=1),
            dcc.Store(id=ids.CONTRACTS_VERSION, data=0),
            section(
                "The authority's contracts",
                dcc.Loading(html.Div(id=ids.CONTRACTS_LIST, **aria(live="polite"))),
                html.Div(
                    className="pager",
                    children=[
                        _pager_button("Previous", ids.CONTRACTS_PREV),
                        _pager_button("Next", ids.CONTRACTS_NEXT),
                    ],
                ),
                description="Ending soonest first; contracts without an end date last.",
            ),
        ]
    )


def _pager_button(label: str, button_id: str) -> Component:
    return html.Button(label, id=button_id, className="button--secondary", disabled=True)


def upload_section(max_mb: int) -> Component:
    return section(
        "Upload contracts",
        note(EXPLAINER),
        upload_zone(ids.CONTRACTS_UPLOAD, max_mb, "a contracts file"),
        dcc.Store(id=ids.CONTRACTS_TOKEN),
        dcc.Loading(html.Div(id=ids.CONTRACTS_PREVIEW, **aria(live="polite"))),
        dcc.Loading(html.Div(id=ids.CONTRACTS_RESULT, role="status")),
    )


def _per_authority(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} for {code}" for code, n in sorted(counts.items()) if n) or "none"


def _refusals(result: ContractImportResult) -> list[Component]:
    parts: list[Component] = []
    for title, items in (
        ("refused", result.refused),
        ("not contracts (a tender without award, a repeated row …)", result.skipped),
    ):
        if items:
            shown = [html.Li(r.text(result.file_name)) for r in items[:MAX_SHOWN]]
            if len(items) > MAX_SHOWN:
                shown.append(html.Li(f"… and {len(items) - MAX_SHOWN:,} more"))
            parts.append(html.Details([html.Summary(f"{len(items):,} {title}"), html.Ul(shown)]))
    return parts


def preview_panel(result: ContractImportResult, code: str) -> list[Component]:
    """What the import would do, the file's other buyers to tick, and the Import button."""
    parts: list[Component] = [
        html.P(
            f"{result.file_name}: {FORMAT_NAMES.get(result.format, result.format)}, "
            f"{result.records:,} records read, {result.contracts_read:,} contracts. "
            f"Would add {_per_authority(result.added)}; update {_per_authority(result.updated)}; "
            f"unchanged {_per_authority(result.unchanged)}."
        )
    ]
    if result.unmapped:
        options = [
            {"label": f"{name} ({n:,} contracts)", "value": name}
            for name, n in list(result.unmapped.items())[:200]
        ]
        parts.append(
            html.Fieldset(
                [
                    html.Legend(
                        f"{len(result.unmapped):,} buyers in the file are not mapped to any "
                        f"authority. Tick those that are {code}'s (their contracts are then "
                        "imported for it, now and in later files):"
                    ),
                    dcc.Checklist(id=ids.CONTRACTS_BUYERS, options=options, value=[]),
                ]
            )
        )
    else:
        hidden = {"display": "none"}
        parts.append(dcc.Checklist(id=ids.CONTRACTS_BUYERS, options=[], value=[], style=hidden))
    if result.elsewhere:
        parts.append(
            html.P(
                f"{sum(result.elsewhere.values()):,} contracts have buyers mapped to other "
                "authorities and are not imported here."
            )
        )
    for flag, n in sorted(result.flags.items()):
        text = f"{n:,} contracts flagged: {FLAG_TEXT.get(flag, flag)}."
        parts.append(html.P(text, className="note"))
    parts += _refusals(result)
    parts.append(html.Button("Import", id=ids.CONTRACTS_CONFIRM))
    return parts


def import_message(result: ContractImportResult) -> list[Component]:
    extra = ["Buyers mapped: " + "; ".join(result.mapped)] if result.mapped else []
    if any(result.payments_linked.values()):
        extra.append(f"Payments linked to contracts: {_per_authority(result.payments_linked)}.")
    return [
        html.P(
            f"Imported {result.file_name}: added {_per_authority(result.added)}, updated "
            f"{_per_authority(result.updated)}, unchanged {_per_authority(result.unchanged)}.",
            className="form-ok",
        ),
        *[html.P(text, className="note") for text in extra],
    ]


def _date(value: dt.date | None) -> str:
    return value.strftime("%d %b %Y") if value else "–"


def _value(value: Decimal | None, currency: str | None) -> str:
    return money(value, currency or "GBP") if value is not None else "–"


def contract_table(page: ContractPage) -> list[Component]:
    if not page.total:
        return [html.P("No contracts for this authority yet.")]
    first = (page.page - 1) * page.page_size + 1
    rows: list[list[Component | str]] = [
        [
            dcc.Link(r.title, href=f"/contracts/{r.id}"),
            ", ".join(r.suppliers) or "no supplier named",
            _value(r.value, r.currency),
            _date(r.end_date),
            r.category,
            r.status,
            "; ".join(FLAG_TEXT.get(f, f) for f in r.flags) or "–",
        ]
        for r in page.rows
    ]
    return [
        html.P(f"Showing {first:,}–{first + len(page.rows) - 1:,} of {page.total:,} contracts"),
        value_table(
            ["Title", "Supplier", "Value", "Ends", "Category", "Status", "Doubts"],
            rows,
            numeric=(2,),
            table_id=ids.CONTRACTS_TABLE,
        ),
    ]
