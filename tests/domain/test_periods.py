import datetime as dt
import re

import pytest

from tracker.domain.periods import fy_bounds, fy_label, fy_of, group_fy_label, parse_fy


def test_april_financial_year() -> None:
    assert fy_bounds(2023, 4) == (dt.date(2023, 4, 1), dt.date(2024, 3, 31))
    assert fy_label(2023, 4) == "2023/24"


def test_calendar_year() -> None:
    assert fy_bounds(2023, 1) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert fy_label(2023, 1) == "2023"


def test_leap_february_end() -> None:
    assert fy_bounds(2023, 3) == (dt.date(2023, 3, 1), dt.date(2024, 2, 29))


@pytest.mark.parametrize(
    ("day", "start", "year"),
    [
        (dt.date(2024, 3, 31), 4, 2023),
        (dt.date(2024, 4, 1), 4, 2024),
        (dt.date(2024, 1, 5), 1, 2024),
    ],
)
def test_fy_of(day: dt.date, start: int, year: int) -> None:
    assert fy_of(day, start) == year


def test_bad_month() -> None:
    with pytest.raises(ValueError):
        fy_bounds(2023, 13)


def test_a_group_year_is_named_as_its_authorities_name_it() -> None:
    # UK councils start in April: the year starting April 2024 is 2024/25.
    assert group_fy_label(2024, [4, 4, 4]) == "2024/25"
    assert group_fy_label(2024, [1]) == "2024"
    # Calendar-year and April-start authorities together: neither label fits both.
    assert group_fy_label(2024, [1, 4]) == "year starting in 2024"
    assert group_fy_label(2024, []) == "year starting in 2024"


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2023", 2023),
        ("2023/24", 2023),
        (" 2023/2024 ", 2023),
        ("2023-24", 2023),
        ("1999/00", 1999),
    ],
)
def test_a_year_is_given_by_its_start_or_its_label(text: str, year: int) -> None:
    assert parse_fy(text) == year


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2023/25", "the year after 2023 is 24 (2023/24)"),
        ("23/24", "give 2023 or 2023/24"),
        ("FY 2023", "give 2023 or 2023/24"),
        ("2023/", "give 2023 or 2023/24"),
    ],
)
def test_a_year_that_is_not_one_says_what_was_expected(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=re.escape(says)):
        parse_fy(text)
