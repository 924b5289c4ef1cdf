"""Low-level readers: detect the container format and yield raw rows of cells.

Rows are lists of cell values (``str`` for text files; ``str``/``float``/``int``/``bool``/
``date``/``datetime`` for workbooks).  Row ``i`` of the iterator is spreadsheet row ``i + 1``.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_CHUNK = 1 << 20
_SNIFF_CHARS = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")

Cell = object
Row = list[Cell]


class ReaderError(Exception):
    """The container cannot be read; the message does not name the file."""


def detect_format(path: Path) -> str:
    """Return "xlsx", "ods", "xls" or "csv" judging by content, not by file name."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_OLE2_MAGIC):
        return "xls"
    if head.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").startswith(_ODS_MIME):
                    return "ods"
                if "[Content_Types].xml" in names:
                    return "xlsx"
        except Exception as exc:  # zipfile/zlib raise many types for damaged archives
            raise ReaderError(f"damaged zip container ({_one_line(exc)})") from None
        raise ReaderError("zip file is neither an .xlsx nor an .ods spreadsheet")
    return "csv"


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
    encoding = detect_encoding(path)
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        sample = handle.read(_SNIFF_CHARS)
    return TextSource(encoding=encoding, delimiter=sniff_delimiter(sample))


def iter_text_rows(path: Path, source: TextSource) -> Iterator[Row]:
    """Stream csv rows; ``newline=""`` keeps LF, CRLF and bare-CR files working."""
    raw = path.open("rb")
    text = io.TextIOWrapper(raw, encoding=source.encoding, errors="replace", newline="")
    with text:
        try:
            for row in csv.reader(text, delimiter=source.delimiter):
                yield list(row)
        except csv.Error as exc:
            raise ReaderError(f"malformed delimited text ({exc})") from None


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


def iter_sheet(path: Path, sheet: str) -> Iterator[Row]:
    """Like :func:`read_sheet`, but yields the rows one at a time (python-calamine builds
    each row list as it is asked for), so the sheet is never held as Python rows in full."""
    workbook = _open_workbook(path)
    try:
        try:
            rows = iter(workbook.get_sheet_by_name(sheet).iter_rows())
        except Exception as exc:
            raise ReaderError(f"cannot read sheet {sheet!r} ({_one_line(exc)})") from None
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise ReaderError(f"cannot read sheet {sheet!r} ({_one_line(exc)})") from None
            yield row if type(row) is list else list(row)
    finally:
        workbook.close()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]
