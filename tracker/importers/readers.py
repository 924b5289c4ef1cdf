"""Low-level readers: detect the container format and yield raw rows of cells.

Rows are lists of cell values (``str`` for text files; ``str``/``float``/``int``/``bool``/
``date``/``datetime`` for workbooks).  Row ``i`` of the iterator is spreadsheet row ``i + 1``.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .limits import MAX_CELL_CHARS, ImportLimits

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
#: Files people upload by mistake, told apart by their first bytes (or, for the zip-based
#: Office documents, by the part every such document has).
_NOT_SPREADSHEET_MAGIC = (
    (b"%PDF", "PDF files"),
    (b"\x89PNG\r\n\x1a\n", "PNG images"),
    (b"\xff\xd8\xff", "JPEG images"),
)
_NOT_SPREADSHEET_PARTS = (
    ("word/document.xml", "Word documents (.docx)"),
    ("ppt/presentation.xml", "PowerPoint files (.pptx)"),
)
_CHUNK = 1 << 20
_SNIFF_CHARS = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")


Cell = object
Row = list[Cell]


class ReaderError(Exception):
    """The container cannot be read; the message does not name the file."""


def detect_format(path: Path, limits: ImportLimits | None = None) -> str:
    """Return "xlsx", "ods", "xls" or "csv" judging by content, not by file name.

    A zip container is checked against ``limits`` (see :func:`check_archive`) first.
    """
    with path.open("rb") as handle:
        head = handle.read(8)
    for magic, what in _NOT_SPREADSHEET_MAGIC:
        if head.startswith(magic):
            raise ReaderError(not_a_spreadsheet(what))
    if head.startswith(_OLE2_MAGIC):
        return "xls"
    if head.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                check_archive(archive, path.stat().st_size, limits or ImportLimits())
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").startswith(_ODS_MIME):
                    return "ods"
                for part, what in _NOT_SPREADSHEET_PARTS:
                    if part in names:
                        raise ReaderError(not_a_spreadsheet(what))
                if "[Content_Types].xml" in names:
                    return "xlsx"
        except ReaderError:
            raise
        except Exception as exc:  # zipfile/zlib raise many types for damaged archives
            raise ReaderError(f"damaged zip container ({_one_line(exc)})") from None
        raise ReaderError(
            not_a_spreadsheet("ZIP archives") + " (this one holds no .xlsx or .ods spreadsheet)"
        )
    return "csv"


def not_a_spreadsheet(what: str) -> str:
    """The answer to a recognised file that is not spend data: what to send instead."""
    return f"{what} can't be read: export the spend as CSV or Excel"


def check_archive(archive: zipfile.ZipFile, compressed: int, limits: ImportLimits) -> None:
    """Refuse an archive that expands beyond the limits, without expanding it first.

    The sizes the archive declares are checked before anything is inflated; then every
    member is inflated in chunks and discarded, counting bytes, because a forged archive
    can declare less than it holds (zipfile also stops at the declared size and checks
    the CRC, so a lie ends as a damaged-container error).
    """
    cap = min(limits.max_unzipped_bytes, limits.max_zip_ratio * max(compressed, 1))
    declared = sum(info.file_size for info in archive.infolist())
    if declared > cap:
        raise ReaderError(_expansion_message(declared, compressed, limits))
    total = 0
    for info in archive.infolist():
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                total += len(chunk)
                if total > cap:
                    raise ReaderError(_expansion_message(total, compressed, limits))


def _expansion_message(size: int, compressed: int, limits: ImportLimits) -> str:
    if size > limits.max_unzipped_bytes:
        return (
            f"the spreadsheet expands to {size:,} bytes, over the limit of "
            f"{limits.max_unzipped_bytes:,} bytes (TRACKER_MAX_UNZIPPED_MB); refused unread"
        )
    return (
        f"the spreadsheet expands {size / max(compressed, 1):,.0f} times its size "
        f"({compressed:,} to {size:,} bytes), over the limit of {limits.max_zip_ratio} "
        "times (TRACKER_MAX_ZIP_RATIO): it looks like a zip bomb; refused unread"
    )


def detect_encoding(path: Path) -> str:
    """Strict UTF-8 first ("utf-8-sig" when a BOM is present), then cp1252, then latin-1.

    Each candidate is checked by streaming the bytes, so large files are never held twice.
    """
    with path.open("rb") as handle:
        has_bom = handle.read(3) == codecs.BOM_UTF8
    if _decodes(path, "utf-8"):
        return "utf-8-sig" if has_bom else "utf-8"
    if _decodes(path, "cp1252"):
        return "cp1252"
    return "latin-1"


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", True)
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(sample: str) -> str:
    """Pick the delimiter giving the most rows with the same (>1) number of fields."""
    lines = sample.splitlines()
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a truncated sample may be partial
    best: tuple[int, int, int] = (0, 0, 0)
    choice = ","
    for rank, delimiter in enumerate(DELIMITERS):
        counts: dict[int, int] = {}
        try:
            for row in csv.reader(lines, delimiter=delimiter):
                if len(row) > 1:
                    counts[len(row)] = counts.get(len(row), 0) + 1
        except csv.Error:
            continue
        if not counts:
            continue
        width, rows = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = (rows, width, -rank)
        if score > best:
            best, choice = score, delimiter
    return choice


@dataclass
class TextSource:
    encoding: str
    delimiter: str


def open_text(path: Path) -> TextSource:
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_CHARS)
    nul = head.find(b"\x00")
    if nul >= 0:
        raise ReaderError(
            f"binary data (a NUL byte at offset {nul:,}), not a spreadsheet "
            "or delimited text; UTF-16 text is not read either: save it as UTF-8 CSV"
        )
    encoding = detect_encoding(path)
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        sample = handle.read(_SNIFF_CHARS)
    return TextSource(encoding=encoding, delimiter=sniff_delimiter(sample))


def iter_text_rows(
    path: Path, source: TextSource, max_cell_chars: int = MAX_CELL_CHARS
) -> Iterator[Row]:
    """Stream csv rows; ``newline=""`` keeps LF, CRLF and bare-CR files working.

    A cell longer than ``max_cell_chars`` and a quote left open at the end of the file
    (which would swallow every row after it into one cell) are refused, naming the row.
    """
    raw = path.open("rb")
    text = io.TextIOWrapper(raw, encoding=source.encoding, errors="replace", newline="")
    previous_limit = csv.field_size_limit(max_cell_chars)  # process-wide: put back after
    number = 0  # rows read
    row: list[str] = []
    line = previous_line = 0  # physical lines consumed after this row and the one before
    with text:
        reader = csv.reader(text, delimiter=source.delimiter)
        try:
            for row in reader:
                number += 1
                previous_line, line = line, reader.line_num
                yield row  # type: ignore[misc]  # a new list each time (never reused)
            if (
                row
                and _ends_in_newline(row[-1])
                and _open_quote_at_end(path, source, previous_line)
            ):
                raise ReaderError(
                    f'row {number}, column {len(row)}: a quote (") opens a cell and is never '
                    "closed, so every line after it would be read as that one cell"
                )
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise ReaderError(
                    f"row {number + 1}: a cell is longer than the limit of "
                    f"{max_cell_chars:,} characters (TRACKER_MAX_CELL_CHARS)"
                ) from None
            raise ReaderError(f"row {number + 1}: malformed delimited text ({exc})") from None
        finally:
            csv.field_size_limit(previous_limit)


def _ends_in_newline(cell: str) -> bool:
    return "\n" in cell or "\r" in cell


def _open_quote_at_end(path: Path, source: TextSource, skip_lines: int) -> bool:
    """Whether the last record (from physical line ``skip_lines + 1``) ends inside quotes.

    Only the last record can: an unclosed quote runs to the end of the file. Strict csv
    parsing of that record alone tells "unexpected end of data" from a closed cell.
    """
    with path.open(encoding=source.encoding, errors="replace", newline="") as handle:
        tail = itertools.islice(handle, skip_lines, None)
        try:
            for _ in csv.reader(tail, delimiter=source.delimiter, strict=True):
                pass
        except csv.Error as exc:
            return "unexpected end of data" in str(exc)
    return False


def workbook_sheets(path: Path) -> list[str]:
    workbook = _open_workbook(path)
    try:
        return list(workbook.sheet_names)
    finally:
        workbook.close()


def _open_workbook(path: Path) -> Any:
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated exception types
        raise ReaderError(f"cannot open spreadsheet ({_one_line(exc)})") from None


def read_sheet(path: Path, sheet: str) -> list[Row]:
    """All rows of one sheet, starting at spreadsheet row 1 (leading empty rows kept)."""
    workbook = _open_workbook(path)
    try:
        rows = workbook.get_sheet_by_name(sheet).iter_rows()
        return [list(row) for row in rows]
    except Exception as exc:
        raise ReaderError(f"cannot read sheet {sheet!r} ({_one_line(exc)})") from None
    finally:
        workbook.close()


def iter_sheet(path: Path, sheet: str, max_cell_chars: int = MAX_CELL_CHARS) -> Iterator[Row]:
    """Like :func:`read_sheet`, but yields the rows one at a time (python-calamine builds
    each row list as it is asked for), so the sheet is never held as Python rows in full.

    Formula cells give the value the spreadsheet saved with them (empty when none was
    saved); no formula is ever evaluated. A text cell over ``max_cell_chars`` is refused.
    """
    workbook = _open_workbook(path)
    try:
        try:
            rows = iter(workbook.get_sheet_by_name(sheet).iter_rows())
        except Exception as exc:
            raise ReaderError(f"cannot read sheet {sheet!r} ({_one_line(exc)})") from None
        number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise ReaderError(f"cannot read sheet {sheet!r} ({_one_line(exc)})") from None
            number += 1
            for column, cell in enumerate(row, start=1):
                if type(cell) is str and len(cell) > max_cell_chars:
                    raise ReaderError(
                        f"sheet {sheet!r}, row {number}, column {column}: a cell of "
                        f"{len(cell):,} characters, over the limit of {max_cell_chars:,} "
                        "(TRACKER_MAX_CELL_CHARS)"
                    )
            yield row if type(row) is list else list(row)
    finally:
        workbook.close()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]
