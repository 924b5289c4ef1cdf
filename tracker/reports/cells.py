"""Writing report sheets with openpyxl in write-only (streaming) mode.

Every text value goes through the formula-injection guard (tracker.reports.safe); numbers
are written as numbers with a number format, dates as dates, and ``Decimal`` as float
(Excel stores IEEE doubles in any case). Tonnes are shown rounded for reading
(``number_format``) while the cell keeps the exact figure.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tracker.reports.printing import Page, set_up_printing
from tracker.reports.safe import safe_text

MONEY = "#,##0.00"
TONNES = "#,##0"  # tonnes for reading: whole tonnes, one decimal below 10 t (number_format)
TONNES_SMALL = "#,##0.0"
KG = "#,##0.000"  # kilograms to the gram, as calculated (the line detail)
FACTOR = "0.000000"
RATIO = "0.0000"
PERCENT = "0.0%"
SCORE = "0.00"
INTEGER = "#,##0"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
TOP = Alignment(vertical="top")
WRAPPED = Alignment(vertical="top", wrap_text=True)
LINE_POINTS = 15  # the height of a line of 11-point text

_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# A number shown with one decimal reads below 10.0 exactly when it is below 9.95 (Excel
# and LibreOffice round half away from zero).
_SHOWS_BELOW_TEN = Decimal("9.95")


def number_format(fmt: str | None, value: Any) -> str | None:
    """The format a cell of ``value`` gets when its column asks for ``fmt``: ``TONNES``
    shows whole tonnes, or one decimal for a figure that would read below 10 t (not 0)."""
    if fmt != TONNES or not isinstance(value, int | float | Decimal) or not value:
        return fmt
    return TONNES_SMALL if abs(Decimal(str(value))) < _SHOWS_BELOW_TEN else TONNES


def sheet_name(name: str) -> str:
    """A valid Excel sheet name: no ``[]:*?/\\``, not blank, at most 31 characters."""
    cleaned = _INVALID_SHEET_CHARS.sub(" ", name).strip().strip("'").strip() or "Sheet"
    return cleaned[:31]


def plain(value: Any) -> Any:
    """A value as openpyxl should store it: safe text, float for Decimal, naive datetimes."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


class Sheet:
    """One write-only sheet with small helpers for titled tables and label/value lists."""

    def __init__(
        self, wb: Workbook, name: str, widths: Sequence[float] = (), page: Page | None = None
    ) -> None:
        self.ws: WriteOnlyWorksheet = wb.create_sheet(sheet_name(name))
        if page is not None:
            set_up_printing(self.ws, page)
        for i, width in enumerate(widths):
            self.ws.column_dimensions[get_column_letter(i + 1)].width = width
        self.widths = tuple(widths)
        self.rows = 0

    def cell(self, value: Any, fmt: str | None = None, font: Font | None = None) -> Any:
        cell = WriteOnlyCell(self.ws, value=plain(value))
        if fmt and value is not None:
            cell.number_format = number_format(fmt, value)
        elif isinstance(value, dt.datetime):
            cell.number_format = DATETIME
        elif isinstance(value, dt.date):
            cell.number_format = DATE
        if font is not None:
            cell.font = font
        return cell

    def row(self, values: Iterable[Any], fmts: Sequence[str | None] = ()) -> int:
        """Append a row; returns its 1-based row number. Text longer than its sized
        column is wrapped, the row as tall as the most lines and its cells top-aligned,
        so that nothing is cut off beside a filled cell or past the printed width."""
        cells = [self.cell(v, fmts[i] if i < len(fmts) else None) for i, v in enumerate(values)]
        lines = max((self._wrap(c, i) for i, c in enumerate(cells)), default=1)
        if lines > 1:
            self.ws.row_dimensions[self.rows + 1].height = LINE_POINTS * lines
            for c in cells:
                if not c.alignment.wrap_text:
                    c.alignment = TOP
        self.ws.append(cells)
        self.rows += 1
        return self.rows

    def _wrap(self, cell: Any, column: int) -> int:
        """Wrap ``cell`` (0-based ``column``) if its text is longer than the column is
        wide; the lines it takes."""
        text = cell.value
        if column >= len(self.widths) or not isinstance(text, str):
            return 1
        if len(text) <= self.widths[column]:
            return 1
        cell.alignment = WRAPPED
        return text_lines(text, self.widths[column])

    def title(self, text: str) -> None:
        self.ws.append([self.cell(text, font=TITLE)])
        self.rows += 1

    def header(self, names: Iterable[str], *, repeat: bool = False) -> int:
        """Append a header row; returns its row number. With ``repeat``, it is printed at
        the top of every page (the sheet's print titles)."""
        self.ws.append([self.cell(n, font=BOLD) for n in names])
        self.rows += 1
        if repeat:
            self.ws.print_title_rows = f"{self.rows}:{self.rows}"
        return self.rows

    def blank(self) -> None:
        self.ws.append([])
        self.rows += 1

    def item(self, label: str, value: Any, fmt: str | None = None) -> int:
        """Append a label and its value; returns the row number. Text longer than the
        sheet's columns after the label is wrapped across them (``long_item``)."""
        if isinstance(value, str) and len(value) > sum(self.widths[1:]) > 0:
            return self.long_item(label, value)
        self.ws.append([self.cell(label, font=BOLD), self.cell(value, fmt)])
        self.rows += 1
        return self.rows

    def long_item(self, label: str, text: str) -> int:
        """A label and a text wrapped in one cell merged across every sized column after
        the label, the row as tall as its lines (neither Excel nor LibreOffice sizes a
        merged cell's row), so that it reads and prints inside the sheet's width."""
        row = self.rows + 1
        lines = text_lines(text, sum(self.widths[1:]))
        self.ws.row_dimensions[row].height = LINE_POINTS * lines
        label_cell = self.cell(label, font=BOLD)
        label_cell.alignment = TOP
        text_cell = self.cell(text)
        text_cell.alignment = WRAPPED
        self.ws.append([label_cell, text_cell])
        if len(self.widths) > 2:
            self.ws.merged_cells.add(f"B{row}:{get_column_letter(len(self.widths))}{row}")
        self.rows += 1
        return self.rows


def text_lines(text: str, width: float) -> int:
    """The lines ``text`` takes wrapped at word breaks in ``width`` characters (a column
    width counts characters of the widest digit, so most text fits in fewer)."""
    return max(1, len(textwrap.wrap(text, max(1, int(width)))))
