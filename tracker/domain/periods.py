"""Financial years. A year is named by the calendar year it starts in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection


def fy_bounds(year: int, start_month: int) -> tuple[dt.date, dt.date]:
    """First and last day of financial year ``year`` starting in ``start_month``.

    >>> fy_bounds(2023, 4)
    (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    >>> fy_bounds(2023, 1)
    (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    """
    if not 1 <= start_month <= 12:
        raise ValueError(f"financial-year start month must be 1..12, got {start_month}")
    start = dt.date(year, start_month, 1)
    next_start = dt.date(year + 1, start_month, 1)
    return start, next_start - dt.timedelta(days=1)


def fy_of(day: dt.date, start_month: int) -> int:
    """The financial year that contains ``day``."""
    return day.year if day.month >= start_month else day.year - 1


def group_fy_label(year: int, start_months: Collection[int]) -> str:
    """The label of ``year`` for a group of authorities: theirs when they share a start
    month (``2023/24``), else ``year starting in 2023`` (also when none is known).

    >>> group_fy_label(2023, [4, 4])
    '2023/24'
    >>> group_fy_label(2023, [1, 4])
    'year starting in 2023'
    """
    months = set(start_months)
    if len(months) == 1:
        return fy_label(year, months.pop())
    return f"year starting in {year}"


def year_phrase(label: str) -> str:
    """A year label in a sentence: ``financial year 2023/24``, or the label itself when
    it already says what it is (``year starting in 2023``, from ``group_fy_label``).

    >>> year_phrase("2023/24"), year_phrase("year starting in 2023")
    ('financial year 2023/24', 'year starting in 2023')
    """
    return label if label.startswith("year ") else f"financial year {label}"


def fy_label(year: int, start_month: int) -> str:
    """A human label: ``2023/24`` for split years, ``2023`` for calendar years."""
    if start_month == 1:
        return str(year)
    return f"{year}/{(year + 1) % 100:02d}"


def parse_fy(text: str) -> int:
    """The financial year named by ``text``: its start year (``2023``) or its label
    (``2023/24``, also ``2023/2024`` or ``2023-24``). Raises ValueError saying what was
    expected when ``text`` names no year or its two halves are not consecutive.

    >>> parse_fy("2023"), parse_fy("2023/24"), parse_fy("2099/2100")
    (2023, 2023, 2099)
    """
    cleaned = text.strip()
    start, sep, end = cleaned.replace("-", "/").partition("/")
    if not (start.isdigit() and len(start) == 4) or (sep and not end.isdigit()):
        raise ValueError(f"{text!r} is not a financial year: give 2023 or 2023/24")
    year = int(start)
    if sep:
        following = year + 1
        if end not in (f"{following % 100:02d}", str(following)):
            raise ValueError(
                f"{text!r} is not a financial year: the year after {year} is "
                f"{following % 100:02d} ({year}/{following % 100:02d})"
            )
    return year
