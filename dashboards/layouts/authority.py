"""The authority page: emissions by year, and the selected year's breakdown."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

import plotly.graph_objects as go
from dash import dcc, html
from dash.development.base_component import Component

from dashboards import data, ids
from dashboards.components.cards import aria, kpi, message, note, section
from dashboards.components.controls import control_row
from dashboards.components.tables import value_table
from dashboards.components.target import target_panel
from dashboards.data import AuthorityData, LinesPage, YearDetail
from dashboards.figures.breakdown import TOP_CATEGORIES, category_figure, supplier_pareto
from dashboards.figures.overview import emissions_by_year
from dashboards.format import currency_symbol, fy_label, intensity, money, percent, tonnes
from factors.classification import exclusion_reasons
from tracker.access import AccessDenied, Viewer
from tracker.queries.breakdowns import CategoryRow, CoverageRow, Scope3Row
from tracker.queries.lines import LineRow
from tracker.queries.reference import FactorSetRef

GRAPH_CONFIG: dcc.Graph.Config = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}
NO_INVENTORY = "No inventory has been calculated for this authority yet."
SCOPE3_NAMES = {1: "1 Purchased goods and services", 2: "2 Capital goods"}


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


def _totals(detail: YearDetail, currency: str, label: str) -> Component:
    run = detail.run
    unmapped = run.total_spend - run.mapped_spend - run.excluded_spend
    rng = run.range95
    spread = f"95% range {tonnes(rng[0])} to {tonnes(rng[1])}" if rng else None
    quality = f"{run.data_quality_mean:.1f} of 5" if run.data_quality_mean is not None else "–"
    return html.Div(
        id=ids.TOTALS,
        className="kpi-row",
        children=[
            kpi(f"Emissions {label}", tonnes(run.total_kgco2e), spread),
            kpi(
                "Data quality", quality, f"1 very good … 5 unknown; inventory version {run.version}"
            ),
            kpi("Spend (net of VAT)", money(run.total_spend, currency)),
            kpi(
                "In-scope spend matched to a factor",
                percent(run.mapped_share),
                f"{money(unmapped, currency)} not matched; "
                f"{money(run.excluded_spend, currency)} out of scope",
            ),
            kpi(
                "Intensity",
                intensity(run.kg_per_currency_unit, currency),
                f"per {currency_symbol(currency).strip()} of total spend",
            ),
        ],
    )


def category_table(rows: Sequence[CategoryRow], currency: str) -> Component:
    """Every category of the year as a table: the chart's text alternative."""
    total_kg = sum((r.kgco2e for r in rows), Decimal(0))
    return html.Details(
        id=ids.CATEGORY_TABLE,
        className="table-details",
        children=[
            html.Summary(f"Show all {len(rows)} rows as a table"),
            value_table(
                ["Category", "Code", "Spend", "Emissions", "Share"],
                [
                    [
                        r.name,
                        r.code or "–",
                        money(r.spend, currency),
                        tonnes(r.kgco2e),
                        percent(r.kgco2e / total_kg if total_kg else None),
                    ]
                    for r in rows
                ],
                numeric=(2, 3, 4),
            ),
        ],
    )


def _factor_text(refs: Sequence[FactorSetRef]) -> list[Component | str]:
    if not refs:
        return ["No emission factors were used: no spend in this year was matched."]
    first = refs[0]
    years = sorted({r.data_year for r in refs})
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return [
        "Emission factors: ",
        html.A(first.title, href=first.source_url, target="_blank", rel="noopener"),
        f" ({first.family}, edition {first.edition}, data year{'s' if len(years) > 1 else ''} "
        f"{span}), published by {first.publisher} under {first.licence}.",
    ]


def year_panel(result: AuthorityData) -> list[Component]:
    """Totals, category and supplier breakdowns and provenance of the selected year."""
    detail = result.selected
    if detail is None:
        return [html.P(NO_INVENTORY, className="muted")]
    authority = result.authority
    currency = authority.currency
    label = fy_label(detail.run.fy_year, authority.fy_start_month)
    unmapped = detail.unmapped_spend
    unmapped_text = (
        f" Spend that could not be matched to a category ({money(unmapped.spend, currency)}) "
        "has no estimate and is not shown."
        if unmapped is not None and unmapped.spend
        else ""
    )
    run = detail.run
    return [
        _totals(detail, currency, label),
        section(
            f"Emissions by category, {label}",
            dcc.Graph(
                id=ids.CATEGORY_FIGURE,
                figure=category_figure(detail.categories, currency=currency),
                config=GRAPH_CONFIG,
            ),
            category_table(detail.categories, currency),
            description=(
                f"The {TOP_CATEGORIES} categories with the largest emissions; the rest are "
                f"grouped as Other.{unmapped_text}"
            ),
        ),
        drilldown_section(detail),
        section(
            f"Emissions by Scope 3 category, {label}",
            scope3_table(detail.scope3, currency),
            description=(
                "The GHG Protocol sorts purchased emissions into categories: everyday goods "
                "and services (category 1) and capital goods such as buildings, vehicles and "
                "equipment (category 2)."
            ),
        ),
        section(
            f"Top suppliers, {label}",
            dcc.Graph(
                id=ids.SUPPLIER_FIGURE,
                figure=supplier_pareto(
                    detail.suppliers, total_kg=detail.run.total_kgco2e, currency=currency
                ),
                config=GRAPH_CONFIG,
            ),
            description=(
                f"The {len(detail.suppliers)} suppliers with the largest estimated emissions "
                "(bars), and the share of the year's total they make up together (line). "
                "Each estimate uses category averages for what was bought from the supplier, "
                "not the supplier's own footprint, so it shows where to start a conversation "
                "rather than which supplier is greener."
            ),
        ),
        section(
            f"Data quality and coverage, {label}",
            coverage_table(detail.coverage, currency),
            description=(
                "How each pound of spend was classified. Spend matched from a supplier's "
                "industry code is more reliable than spend matched from a free-text "
                "description; unmatched spend has no estimate, so a low matched share means "
                "the total is too low. Data quality is scored 1 (very good) to 5 (unknown)."
            ),
        ),
        section(
            f"What the inventory leaves out, {label}",
            exclusions_table(detail, currency),
            description=(
                "Spend that is not a purchase of goods or services (pay, grants, taxes, "
                "transfers to other public bodies such as levies and precepts) or that is "
                "reported elsewhere (the authority's own energy and water), with the "
                "payees that account for most of it. Each reason is explained in the "
                "classification policy."
            ),
        ),
        note(
            *_factor_text(detail.factor_sets),
            f" Inventory run {run.run_id}, calculated {run.created_at:%d %B %Y}.",
        ),
    ]


def scope3_table(rows: Sequence[Scope3Row], currency: str) -> Component:
    total = sum((r.kgco2e for r in rows), Decimal(0))
    return value_table(
        ["Scope 3 category", "Spend", "Emissions", "Share"],
        [
            [
                SCOPE3_NAMES.get(r.category, str(r.category)),
                money(r.spend, currency),
                tonnes(max(r.kgco2e, Decimal(0))),
                percent(r.kgco2e / total if total else None),
            ]
            for r in rows
        ],
        numeric=(1, 2, 3),
        table_id=ids.SCOPE3_TABLE,
    )


def coverage_table(rows: Sequence[CoverageRow], currency: str) -> Component:
    return value_table(
        ["Outcome", "How classified", "Spend", "Lines"],
        [[r.status, r.method or "–", money(r.spend, currency), f"{r.lines:,}"] for r in rows],
        numeric=(2, 3),
        table_id=ids.COVERAGE_TABLE,
    )


def counted_note(counted: Sequence[tuple[str, str]]) -> Component | None:
    """The authority's choice to count spend the policy leaves out ((reason, note) pairs)."""
    if not counted:
        return None
    labels = {r: e.label for r, e in exclusion_reasons().items()}
    said = [f"{labels.get(r, r)} ({n})" if n else labels.get(r, r) for r, n in counted]
    return note(
        "Counted by this authority's choice, although the policy leaves it out: "
        + "; ".join(said)
        + "."
    )


def exclusions_table(detail: YearDetail, currency: str) -> Component:
    counted = counted_note(detail.counted)
    if not detail.excluded:
        empty = html.P("No spend was left out of this year's inventory.", className="muted")
        return html.Div([empty, counted]) if counted is not None else empty
    labels = {r: e.label for r, e in exclusion_reasons().items()}
    return html.Div(
        [
            *([counted] if counted is not None else []),
            value_table(
                ["Reason", "Spend", "Lines"],
                [
                    [labels.get(r.reason, r.reason), money(r.spend, currency), f"{r.lines:,}"]
                    for r in detail.excluded
                ],
                numeric=(1, 2),
                table_id=ids.EXCLUDED_TABLE,
            ),
            value_table(
                ["Largest payees left out", "Reason", "Spend"],
                [
                    [p.payee, labels.get(p.reason, p.reason), money(p.spend, currency)]
                    for p in detail.excluded_payees
                ],
                numeric=(2,),
            ),
        ]
    )


def drilldown_section(detail: YearDetail) -> Component:
    """Pick a category (or click its bar) to list the spend lines behind it."""
    options = [
        {"label": f"{r.name} ({r.code})" if r.code else "Unmapped spend", "value": r.code or ""}
        for r in detail.categories
    ]
    return section(
        "Spend lines behind a category",
        control_row(
            (
                "Category",
                dcc.Dropdown(
                    id=ids.DRILL_CATEGORY,
                    options=options,
                    value=None,
                    placeholder="Choose a category…",
                    style={"minWidth": "320px"},
                ),
            )
        ),
        dcc.Store(id=ids.DRILL_PAGE, data=0),
        html.Div(id=ids.DRILL_TABLE, **aria(live="polite")),
        html.Div(
            className="actions",
            children=[
                html.Button(
                    "Previous lines",
                    id=ids.DRILL_PREV,
                    className="button--secondary",
                    disabled=True,
                ),
                html.Button(
                    "Next lines", id=ids.DRILL_NEXT, className="button--secondary", disabled=True
                ),
            ],
        ),
        description=(
            "Choose a category here, or click its bar in the chart above, to see the "
            f"payments behind it, {data.LINES_PER_PAGE} at a time, largest emissions first."
        ),
    )


LINE_HEADERS = (
    "Date", "Supplier", "Expense type", "Description", "Classified by", "Evidence that lost",
    "Confidence", "Confirmed", "Spend", "Emissions",
)  # fmt: skip


def lines_table(page: LinesPage) -> list[Component]:
    """One page of drill-down lines (the previous/next buttons sit below it)."""
    if page.total == 0:
        return [html.P("No spend lines in this category.", className="muted")]
    first, last = page.offset + 1, page.offset + len(page.rows)
    return [
        html.P(f"Lines {first:,}–{last:,} of {page.total:,}."),
        value_table(
            LINE_HEADERS,
            [
                [
                    f"{r.date:%d %b %Y}",
                    r.supplier or "–",
                    r.expense_type or "–",
                    r.description or "–",
                    classified_by(r),
                    r.overruled or "–",
                    r.confidence or "–",
                    confirmed(r),
                    money(r.amount, page.currency),
                    tonnes(r.kgco2e),
                ]
                for r in page.rows
            ],
            numeric=(8, 9),
        ),
    ]


def classified_by(row: LineRow) -> str:
    """How a drill-down line was classified and by whom: "rule T3 (jo@council.gov.uk)",
    "sic 42110", "library R075"; "–" for an unclassified line."""
    if not row.method:
        return "–"
    how = f"{row.method} {row.rule}" if row.rule else row.method
    return f"{how} ({row.decided_by})" if row.decided_by else how


def confirmed(row: LineRow) -> str:
    """A drill-down line's sign-off: "confirmed (ana@council.gov.uk)", "needs re-confirming
    (…)" when its decision changed since, "–" when nobody confirmed it."""
    if row.confirmation is None:
        return "–"
    return f"{row.confirmation} ({row.confirmed_by})" if row.confirmed_by else row.confirmation


def edit_controls(result: AuthorityData) -> Component:
    """Lock the selected year, or restate a locked one with a reason (officers, admins)."""
    detail = result.selected
    state = "locked" if detail and detail.locked else "not locked"
    return section(
        "Lock or restate the selected year",
        html.P(
            f"The selected year is {state}. A locked year keeps its published figure until it "
            "is restated with a reason; every lock and restatement is in the audit log.",
            className="section__description",
        ),
        html.Div(
            className="form-grid",
            children=[
                html.Label("Reason", htmlFor=ids.LOCK_REASON),
                dcc.Input(
                    id=ids.LOCK_REASON,
                    type="text",
                    placeholder="e.g. published in the annual report",
                    maxLength=500,
                ),
            ],
        ),
        html.Div(
            className="actions",
            children=[
                html.Button("Lock year", id=ids.LOCK_BUTTON),
                html.Button("Restate year", id=ids.RESTATE_BUTTON, className="button--secondary"),
            ],
        ),
        html.Div(id=ids.LOCK_STATUS, role="status"),
    )


def forbidden(message_text: str = data.NO_ACCESS) -> Component:
    return message("Access denied", message_text)


def not_found(code: str | None) -> Component:
    return message(
        "Authority not found",
        f"There is no authority with the code “{code or ''}”. "
        "Check the address, or pick an authority from the overview.",
    )


def year_checks_text(rule: str) -> str:
    """Why years are flagged, with the limits in force (the settings)."""
    return (
        "A year is flagged when its emissions, or its emissions per £ of in-scope spend, "
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
    progress = section(
        "Progress against the target",
        target_panel(result.target),
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
                description=year_checks_text(result.year_check_rule),
            )
        ]
        if result.year_checks
        else []
    )
    return html.Div(
        [
            *header,
            controls,
            progress,
            *checks,
            by_year,
            *([edit_controls(result)] if result.can_edit else []),
            html.Div(id=ids.YEAR_PANEL, children=year_panel(result)),
        ]
    )


def authority_layout(viewer: Viewer, code: str | None, year: object = None) -> Component:
    """The page, or an access-denied message for an authority the viewer may not see (and,
    for admins only, a not-found message for a code that does not exist)."""
    if not code:
        return not_found(code)
    try:
        result = data.authority_data(viewer, code, parse_year(year))
    except AccessDenied:
        return not_found(code) if viewer.is_admin else forbidden()
    return authority_body(result, code)
