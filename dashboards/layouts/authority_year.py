"""The selected year on the authority page: totals, breakdowns by category, Scope 3
category and supplier, coverage, exclusions, provenance and the drill-down to its lines."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import aria, kpi, note, section
from dashboards.components.controls import control_row
from dashboards.components.tables import value_table
from dashboards.data.authority import (
    LINES_PER_PAGE,
    AuthorityData,
    LinesPage,
    RunParts,
    YearDetail,
)
from dashboards.figures.breakdown import TOP_CATEGORIES, category_figure, supplier_pareto
from dashboards.figures.theme import GRAPH_CONFIG
from dashboards.format import currency_symbol, fy_label, intensity, money, percent, tonnes
from factors.classification import exclusion_reasons
from tracker.domain.calculate import reported_kg
from tracker.domain.vocabulary import (
    decided_by_name,
    evidence_words,
    factor_set_name,
    line_status_name,
    method_name,
)
from tracker.queries.breakdowns import CategoryRow, CoverageRow, Scope3Row
from tracker.queries.lines import LineRow
from tracker.queries.reference import FactorSetRef
from tracker.storage.memo import Memo, drawn_once

NO_INVENTORY = "No inventory has been calculated for this authority yet."
SCOPE3_NAMES = {1: "1 Purchased goods and services", 2: "2 Capital goods"}


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
        f" ({factor_set_name(first.family, first.edition)}, "
        f"data year{'s' if len(years) > 1 else ''} {span}), "
        f"published by {first.publisher} under {first.licence}.",
    ]


# The sections that only the run's own rows decide (the category chart, its table and
# the drill-down's choice of category, the Scope 3 split, coverage), drawn once per kept
# ``RunParts`` (``dashboards.data.authority.run_parts`` hands out the same object for a
# run while it is kept) and per currency and year label: a 100-category table and chart
# cost more to draw than the rest of the year together. A drawing of 100 categories holds
# about 0.6 MB (Dash components and the chart's Plotly objects), so only the last 16 are
# kept: about 10 MB a server process.
_RUN_SECTIONS: Memo[tuple[RunParts, list[Component]]] = Memo(size=16)


def _run_sections(
    detail: YearDetail, currency: str, label: str, unmapped_text: str
) -> list[Component]:
    """The category, drill-down, Scope 3 and coverage sections of the selected year."""

    def draw(parts: RunParts) -> list[Component]:
        return [
            section(
                f"Emissions by category, {label}",
                dcc.Graph(
                    id=ids.CATEGORY_FIGURE,
                    figure=category_figure(parts.categories, currency=currency),
                    config=GRAPH_CONFIG,
                ),
                category_table(parts.categories, currency),
                description=(
                    f"The {TOP_CATEGORIES} categories with the largest emissions; the rest are "
                    f"grouped as Other.{unmapped_text}"
                ),
            ),
            drilldown_section(parts.categories),
            section(
                f"Emissions by Scope 3 category, {label}",
                scope3_table(parts.scope3, currency),
                description=(
                    "The GHG Protocol sorts purchased emissions into categories: everyday goods "
                    "and services (category 1) and capital goods such as buildings, vehicles and "
                    "equipment (category 2)."
                ),
            ),
            section(
                f"Data quality and coverage, {label}",
                coverage_table(parts.coverage, currency),
                description=(
                    "How each pound of spend was classified. Spend matched from a supplier's "
                    "industry code is more reliable than spend matched from a free-text "
                    "description; unmatched spend has no estimate, so a low matched share means "
                    "the total is too low. Data quality is scored 1 (very good) to 5 (unknown)."
                ),
            ),
        ]

    if detail.parts is None:  # a detail made without the kept parts: drawn each time
        return draw(
            RunParts(detail.categories, detail.factor_sets, detail.scope3, detail.coverage, ())
        )
    return drawn_once(_RUN_SECTIONS, detail.parts, draw, also=(currency, label, unmapped_text))


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
    # An out-of-date inventory is shown as it is, with why (pages never recalculate).
    stale = detail.out_of_date
    sections = _run_sections(detail, currency, label, unmapped_text)
    checks = (
        [
            section(
                f"Lines to check, {label}",
                html.Ul([html.Li(check) for check in detail.lines_to_check]),
                description=(
                    "One line carries more than half of its category's emissions, and at "
                    "least 1% of the year's: a total row, an amount keyed with its decimal "
                    "point moved and one large payment look alike in the totals, so check "
                    "the line before reporting the year. The methodology explains the rule."
                ),
            )
        ]
        if detail.lines_to_check
        else []
    )
    return [
        *([html.P(stale, className="notice", role="note")] if stale else []),
        _totals(detail, currency, label),
        *checks,
        *sections[:3],
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
        sections[3],
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
                tonnes(reported_kg(r.kgco2e)),
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
        [
            [
                line_status_name(r.status),
                method_name(r.method) if r.method else "–",
                money(r.spend, currency),
                f"{r.lines:,}",
            ]
            for r in rows
        ],
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


def drilldown_section(categories: Sequence[CategoryRow]) -> Component:
    """Pick a category (or click its bar) to list the spend lines behind it."""
    options = [
        {"label": f"{r.name} ({r.code})" if r.code else "Unmapped spend", "value": r.code or ""}
        for r in categories
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
            f"payments behind it, {LINES_PER_PAGE} at a time, largest emissions first."
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
                    evidence_words(r.overruled),
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
    """How a drill-down line was classified and by whom, in words: "officer's rule T3
    (jo@council.gov.uk)", "supplier's SIC code 42110", "description (rule library) R075";
    "–" for an unclassified line."""
    how = decided_by_name(row.method, row.rule)
    return f"{how} ({row.decided_by})" if row.method and row.decided_by else how


def confirmed(row: LineRow) -> str:
    """A drill-down line's sign-off: "confirmed (ana@council.gov.uk)", "needs re-confirming
    (…)" when its decision changed since, "–" when nobody confirmed it."""
    if row.confirmation is None:
        return "–"
    return f"{row.confirmation} ({row.confirmed_by})" if row.confirmed_by else row.confirmation
