"""Stream a large sheet's rows straight into the .xlsx package.

openpyxl builds a cell object per value, which makes a 200,000-line detail sheet (about
five million cells) take a minute. Here openpyxl still writes the whole workbook -- every
other sheet, the styles, and the big sheet's header, column widths and frozen pane --
and ``splice_rows`` then copies that package, appending the big sheet's rows to its
``sheetData`` as SpreadsheetML text:

- numbers (int, float, ``Decimal``) as ``<v>`` values, with the cell style id that
  carries their number format (registered through openpyxl, so styles.xml has it);
- dates as Excel serial day numbers (1900 date system) with a date style;
- text as inline strings, XML-escaped, with characters that XML 1.0 forbids removed.
  Callers pass text already through the formula-injection guard (tracker.reports.safe);
- ``None`` as no cell.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, BinaryIO
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 in the 1900 date system (after its leap bug)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NEEDS_WORK = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CHUNK_ROWS = 2000
MAX_TEXT = 32_767
# zlib level for the big sheet: level 1 is several times faster than the default 6 and
# the detail's repetitive XML still shrinks about tenfold.
COMPRESS_LEVEL = 1
_DIMENSION = re.compile(r"<dimension [^>]*/>")


def text_cell(ref: str, value: str) -> str:
    """An inline-string cell; text past Excel's 32,767 characters per cell is cut."""
    cleaned = value[:MAX_TEXT]
    if _NEEDS_WORK.search(cleaned) is not None:
        cleaned = escape(_ILLEGAL_XML.sub("", cleaned))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{cleaned}</t></is></c>'


def row_xml(
    number: int, values: Sequence[Any], letters: Sequence[str], styles: Sequence[str]
) -> str:
    """One ``<row>``: ``styles[i]`` is ``' s="N"'`` for a formatted column or ``''``."""
    cells = []
    for value, letter, style in zip(values, letters, styles, strict=True):
        if value is None:
            continue
        ref = f"{letter}{number}"
        if isinstance(value, str):
            cells.append(text_cell(ref, value))
        elif isinstance(value, bool):
            cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int):
            cells.append(f'<c r="{ref}"{style}><v>{value}</v></c>')
        elif isinstance(value, float | Decimal):
            cells.append(f'<c r="{ref}"{style}><v>{float(value)!r}</v></c>')
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            cells.append(f'<c r="{ref}"{style}><v>{(value - EPOCH).days}</v></c>')
        else:
            raise TypeError(f"cannot write {type(value).__name__} to a cell")
    return f'<row r="{number}">{"".join(cells)}</row>'


def splice_rows(
    package: bytes,
    out: Path | BinaryIO,
    *,
    sheet_index: int,
    rows: Iterable[Sequence[Any]],
    style_ids: Sequence[int | None],
    first_row: int,
) -> int:
    """Copy the .xlsx ``package`` to ``out`` with ``rows`` added to sheet ``sheet_index``
    (1-based, in workbook order) from row ``first_row``; returns the rows written."""
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    letters = [get_column_letter(i + 1) for i in range(len(style_ids))]
    styles = ["" if s is None else f' s="{s}"' for s in style_ids]
    written = 0
    with (
        zipfile.ZipFile(io.BytesIO(package)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as dst,
    ):
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info, src.read(info.filename))
                continue
            xml = src.read(name).decode("utf-8").replace("<sheetData/>", "<sheetData></sheetData>")
            head, tail = xml.split("</sheetData>", 1)
            head = _DIMENSION.sub("", head)  # optional, and the header's would be wrong
            with dst.open(name, "w", force_zip64=True) as f:  # deflated, as the rest
                f.write(head.encode("utf-8"))
                written = _write_rows(f, rows, first_row, letters, styles)
                f.write(b"</sheetData>" + tail.encode("utf-8"))
    return written


def _write_rows(
    f: IO[bytes],
    rows: Iterable[Sequence[Any]],
    first: int,
    letters: Sequence[str],
    styles: Sequence[str],
) -> int:
    chunk: list[str] = []
    number = first
    for values in rows:
        chunk.append(row_xml(number, values, letters, styles))
        number += 1
        if len(chunk) >= _CHUNK_ROWS:
            f.write("".join(chunk).encode("utf-8"))
            chunk = []
    if chunk:
        f.write("".join(chunk).encode("utf-8"))
    return number - first
