"""The workbook's reading formats, print set-up and chart references, as plain functions
(tracker.reports.cells, tracker.reports.printing, tracker.reports.charts). The produced
workbook itself is checked in tests/reports/test_report_workbook.py."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tracker.reports.cells import KG, MONEY, TONNES, TONNES_SMALL, Sheet, number_format
from tracker.reports.charts import Line, Table, category_chart, column_series, line_chart
from tracker.reports.printing import Page, comparison_page, inventory_page, literal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("2994.230"), TONNES),  # the "2,994.230" reads "2,994"
        (10, TONNES),
        (9.95, TONNES),  # one decimal would show "10.0": whole tonnes show "10"
        (9.9499, TONNES_SMALL),  # shows "9.9"
        (Decimal("9.742524"), TONNES_SMALL),  # £120,000 of consultancy: "9.7"
        (0.04, TONNES_SMALL),
        (-3.5, TONNES_SMALL),  # a fall of 3.5 t
        (-12, TONNES),
        (0, TONNES),  # nothing reads "0", not "0.0"
        (None, TONNES),
    ],
)
def test_tonnes_read_whole_or_to_one_decimal_below_ten(value: object, expected: str) -> None:
    assert number_format(TONNES, value) == expected


def test_other_formats_are_left_alone() -> None:
    assert number_format(MONEY, 5) == MONEY
    assert number_format(KG, 5) == KG == "#,##0.000"  # the line detail keeps grams
    assert number_format(None, 5) is None


def test_header_text_is_literal_and_short() -> None:
    assert literal("Bath & North East Somerset") == "Bath && North East Somerset"
    assert literal("Line\none") == "Line one"
    assert literal("x" * 100, 10) == "x" * 9 + "…"
    page = inventory_page(authority="A & B", code="AB", year_label="2024/25", version=3)
    assert page.header == (
        "A && B (AB)",
        "Scope 3 procurement emissions, 2024/25",
        "Inventory version 3",
    )
    assert page.footer == ("&A", "", "Page &P of &N")
    assert not page.landscape and page.wide().landscape


def test_a_sheet_with_a_page_prints_one_page_wide_with_its_header_row() -> None:
    wb = Workbook(write_only=True)
    page = Page(("left", "", "right"), ("&A", "", "Page &P of &N"))
    s = Sheet(wb, "Table", (10,), page.wide())
    s.title("A table")
    assert s.header(["Name", "tCO2e"], repeat=True) == 2
    s.row(["a", 1234.5678], [None, TONNES])
    s.row(["b", 1.25], [None, TONNES])
    out = io.BytesIO()
    wb.save(out)
    ws = load_workbook(out)["Table"]
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$2:$2"
    assert (ws.oddHeader.left.text, ws.oddHeader.right.text) == ("left", "right")
    assert ws.oddFooter.right.text == "Page &P of &N"
    assert (ws["B3"].value, ws["B3"].number_format) == (1234.5678, "#,##0")  # exact, read 1,235
    assert (ws["B4"].value, ws["B4"].number_format) == (1.25, "#,##0.0")


def test_a_header_or_footer_over_excels_limit_is_refused() -> None:
    wb = Workbook(write_only=True)
    with pytest.raises(ValueError, match="over 255 characters"):
        Sheet(wb, "Long", page=Page(("x" * 200, "y" * 60, ""), ("", "", "")))


def test_series_are_whole_columns_named_by_their_header() -> None:
    table = Table("By category", header_row=1, first=2, last=45)
    assert table.column(4) == "'By category'!$D$2:$D$45"
    series = column_series(table, values=4, labels=2)
    assert series.val.numRef.f == "'By category'!$D$2:$D$45"
    assert series.cat.strRef.f == "'By category'!$B$2:$B$45"
    assert series.tx.strRef.f == "'By category'!$D$1"

    bars = category_chart(table, values=4, labels=2, title="t")
    assert len(bars.series) == 1
    assert bars.y_axis.number_format.formatCode == "#,##0"

    trend = Table("Trend", header_row=1, first=2, last=10)
    lines = line_chart(trend, [Line(3, markers=True), Line(6, dash="dash")], labels=2, title="t")
    assert [s.val.numRef.f for s in lines.series] == ["'Trend'!$C$2:$C$10", "'Trend'!$F$2:$F$10"]
    assert [s.tx.strRef.f for s in lines.series] == ["'Trend'!$C$1", "'Trend'!$F$1"]
    assert lines.series[1].graphicalProperties.line.dashStyle == "dash"
    assert lines.y_axis.number_format.formatCode == "#,##0"


def test_long_text_wraps_across_the_sheets_columns() -> None:
    wb = Workbook(write_only=True)
    s = Sheet(wb, "Summary", (30, 20, 20, 20))
    s.item("Short", "fits in column B and the empty cells beside it")
    text = " ".join(["word"] * 30)  # 149 characters; 12 words to a 60-character line
    assert s.item("Status rule", text) == 2
    out = io.BytesIO()
    wb.save(out)
    ws = load_workbook(out)["Summary"]
    assert [str(r) for r in ws.merged_cells.ranges] == ["B2:D2"]  # B to D: 60 characters
    assert ws["B2"].value == text and ws["B2"].alignment.wrap_text
    assert ws.row_dimensions[2].height == 3 * 15  # 12 + 12 + 6 words
    assert not ws["B1"].alignment.wrap_text and ws.row_dimensions[1].height is None


def test_table_text_longer_than_its_column_wraps() -> None:
    wb = Workbook(write_only=True)
    s = Sheet(wb, "CDP", (10, 20))
    s.row(["1", "short"])
    s.row(["2", "Not estimated by this inventory; spend on this is not bought"])  # 60 chars
    out = io.BytesIO()
    wb.save(out)
    ws = load_workbook(out)["CDP"]
    assert not ws["B1"].alignment.wrap_text and ws.row_dimensions[1].height is None
    assert ws["B2"].alignment.wrap_text and ws["A2"].alignment.vertical == "top"
    # At 20 characters: "Not estimated by", "this inventory;", "spend on this is not", "bought".
    assert ws.row_dimensions[2].height == 4 * 15


@pytest.mark.parametrize(
    ("label", "right"),
    [
        ("2023/24", "Financial year 2023/24"),
        ("2023", "Financial year 2023"),  # calendar-year authorities
        ("year starting in 2023", "Year starting in 2023"),  # April and January together
        (None, "Latest year of each authority"),
    ],
)
def test_the_comparison_header_names_the_year_by_its_label(label: str | None, right: str) -> None:
    assert comparison_page(year_label=label).header[2] == right
