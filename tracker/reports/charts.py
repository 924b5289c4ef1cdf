"""The inventory workbook's charts, each series one whole column of a table on its sheet.

A series takes its values from a column range, its name from the column's header cell and
its categories (the x axis) from the table's label column, so the chart follows the table
when the figures are edited or rows are added inside the ranges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.chart import BarChart, LineChart
from openpyxl.chart._chart import ChartBase
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.utils import absolute_coordinate, get_column_letter, quote_sheetname

AXIS_TONNES = "#,##0"  # whole tonnes on the value axis, never "100.000"


@dataclass(frozen=True)
class Table:
    """Where a table sits on its sheet: the header row, the first and last data rows."""

    sheet: str
    header_row: int
    first: int
    last: int

    def cell(self, column: int, row: int) -> str:
        """One cell as a chart formula refers to it: ``'Trend'!$C$1``."""
        return f"{quote_sheetname(self.sheet)}!{absolute_coordinate(_at(column, row))}"

    def column(self, column: int) -> str:
        """The data rows of ``column`` (1-based): ``'Trend'!$C$2:$C$10``."""
        span = f"{_at(column, self.first)}:{_at(column, self.last)}"
        return f"{quote_sheetname(self.sheet)}!{absolute_coordinate(span)}"


def _at(column: int, row: int) -> str:
    return f"{get_column_letter(column)}{row}"


def column_series(table: Table, values: int, labels: int) -> Series:
    """The series of column ``values``, named by its header, over the text labels of
    column ``labels``."""
    return Series(
        val=NumDataSource(numRef=NumRef(f=table.column(values))),
        cat=AxDataSource(strRef=StrRef(f=table.column(labels))),
        tx=SeriesLabel(strRef=StrRef(f=table.cell(values, table.header_row))),
    )


def _axes(chart: ChartBase, value_title: str) -> None:
    """Both axes shown (openpyxl 3.1 leaves them to the reader's default, which Excel
    takes as deleted), the value axis titled and in whole units."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.title = value_title
    chart.y_axis.number_format = AXIS_TONNES


def category_chart(table: Table, *, values: int, labels: int, title: str) -> BarChart:
    """One horizontal bar series: column ``values`` by the categories in ``labels``,
    the first row at the top."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.series.append(column_series(table, values, labels))
    _axes(chart, "tCO2e")
    chart.x_axis.scaling.orientation = "maxMin"  # table order, top to bottom
    chart.y_axis.axPos = "b"
    chart.y_axis.crosses = "max"  # keeps the value axis below the bars
    chart.legend = None
    chart.height = max(8.0, 0.5 * (table.last - table.first + 1))
    chart.width = 22
    return chart


@dataclass(frozen=True)
class Line:
    """One measure of a line chart: its column and how its line is drawn."""

    column: int
    dash: str | None = None  # a DrawingML preset dash ("dash", "sysDot"), or solid
    markers: bool = False


def line_chart(table: Table, lines: Sequence[Line], *, labels: int, title: str) -> LineChart:
    """One line series per measure in ``lines``, over the labels of column ``labels``;
    empty cells are gaps."""
    chart = LineChart()
    chart.title = title
    for line in lines:
        series = column_series(table, line.column, labels)
        series.smooth = False
        series.marker = Marker(symbol="circle" if line.markers else "none")
        if line.dash is not None:
            series.graphicalProperties.line.dashStyle = line.dash
        chart.series.append(series)
    _axes(chart, "tCO2e")
    chart.x_axis.title = "Financial year"
    chart.x_axis.axPos = "b"
    chart.legend.position = "b"
    chart.display_blanks = "gap"
    chart.width = 22
    return chart
