"""Finding the header row among report titles, parameters and blank rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .columns import ColumnMatch, match_columns
from .model import ImportFileError
from .readers import Row
from .values import clean_text

#: Rows always examined for the best-scoring header.
HEADER_WINDOW = 50
#: Beyond the window, scan at most this many rows for the first usable header.
HEADER_SCAN_LIMIT = 200_000


class NoHeaderError(ImportFileError):
    """No row in the rows examined has both a date and an amount column."""


@dataclass
class HeaderInfo:
    index: int  # 0-based row index of the header
    headers: list[str]
    match: ColumnMatch
    preamble: list[Row]  # rows above the header, in order
    lookahead: list[Row]  # rows below the header already consumed while searching


def trimmed_width(row: Sequence[object]) -> int:
    """Number of cells up to and including the last non-empty one."""
    width = len(row)
    while width and clean_text(row[width - 1]) == "":
        width -= 1
    return width


def check_width(name: str, row: Sequence[object], row_number: int, max_columns: int) -> None:
    if len(row) > max_columns and trimmed_width(row) > max_columns:
        raise ImportFileError(
            f"{name}: row {row_number} has {trimmed_width(row)} columns, "
            f"over the limit of {max_columns} columns (TRACKER_MAX_COLUMNS)"
        )


def header_texts(row: Sequence[object]) -> list[str]:
    return [clean_text(cell) for cell in row[: trimmed_width(row)]]


def _describe(headers: Sequence[str]) -> str:
    shown = [h for h in headers if h][:40]
    return ", ".join(repr(h) for h in shown) if shown else "(none)"


def find_header(
    name: str,
    rows: Iterator[Row],
    overrides: dict[str, str],
    max_columns: int,
    location: str = "",
) -> HeaderInfo:
    """Consume rows up to the header and return it; raise ImportFileError if none is usable.

    Among the first ``HEADER_WINDOW`` rows the candidate recognising most columns wins
    (earliest on ties); if none qualifies, the first qualifying row further down is used.
    """
    buffer: list[Row] = []
    best: tuple[int, int, list[str], ColumnMatch] | None = None  # score, index, headers, match
    most_recognised: tuple[int, list[str], ColumnMatch] | None = None
    for index, row in enumerate(rows):
        check_width(name, row, index + 1, max_columns)
        buffer.append(row)
        if index >= HEADER_WINDOW and best is not None:
            break
        if index >= HEADER_WINDOW + HEADER_SCAN_LIMIT:
            break
        headers = header_texts(row)
        if not headers:
            continue
        match = match_columns(headers, overrides)
        if most_recognised is None or match.recognised > most_recognised[0]:
            most_recognised = (match.recognised, headers, match)
        usable = match.importable and all(f in match.fields for f in overrides)
        if usable and (best is None or match.recognised > best[0]):
            best = (match.recognised, index, headers, match)
    where = f"{name}{location}"
    if best is None:
        raise NoHeaderError(_no_header_message(where, overrides, most_recognised))
    _, index, headers, match = best
    return HeaderInfo(
        index=index,
        headers=headers,
        match=match,
        preamble=buffer[:index],
        lookahead=buffer[index + 1 :],
    )


def _no_header_message(
    where: str,
    overrides: dict[str, str],
    most: tuple[int, list[str], ColumnMatch] | None,
) -> str:
    if most is None:
        return f"{where}: no rows found (the file is empty)"
    _, headers, match = most
    for field_name, header in overrides.items():
        if field_name not in match.fields:
            return (
                f"{where}: column {header!r} (mapped to {field_name}) not found; "
                f"headers found: {_describe(headers)}"
            )
    missing = " and ".join(match.missing()) or "date and amount"
    return (
        f"{where}: no header row with a date and an amount column (missing {missing}); "
        f"headers found: {_describe(headers)}"
    )
