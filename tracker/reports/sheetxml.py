"""SpreadsheetML for a large sheet's rows, written a column at a time.

openpyxl builds a cell object per value, which makes a 200,000-line detail sheet (about
five million cells) take a minute. Here rows come in chunks, and each column is written
by a function made once for its kind of value (``Column``), so no cell pays for a type
test (tracker.reports.splice puts the rows into the workbook's package):

- ``integer`` and ``number`` as ``<v>`` values (``number`` through ``float``, so
  ``Decimal`` is fine), with the cell style id that carries their number format
  (registered through openpyxl, so styles.xml has it);
- ``date`` as Excel serial day numbers (1900 date system) with a date style;
- ``text`` as shared strings (``SharedStrings``; each distinct text is stored once,
  which halves the sheet's XML), through the formula-injection guard
  (tracker.reports.safe), with characters that XML 1.0 forbids removed;
- ``None`` as no cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape

from tracker.reports.memo import Memo
from tracker.reports.safe import safe_text

# Excel's day 0 in the 1900 date system (after its leap bug), as a proleptic ordinal.
EPOCH_ORDINAL = dt.date(1899, 12, 30).toordinal()
MAX_TEXT = 32_767
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NEEDS_WORK = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Kind = Literal["integer", "number", "date", "text"]
# Row numbers (as text) and one column's values of those rows -> each cell's XML.
ColumnCells = Callable[[Sequence[str], Sequence[Any]], list[str]]


@dataclass(frozen=True)
class Column:
    kind: Kind
    style_id: int | None = None  # the cell style with the column's number format


def xml_text(value: str) -> str:
    """Cell text as it goes between ``<t>`` tags: guarded against formula injection, cut
    at Excel's 32,767 characters, without the characters XML forbids, escaped."""
    text = (safe_text(value) or "")[:MAX_TEXT]
    if _NEEDS_WORK.search(text) is not None:
        text = escape(_ILLEGAL_XML.sub("", text))
    return text


class SharedStrings:
    """A workbook's shared-strings table (xl/sharedStrings.xml): cells of type ``s``
    hold an index into it."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._index)

    def add(self, text: str) -> int:
        """The index of ``text`` (already through ``xml_text``), added if new."""
        return self._index.setdefault(text, len(self._index))

    def xml(self) -> bytes:
        items = "".join(f'<si><t xml:space="preserve">{t}</t></si>' for t in self._index)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{MAIN_NS}" uniqueCount="{len(self)}">{items}</sst>'
        ).encode()


def column_cells(column: Column, letter: str, strings: SharedStrings) -> ColumnCells:
    """The function that writes the cells of ``column``, whose cell references start
    with ``letter``, text going into ``strings``; a ``None`` value gives ``""``."""
    style = "" if column.style_id is None else f' s="{column.style_id}"'
    prefix = f'<c r="{letter}'
    if column.kind == "text":
        return _text_cells(prefix, style, strings)
    if column.kind == "integer":
        return lambda rows, values: [
            "" if v is None else f'{prefix}{r}"{style}><v>{v:d}</v></c>'
            for r, v in zip(rows, values, strict=True)
        ]
    if column.kind == "number":
        return lambda rows, values: [
            "" if v is None else f'{prefix}{r}"{style}><v>{float(v)!r}</v></c>'
            for r, v in zip(rows, values, strict=True)
        ]
    if column.kind == "date":
        return lambda rows, values: [
            "" if v is None else f'{prefix}{r}"{style}><v>{v.toordinal() - EPOCH_ORDINAL}</v></c>'
            for r, v in zip(rows, values, strict=True)
        ]
    raise ValueError(f"no cell writer for {column.kind!r}")


def _text_cells(prefix: str, style: str, strings: SharedStrings) -> ColumnCells:
    def tail(value: str) -> str:
        return f'"{style} t="s"><v>{strings.add(xml_text(value))}</v></c>'

    tails: Memo[str, str] = Memo(tail)
    return lambda rows, values: [
        "" if v is None else f"{prefix}{r}{tails[v]}" for r, v in zip(rows, values, strict=True)
    ]


def rows_xml(first: int, chunk: Sequence[Sequence[Any]], cells: Sequence[ColumnCells]) -> str:
    """The ``<row>`` elements of ``chunk``, numbered from ``first``; ``cells[i]`` writes
    column ``i`` (``column_cells``)."""
    if not chunk:
        return ""
    rows = [str(n) for n in range(first, first + len(chunk))]
    columns = [
        write(rows, values) for write, values in zip(cells, zip(*chunk, strict=True), strict=True)
    ]
    return "".join(
        [
            f'<row r="{r}">{"".join(row)}</row>'
            for r, row in zip(rows, zip(*columns, strict=True), strict=True)
        ]
    )
