"""The grid a workbook asks its reader to build, measured before the reader opens it.

A spreadsheet reader lays each sheet out as a dense grid of rows x columns. An .xlsx sheet
declares that grid in ``<dimension ref="A1:ALL200000">`` (and a cell's ``r="XFD1048576"``
places it), an .ods sheet in ``number-rows-repeated`` / ``number-columns-repeated``; a
file of a few KB can so ask for billions of cells. :func:`check_extent` streams the sheet
XML (in chunks, never holding a sheet whole) and refuses a sheet whose grid is over
``max(MIN_GRID_CELLS, GRID_RATIO x the cells it actually writes)``, so that the memory
the reader takes stays bounded by the cells present.
"""

from __future__ import annotations

import html
import operator
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .readers import ReaderError

#: Any sheet may ask for a grid of up to this many cells (a dense sheet of 4M cells reads).
MIN_GRID_CELLS = 4_000_000
#: ... and for a bigger one only if it writes at least one cell in this many.
GRID_RATIO = 10
_CHUNK = 1 << 20
#: An XML tag longer than this is not a spreadsheet's (tags are scanned whole).
_MAX_TAG = 1 << 20
#: workbook.xml and its relationships are read for sheet names only up to this size.
_MAX_NAMES_PART = 4 << 20

_DIMENSION = re.compile(rb"dimension\s[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_PLAIN_REF = re.compile(rb'<c r="([A-Za-z]{1,3})(\d{1,7})"')
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_XLSX_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)(\s[^>]*|/)?>")
_REF_ATTR = re.compile(rb"(?:^|\s)r\s*=\s*[\"']\$?([A-Za-z]{0,3})\$?(\d{0,7})")
_ODS_TAG = re.compile(
    rb"<(/?)(?:[\w.-]+:)?(table|table-row|table-cell|covered-table-cell)(\s[^>]*|/)?>"
)
_ODS_NAME = re.compile(rb"(?:^|\s)(?:[\w.-]+:)?name\s*=\s*[\"']([^\"']*)[\"']")
_ROWS_REPEATED = re.compile(rb"number-rows-repeated\s*=\s*[\"'](\d{1,12})[\"']")
_COLUMNS_REPEATED = re.compile(rb"number-columns-repeated\s*=\s*[\"'](\d{1,12})[\"']")
_VALUE_TYPE = re.compile(rb"value-type\s*=")


@dataclass
class SheetExtent:
    """What one sheet declares and holds: grids in cells, ``declared`` as written."""

    sheet: str
    declared: str | None  # the <dimension ref> text, or the expanded ODS range
    declared_cells: int
    used_cells: int  # rows x columns spanned by the cells present
    written: int  # cell elements in the file

    def grid_cells(self) -> int:
        return max(self.declared_cells, self.used_cells)


def check_extent(path: Path, file_format: str) -> None:
    """Raise :class:`ReaderError` if a sheet of the .xlsx/.ods at ``path`` asks for too
    big a grid for the cells it holds. Other formats are not zip workbooks: no check."""
    if file_format == "xlsx":
        extents = xlsx_extents(path)
    elif file_format == "ods":
        extents = ods_extents(path)
    else:
        return
    for extent in extents:
        limit = max(MIN_GRID_CELLS, GRID_RATIO * extent.written)
        if extent.grid_cells() > limit:
            raise ReaderError(_message(extent, limit))


def _message(extent: SheetExtent, limit: int) -> str:
    if extent.declared_cells >= extent.used_cells and extent.declared:
        asked = f"declares the range {extent.declared} ({extent.declared_cells:,} cells)"
    else:
        asked = f"places its cells across {extent.used_cells:,} cells of grid"
    return (
        f"{extent.sheet} {asked} but writes only {extent.written:,} "
        f"cell{'' if extent.written == 1 else 's'}; a grid over "
        f"{limit:,} cells (the larger of {MIN_GRID_CELLS:,} and {GRID_RATIO} times the "
        "cells written) is refused unread"
    )


def xlsx_extents(path: Path) -> list[SheetExtent]:
    """One extent per XML member of the archive that holds sheet cells or a dimension."""
    extents = []
    with zipfile.ZipFile(path) as archive:
        names = _sheet_names(archive)
        for info in archive.infolist():
            if info.is_dir():
                continue
            extent = _xlsx_member_extent(archive, info)
            if extent is not None:
                name = names.get(info.filename)
                extent.sheet = f"sheet {name!r}" if name else f"part {info.filename!r}"
                extents.append(extent)
    return extents


def _xlsx_member_extent(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> SheetExtent | None:
    """The common layout (``<c r="B7" ...>``, no namespace prefix) is measured with
    C-speed counts and literal searches; any other (a prefix, a cell with no ``r`` or
    with ``r`` later in the tag) is measured again by :func:`_placed_extent`."""
    declared: str | None = None
    declared_cells = 0
    head = True  # before <sheetData>, where <dimension> is
    written = 0
    plain = True
    columns: set[bytes] = set()
    rows: set[bytes] = set()
    for chunk in _tags(archive, info):
        if head:
            before = chunk.split(b"sheetData", 1)[0]
            head = len(before) == len(chunk)
            if declared is None and (found := _DIMENSION.search(before)):
                declared = found.group(1).decode("ascii", "replace")
                declared_cells = _range_cells(declared)
        cells = chunk.count(b"<c ") + chunk.count(b"<c>") + chunk.count(b"<c/>")
        written += cells
        if plain:
            refs = _PLAIN_REF.findall(chunk)
            plain = len(refs) == cells and not _PREFIXED_CELL.search(chunk)
            columns.update(map(_FIRST, refs))
            rows.update(map(_SECOND, refs))
    if not plain:
        height, width, written = _placed_extent(_tags(archive, info))
    else:
        width = max((_column_number(c) for c in {c.upper() for c in columns}), default=0)
        height = max((int(r) for r in rows), default=0)
    if declared is None and written == 0:
        return None
    return SheetExtent(info.filename, declared, declared_cells, width * height, written)


def _placed_extent(chunks: Iterator[bytes]) -> tuple[int, int, int]:
    """(rows, columns, cells) of a sheet, placing a cell without ``r`` after the one
    before it in its row, and a row without ``r`` after the row before it."""
    row = column = height = width = written = 0
    for chunk in chunks:
        for tag, attributes in _XLSX_TAG.findall(chunk):
            ref = _REF_ATTR.search(attributes or b"")
            if tag == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                column = 0
                continue
            written += 1
            if ref and ref.group(1) and ref.group(2):
                row, column = int(ref.group(2)), _column_number(ref.group(1).upper())
            else:
                column += 1
            height, width = max(height, row), max(width, column)
    return height, width, written


_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\s[^>]*>")
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\s[^>]*>")
_ATTRIBUTE = re.compile(rb"([\w.:-]+)\s*=\s*[\"']([^\"']*)[\"']")


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> sheet name, from xl/workbook.xml and its relationships (best effort:
    a part whose name is not found is called by its part name)."""
    workbook = _small_part(archive, "xl/workbook.xml")
    relations = _small_part(archive, "xl/_rels/workbook.xml.rels")
    targets = {}
    for tag in _RELATIONSHIP.findall(relations):
        attributes = dict(_ATTRIBUTE.findall(tag))
        target = attributes.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[attributes.get(b"Id", b"")] = target
    names = {}
    for tag in _SHEET.findall(workbook):
        attributes = {key.split(b":")[-1]: value for key, value in _ATTRIBUTE.findall(tag)}
        target = targets.get(attributes.get(b"id", b""))
        if target is not None:
            names[target] = html.unescape(attributes.get(b"name", b"").decode("utf-8", "replace"))
    return names


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return b""
    if info.file_size > _MAX_NAMES_PART:
        return b""
    with archive.open(info) as member:
        return member.read(_MAX_NAMES_PART)


def ods_extents(path: Path) -> list[SheetExtent]:
    """One extent per table of content.xml, counting the rows and columns that the
    repeat attributes expand to up to the last cell with content (trailing empty
    repeats, which every LibreOffice file has, are not laid out by the reader)."""
    extents: list[SheetExtent] = []
    with zipfile.ZipFile(path) as archive:
        try:
            info = archive.getinfo("content.xml")
        except KeyError:
            return extents
        state = _OdsTable("")
        for chunk in _tags(archive, info):
            for closing, tag, attributes in _ODS_TAG.findall(chunk):
                attributes = attributes or b""
                if tag == b"table" and not closing:
                    found = _ODS_NAME.search(attributes)
                    state = _OdsTable(found.group(1).decode("utf-8", "replace") if found else "")
                elif tag == b"table" and closing:
                    extents.append(state.extent())
                elif tag == b"table-row":
                    if closing:
                        state.end_row()
                    else:
                        state.start_row(_repeat(_ROWS_REPEATED, attributes))
                        if attributes.endswith(b"/"):
                            state.end_row()
                elif not closing:
                    content = tag == b"table-cell" and (
                        not attributes.endswith(b"/") or bool(_VALUE_TYPE.search(attributes))
                    )
                    state.cell(_repeat(_COLUMNS_REPEATED, attributes), content)
    return extents


class _OdsTable:
    def __init__(self, name: str) -> None:
        self.name = name
        self.row = self.height = self.width = self.written = 0
        self.row_repeat = self.column = self.row_width = 0

    def start_row(self, repeat: int) -> None:
        self.row_repeat, self.column, self.row_width = repeat, 0, 0

    def cell(self, repeat: int, content: bool) -> None:
        self.column += repeat
        if content:
            self.written += 1
            self.row_width = self.column

    def end_row(self) -> None:
        self.row += self.row_repeat
        if self.row_width:
            self.height = self.row
            self.width = max(self.width, self.row_width)
        self.row_repeat = 0

    def extent(self) -> SheetExtent:
        cells = self.height * self.width
        declared = f"A1:{_column_letters(self.width)}{self.height}" if cells else None
        return SheetExtent(f"sheet {self.name!r}", declared, cells, cells, self.written)


def _repeat(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    return max(int(found.group(1)), 1) if found else 1


def _tags(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes in chunks that each end outside a tag, so no tag is split."""
    carry = b""
    with archive.open(info) as member:
        first = True
        while chunk := member.read(_CHUNK):
            if first and chunk.lstrip()[:1] != b"<":
                return  # not XML (an image, a binary part): holds no cells
            first = False
            buffer = carry + chunk
            start = buffer.rfind(b"<")
            cut = start if start > buffer.rfind(b">") else len(buffer)  # a tag still open?
            if len(buffer) - cut > _MAX_TAG:
                raise ReaderError(
                    f"part {info.filename!r} holds an XML tag over {_MAX_TAG:,} bytes"
                )
            if cut:
                yield buffer[:cut]
            carry = buffer[cut:]
    if carry:
        yield carry


def _range_cells(ref: str) -> int:
    """Cells in an A1-style range ("A1:ALL200000"; "B2" is one cell); 0 if unreadable."""
    corners = []
    for part in ref.replace("$", "").split(":")[:2]:
        found = re.fullmatch(r"([A-Za-z]{1,3})(\d{1,7})", part.strip())
        if found is None:
            return 0
        corners.append((_column_number(found.group(1).upper().encode()), int(found.group(2))))
    if len(corners) == 1:
        corners.append(corners[0])
    (c1, r1), (c2, r2) = corners
    return (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
