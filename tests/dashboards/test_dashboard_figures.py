"""Pure figure builders and number formatting: plain data in, figures and strings out."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_compare_figures import _checked

from dashboards import format as fmt
from dashboards.figures import theme
from dashboards.figures.breakdown import (
    category_figure,
    short_label,
    supplier_figure,
    top_categories,
    unique_labels,
)
from dashboards.figures.overview import emissions_by_year, trend_sparkline
from tracker.queries.breakdowns import CategoryRow, SupplierRow

D = Decimal


def cat(code: str | None, kg: str, spend: str = "100", name: str | None = None) -> CategoryRow:
    return CategoryRow(code=code, name=name or f"Category {code}", spend=D(spend), kgco2e=D(kg))


def test_sparkline_plots_tonnes_by_financial_year() -> None:
    fig = trend_sparkline([(2021, D("1500")), (2022, D("1250.5"))], fy_start_month=4)
    (trace,) = fig.data
    assert list(trace.x) == ["2021/22", "2022/23"]
    assert list(trace.y) == [1.5, 1.2505]
    assert fig.layout.xaxis.visible is False


def test_sparkline_marks_a_part_year_hollow() -> None:
    fig = trend_sparkline(
        [(2023, D("1500")), (2024, D("300"))], part_years={2024: "part year (3 of 12 months)"}
    )
    (trace,) = fig.data
    assert list(trace.marker.symbol) == ["circle", "circle-open"]
    assert list(trace.customdata) == ["", " (part year (3 of 12 months))"]


def test_sparkline_without_points_says_so() -> None:
    fig = trend_sparkline([])
    assert fig.data == ()
    assert fig.layout.annotations[0].text == "No inventory yet"


def test_emissions_by_year_highlights_selected_year() -> None:
    fig = emissions_by_year(
        [(2022, D("3000")), (2023, D("1300"))], fy_start_month=1, selected_year=2023
    )
    (bar,) = fig.data
    assert list(bar.x) == ["2022", "2023"]  # calendar financial years
    assert list(bar.y) == [3.0, 1.3]
    assert list(bar.marker.color) == [theme.BLUE, theme.VERMILLION]
    assert fig.layout.yaxis.title.text == "Emissions (tCO2e)"
    assert fig.layout.xaxis.title.text == "Financial year"


def test_emissions_by_year_marks_a_part_year() -> None:
    # 2024/25 has 3 months of lines: hatched, lighter, "part year" on the bar and in hover.
    fig = emissions_by_year(
        [(2023, D("3000000")), (2024, D("800000"))],
        fy_start_month=4,
        part_years={2024: "part year (3 of 12 months)"},
    )
    (bar,) = fig.data
    assert list(bar.text) == ["3,000", "800 (part year)"]
    assert list(bar.marker.pattern.shape) == ["", "/"]
    assert list(bar.marker.opacity) == [1.0, 0.45]
    assert list(bar.customdata) == ["", "<br>part year (3 of 12 months)"]
    assert "%{customdata}" in bar.hovertemplate


def test_top_categories_folds_the_tail_into_other_and_drops_unmapped() -> None:
    rows = [cat(str(i), str(i * 10)) for i in range(1, 18)]  # 17 mapped: 10 … 170 kg
    rows.append(cat(None, "0", spend="999", name="Unmapped"))
    shown = top_categories(rows, top=15)
    assert [r.code for r in shown[:3]] == ["17", "16", "15"]
    assert len(shown) == 16
    other = shown[-1]
    # The two smallest, 10 and 20 kg, each with 100 spend.
    assert other == CategoryRow(code=None, name="Other (2 categories)", spend=D(200), kgco2e=D(30))


def test_top_categories_without_tail_has_no_other_row() -> None:
    shown = top_categories([cat("49", "5"), cat("62", "7")], top=15)
    assert [r.code for r in shown] == ["62", "49"]


def test_category_figure_bars_in_tonnes_largest_first() -> None:
    fig = category_figure(
        [
            cat("49", "800", name="Land transport"),
            cat("10.1", "1500", name="Food"),
            cat(None, "0", name="Unmapped"),
        ],
    )
    (bar,) = fig.data
    assert bar.orientation == "h"
    assert list(bar.y) == ["Food", "Land transport"]
    assert list(bar.x) == [1.5, 0.8]
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.xaxis.title.text == "Emissions (tCO2e)"


def test_category_figure_other_is_grey() -> None:
    rows = [cat(str(i), str(i)) for i in range(1, 5)]
    fig = category_figure(rows, top=2)
    assert list(fig.data[0].marker.color) == [theme.BLUE, theme.BLUE, theme.GREY]


def test_category_figure_with_nothing_mapped_explains() -> None:
    fig = category_figure([cat(None, "0", name="Unmapped")])
    assert "matched" in fig.layout.annotations[0].text


def test_supplier_figure_keeps_order_and_shows_spend_in_hover() -> None:
    fig = supplier_figure(
        [SupplierRow("Bus Co", D("2000"), D("800")), SupplierRow("Acme", D("1500.5"), D("750"))]
    )
    (bar,) = fig.data
    assert list(bar.y) == ["Bus Co", "Acme"]
    assert list(bar.x) == [0.8, 0.75]
    assert [c[1] for c in bar.customdata] == [2000.0, 1500.5]
    assert "Spend £" in bar.hovertemplate


def test_supplier_figure_empty() -> None:
    assert supplier_figure([]).data == ()


def test_labels_are_shortened_and_kept_distinct() -> None:
    long = "Products of agriculture, hunting and related services, and more"
    assert short_label(long).endswith("…") and len(short_label(long)) == 42
    assert short_label("Food") == "Food"
    assert unique_labels([long, long + " too"]) == [short_label(long), short_label(long) + " (2)"]


@pytest.mark.parametrize(
    ("kg", "expected"),
    [(D("1234567"), "1,235 tCO2e"), (D("2500"), "2.5 tCO2e"), (D("0"), "0.0 tCO2e")],
)
def test_tonnes(kg: Decimal, expected: str) -> None:
    assert fmt.tonnes(kg) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (D("12345.6"), "GBP", "£12,346"),
        (D("12345678"), "GBP", "£12.3m"),
        (D("-50"), "GBP", "-£50"),
        (D("10"), "CHF", "CHF 10"),
    ],
)
def test_money(amount: Decimal, currency: str, expected: str) -> None:
    assert fmt.money(amount, currency) == expected


def test_percentages() -> None:
    assert fmt.percent(D("0.8734")) == "87%"
    assert fmt.percent(None) == "–"
    # £1 unmatched of £2,500: 2,499 / 2,500 = 99.96 %, which would round to 100 %.
    assert fmt.percent(D(2499) / D(2500)) == "99.9%"
    # 99.999 % (£1 of £100,000 unmatched) is still short of the whole.
    assert fmt.percent(D(99999) / D(100000)) == "99.9%"
    assert fmt.percent(D("0.9949")) == "99%"  # 99.49 % rounds down as usual
    assert fmt.percent(D("0.995")) == "99.5%"  # would round up to 100 %
    assert fmt.percent(D(1)) == "100%"
    assert fmt.signed_percent(D("0.125")) == "+13%"
    assert fmt.signed_percent(D("-0.05")) == "−5%"
    assert fmt.signed_percent(D("0.001")) == "0%"
    assert fmt.intensity(D("0.21449")) == "0.214 kgCO2e/£"


def test_emissions_by_year_shows_ranges_and_pathway() -> None:
    fig = emissions_by_year(
        [(2022, Decimal("2000")), (2023, Decimal("1500"))],
        ranges=[(2023, Decimal("1000"), Decimal("2500"))],
        pathway=[(2022, Decimal("2000")), (2030, Decimal("1000"))],
    )
    bars, line = fig.data
    # 95 % range 1.0 to 2.5 t around 1.5 t: +1.0 t above, -0.5 t below; none for 2022.
    assert list(bars.error_y.array) == [0, 1.0] and list(bars.error_y.arrayminus) == [0, 0.5]
    assert line.name == "Target pathway" and list(line.y) == [2.0, 1.0]


def test_year_figures_pass_plotlys_checks() -> None:
    """trend_sparkline and emissions_by_year skip Plotly's checks for speed (every overview
    card and authority page draws one): what they build passes the checks unchanged, with
    and without part years, ranges and a pathway."""
    part = {2023: "part year (3 of 12 months)"}
    _checked(trend_sparkline([(2022, D("1200")), (2023, D("1300.5"))], part_years=part))
    _checked(trend_sparkline([(2022, D("1200"))]))
    _checked(
        emissions_by_year(
            [(2021, D("900")), (2022, D("1200")), (2023, D("1300.5"))],
            selected_year=2022,
            ranges=[(2022, D("1000"), D("1500"))],
            pathway=[(2022, D("1200")), (2030, D("0"))],
            part_years=part,
        )
    )
    _checked(emissions_by_year([(2022, D("1200"))], selected_year=2022))
