"""Writing report sheets with openpyxl in write-only (streaming) mode.

Every text value goes through the formula-injection guard (tracker.reports.safe); numbers
are written as numbers with a number format, dates as dates, and ``Decimal`` as float
(Excel stores IEEE doubles in any case).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tracker.reports.safe import safe_text

MONEY = "#,##0.00"
TONNES = "#,##0.000"
KG = "#,##0.000"
FACTOR = "0.000000"
RATIO = "0.0000"
PERCENT = "0.0%"
SCORE = "0.00"
INTEGER = "#,##0"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)

_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


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

    def __init__(self, wb: Workbook, name: str, widths: Sequence[float] = ()) -> None:
        self.ws: WriteOnlyWorksheet = wb.create_sheet(sheet_name(name))
        for i, width in enumerate(widths):
            self.ws.column_dimensions[get_column_letter(i + 1)].width = width
        self.rows = 0

    def cell(self, value: Any, fmt: str | None = None, font: Font | None = None) -> Any:
        cell = WriteOnlyCell(self.ws, value=plain(value))
        if fmt and value is not None:
            cell.number_format = fmt
        elif isinstance(value, dt.datetime):
            cell.number_format = DATETIME
        elif isinstance(value, dt.date):
            cell.number_format = DATE
        if font is not None:
            cell.font = font
        return cell

    def row(self, values: Iterable[Any], fmts: Sequence[str | None] = ()) -> int:
        """Append a row; returns its 1-based row number."""
        cells = [self.cell(v, fmts[i] if i < len(fmts) else None) for i, v in enumerate(values)]
        self.ws.append(cells)
        self.rows += 1
        return self.rows

    def title(self, text: str) -> None:
        self.ws.append([self.cell(text, font=TITLE)])
        self.rows += 1

    def header(self, names: Iterable[str]) -> int:
        self.ws.append([self.cell(n, font=BOLD) for n in names])
        self.rows += 1
        return self.rows

    def blank(self) -> None:
        self.ws.append([])
        self.rows += 1

    def item(self, label: str, value: Any, fmt: str | None = None) -> int:
        self.ws.append([self.cell(label, font=BOLD), self.cell(value, fmt)])
        self.rows += 1
        return self.rows
