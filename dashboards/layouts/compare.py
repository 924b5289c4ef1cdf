"""The compare page: authorities side by side for one financial year."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import kpi, note, section
from dashboards.components.controls import parse_year
from dashboards.components.paged import Column, paged_table
from dashboards.data.compare import comparison_data
from dashboards.figures.compare import mix_figure, ratio_bars
from dashboards.figures.theme import GRAPH_CONFIG
from dashboards.format import currency_symbol, intensity, money, percent, tonnes
from dashboards.server.downloads import compare_download_href
from tracker.access import Viewer
from tracker.domain.benchmark import COVERAGE_GAP, METHOD_GAP
from tracker.domain.periods import group_fy_label
from tracker.domain.vocabulary import factor_set_name, method_name, price_basis_name
from tracker.services.compare import AuthorityBenchmark, Comparison
from tracker.storage.memo import Memo, drawn_once

TITLE = "Compare authorities"
EXPLAINER = (
    "Each authority's procurement emissions are shown per £ of in-scope spend (what it "
    "bought from suppliers, without salaries, grants and other out-of-scope payments) and "
    "per resident. The group figure is the group's total emissions divided by its total "
    "spend or population, so larger authorities weigh more, as they do in reality; it is "
    "never an average of the authorities' own ratios. These are spend-based estimates: a "
    "higher figure per £ mostly means a different mix of purchases (more construction and "
    "transport, less professional services), not a less careful buyer."
)
COMPARABLE = (
    "All figures shown use the same currency, factor set and edition and price-year policy; "
    f"their shares of in-scope spend classified are within {int(COVERAGE_GAP * 100)} points "
    "of each other, every year is complete (twelve months, or a part year an officer "
    "confirmed complete) and their classification method mixes are within "
    f"{int(METHOD_GAP * 100)} % of each other, so they can be compared like for like."
)


def year_options(years: Sequence[int], start_months: Collection[int]) -> list[dict[str, Any]]:
    """Newest first, labelled as everywhere else (``2024/25``; see ``group_fy_label``)."""
    return [{"label": group_fy_label(y, start_months), "value": y} for y in reversed(years)]


def year_control(
    control_id: str, years: Sequence[int], value: int | None, start_months: Collection[int]
) -> Component:
    return html.Div(
        className="controls__item",
        children=[
            html.Label(
                "Financial year",
                htmlFor=control_id,
            ),
            dcc.Dropdown(
                id=control_id,
                options=year_options(years, start_months),
                value=value,
                clearable=False,
                searchable=False,
                className="year-dropdown",
            ),
        ],
    )


def _warnings(result: Comparison) -> Component:
    if result.warnings:
        body: Component = html.Ul([html.Li(w.message) for w in result.warnings])
        title = "Read these figures with care"
    else:
        body = html.P(COMPARABLE)
        title = "Like for like"
    return html.Section(
        id=ids.COMPARE_WARNINGS,
        className="section warnings" if result.warnings else "section",
        role="status",
        children=[html.H2(title), body],
    )


def _pooled_kpis(result: Comparison) -> Component:
    tiles = []
    for currency, p in result.group.per_currency_unit.items():
        tiles.append(
            kpi(
                f"Group emissions per {currency_symbol(currency).strip()} of in-scope spend",
                intensity(p.ratio, currency),
                f"{tonnes(p.numerator)} ÷ {money(p.denominator, currency)}, "
                f"{len(p.members)} authorities",
            )
        )
    resident = result.group.per_resident
    tiles.append(
        kpi(
            "Group emissions per resident",
            _per_resident(resident.ratio),
            f"{tonnes(resident.numerator)} ÷ {int(resident.denominator):,} residents, "
            f"{len(resident.members)} authorities",
        )
    )
    return html.Div(className="kpi-row", children=tiles)


def _per_resident(kg: Decimal | None) -> str:
    """kgCO2e per resident: one decimal place, three below 10 kg so small ones show."""
    if kg is None:
        return "–"
    return f"{kg:,.{1 if kg >= 10 else 3}f} kgCO2e"


def _flagged(result: Comparison) -> set[str]:
    return {code for w in result.warnings if w.kind == "coverage" for code in w.authorities}


def _factor_text(b: AuthorityBenchmark) -> str:
    """The run's factor set and edition by name, and the data years its lines used."""
    run_set = (b.run.factor_family, b.run.factor_edition)
    years = sorted({y for family, edition, y in b.factor_sets if (family, edition) == run_set})
    others = [
        f"{factor_set_name(f, e)}, data year {y}" for f, e, y in b.factor_sets if (f, e) != run_set
    ]
    text = factor_set_name(*run_set)
    if years:
        text += f", data year{'s' if len(years) > 1 else ''} " + ", ".join(map(str, years))
    return "; ".join([text, *others])


def _methods(b: AuthorityBenchmark) -> str:
    return ", ".join(f"{method_name(m)} {percent(share)}" for m, share in b.methods) or "–"


def _progress(b: AuthorityBenchmark) -> str:
    return (
        f"{b.progress_status or '–'} — {b.progress_note}"
        if b.progress_note
        else (b.progress_status or "–")
    )


BENCHMARK_COLUMNS: tuple[Column[AuthorityBenchmark], ...] = (
    Column("authority", "Authority", lambda b: f"{b.run.name} ({b.code})"),
    Column("emissions", "Emissions", lambda b: tonnes(b.run.kgco2e), lambda b: b.run.kgco2e),
    Column(
        "per_unit",
        "Per unit of in-scope spend",
        lambda b: intensity(b.kg_per_unit, b.run.currency),
        lambda b: b.kg_per_unit,
    ),
    Column(
        "per_resident",
        "Per resident",
        lambda b: _per_resident(b.kg_per_resident),
        lambda b: b.kg_per_resident,
    ),
    Column(
        "classified",
        "Spend classified",
        lambda b: percent(b.classified_share),
        lambda b: b.classified_share,
    ),
    Column("progress", "Progress", _progress),
    Column("factors", "Factor set, edition and data years", _factor_text),
    Column(
        "price_year",
        "Price year",
        lambda b: price_basis_name(b.run.price_year_policy, b.run.price_index_key),
    ),
    Column("methods", "Classified by", _methods),
)


def benchmark_table(rows: Sequence[AuthorityBenchmark]) -> Component:
    """Every figure with what it rests on: the charts' text alternative, paged
    (``dashboards.components.paged``)."""
    return paged_table(
        ids.COMPARE_TABLE,
        BENCHMARK_COLUMNS,
        rows,
        caption="Figures per authority and the methods behind them",
    )


# The body drawn for a comparison, by the comparison itself: tracker.services.compare_memo
# hands out the very same object while nothing it rests on changes, and drawing its charts
# and table for 400 authorities costs more than reading it. Keeping the object keeps its
# id from being reused.
_BODIES: Memo[tuple[Comparison, list[Component]]] = Memo(size=16)


def compare_body(result: Comparison) -> list[Component]:
    """Everything below the controls for the selected year (drawn once per comparison)."""
    return drawn_once(_BODIES, result, _draw_body)


def _draw_body(result: Comparison) -> list[Component]:
    if not result.authorities:
        return [
            html.P("No authority you can see has an inventory for this year.", className="muted")
        ]
    rows = result.authorities
    flagged = _flagged(result)
    currencies = list(result.group.per_currency_unit)
    per_unit_group = (
        result.group.per_currency_unit[currencies[0]].ratio if len(currencies) == 1 else None
    )
    unit = currency_symbol(currencies[0]).strip() if len(currencies) == 1 else "currency unit"
    parts: list[Component] = [
        _warnings(result),
        _pooled_kpis(result),
        section(
            f"Emissions per {unit} of in-scope spend",
            dcc.Graph(
                id=ids.COMPARE_INTENSITY_FIGURE,
                figure=ratio_bars(
                    [(b.run.name, b.kg_per_unit) for b in rows],
                    group=per_unit_group,
                    axis_title=f"kgCO2e per {unit}",
                    flagged=[b.run.name for b in rows if b.code in flagged],
                    unit=f"kgCO2e/{unit}",
                ),
                config=GRAPH_CONFIG,
            ),
            description=(
                "The dashed line is the group: total emissions ÷ total in-scope spend. "
                "Hatched bars belong to authorities with a much lower share of spend "
                "classified, whose figures are understated."
            ),
        ),
        section(
            "Emissions per resident",
            dcc.Graph(
                id=ids.COMPARE_RESIDENT_FIGURE,
                figure=ratio_bars(
                    [(b.run.name, b.kg_per_resident) for b in rows],
                    group=result.group.per_resident.ratio,
                    axis_title="kgCO2e per resident",
                    flagged=[b.run.name for b in rows if b.code in flagged],
                    places=1,
                    unit="kgCO2e",
                ),
                config=GRAPH_CONFIG,
            ),
            description=(
                "Per resident suits authorities that serve a population (councils); for "
                "others, such as health trusts, it depends on how population is counted."
            ),
        ),
        section(
            "Category mix",
            dcc.Graph(
                id=ids.COMPARE_MIX_FIGURE,
                figure=mix_figure([(b.run.name, b.mix) for b in rows]),
                config=GRAPH_CONFIG,
            ),
            description=(
                "Each authority's emissions by broad group of what it bought (SIC 2007 "
                "sections; US commodity codes are put in the nearest section)."
            ),
        ),
        section(
            "What each figure rests on",
            benchmark_table(rows),
            html.P(
                html.A(
                    "Download the comparison as a workbook (.xlsx)",
                    id=ids.COMPARE_DOWNLOAD,
                    className="button-link",
                    href=compare_download_href(result.fy_year),
                )
            ),
        ),
    ]
    if result.without_inventory:
        parts.append(
            note("No inventory for this year: " + ", ".join(result.without_inventory) + ".")
        )
    return parts


def compare_layout(viewer: Viewer, year: object = None) -> Component:
    result = comparison_data(viewer, parse_year(year))
    return html.Div(
        [
            html.H1(TITLE),
            note(EXPLAINER),
            html.Div(
                className="controls",
                children=[
                    year_control(
                        ids.COMPARE_YEAR,
                        result.years,
                        result.fy_year,
                        {b.run.fy_start_month for b in result.authorities},
                    )
                ],
            ),
            html.Div(id=ids.COMPARE_BODY, children=compare_body(result)),
        ]
    )


def select_compare_year(viewer: Viewer, year: object) -> list[Component]:
    """The compare page's body when ``year`` is picked."""
    return compare_body(comparison_data(viewer, parse_year(year)))
