"""Stream a large sheet's rows into a workbook package that openpyxl saved.

openpyxl writes the whole workbook -- every other sheet, the styles, and the big sheet's
header, column widths and frozen pane -- and ``splice_rows`` then copies that package,
appending the big sheet's rows (tracker.reports.sheetxml) to its ``sheetData`` and
adding the shared-strings table that their text cells refer to. openpyxl (3.1) writes
text as inline strings, so the package it saves has no such table of its own.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl.utils import get_column_letter

from tracker.reports.background import background_writes
from tracker.reports.sheetxml import Column, ColumnCells, SharedStrings, column_cells, rows_xml

# zlib level for the big sheet: level 1 is several times faster than the default 6 and
# the detail's repetitive XML still shrinks about fivefold.
COMPRESS_LEVEL = 1
SHARED_STRINGS = "xl/sharedStrings.xml"
CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
SST_OVERRIDE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SST_RELATIONSHIP = (
    b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/sharedStrings" Target="sharedStrings.xml" Id="{id}"/>'
)
_DIMENSION = re.compile(r"<dimension [^>]*/>")
_REL_ID = re.compile(r'Id="rId(\d+)"')


def splice_rows(
    package: bytes,
    out: Path | BinaryIO,
    *,
    sheet_index: int,
    chunks: Iterable[Sequence[Sequence[Any]]],
    columns: Sequence[Column],
    first_row: int,
) -> int:
    """Copy the .xlsx ``package`` to ``out`` with the rows of ``chunks`` (each value in
    the kind of its ``columns`` entry, or ``None``) added to sheet ``sheet_index``
    (1-based, in workbook order) from row ``first_row``; returns the rows written."""
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    strings = SharedStrings()
    cells = [column_cells(c, get_column_letter(i + 1), strings) for i, c in enumerate(columns)]
    written = 0
    with (
        zipfile.ZipFile(io.BytesIO(package)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as dst,
    ):
        if SHARED_STRINGS in src.namelist():
            raise ValueError("the package already has a shared-strings table")
        for info in src.infolist():
            if info.filename == name:
                xml = src.read(name).decode("utf-8")
                written = _copy_sheet(xml, dst, name, rows=chunks, first=first_row, cells=cells)
            else:
                dst.writestr(info, _edited(info.filename, src.read(info.filename)))
        dst.writestr(SHARED_STRINGS, strings.xml())
    return written


def _edited(name: str, data: bytes) -> bytes:
    """A package part, with the shared-strings table declared where it must be."""
    if name == CONTENT_TYPES:
        return _insert_before(data, b"</Types>", SST_OVERRIDE)
    if name == WORKBOOK_RELS:
        number = 1 + max((int(n) for n in _REL_ID.findall(data.decode("utf-8"))), default=0)
        relationship = SST_RELATIONSHIP.replace(b"{id}", f"rId{number}".encode())
        return _insert_before(data, b"</Relationships>", relationship)
    return data


def _insert_before(data: bytes, end: bytes, item: bytes) -> bytes:
    head, found, tail = data.rpartition(end)
    if not found:
        raise ValueError(f"no {end.decode()} in the package part")
    return head + item + end + tail


def _copy_sheet(
    xml: str,
    dst: zipfile.ZipFile,
    name: str,
    *,
    rows: Iterable[Sequence[Sequence[Any]]],
    first: int,
    cells: Sequence[ColumnCells],
) -> int:
    """Write the sheet ``xml`` to ``dst`` as ``name`` with the chunks of ``rows``, numbered
    from ``first``, at the end of its ``sheetData``; returns the rows written."""
    xml = xml.replace("<sheetData/>", "<sheetData></sheetData>")
    head, tail = xml.split("</sheetData>", 1)
    head = _DIMENSION.sub("", head)  # optional, and the header's would be wrong
    number = first
    with (
        dst.open(name, "w", force_zip64=True) as f,  # deflated, as the rest
        background_writes(f.write) as write,  # compressed while the next rows are built
    ):
        write(head.encode("utf-8"))
        for chunk in rows:
            write(rows_xml(number, chunk, cells).encode("utf-8"))
            number += len(chunk)
        write(b"</sheetData>" + tail.encode("utf-8"))
    return number - first
