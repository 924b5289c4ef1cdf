"""Completeness of a financial year (tracker.domain.completeness).

Worked by hand: a UK financial year starts on 1 April (2024/25 runs 1 Apr 2024 to
31 Mar 2025, tracker.domain.periods); a US federal year starts on 1 October and a
calendar year on 1 January.
"""

import pytest

from tracker.domain.completeness import by_year, month_ranges

APRIL, OCTOBER, JANUARY = 4, 10, 1


def test_one_quarter_is_a_part_year() -> None:
    years = by_year([(2024, 4), (2024, 5), (2024, 6)], APRIL)
    assert list(years) == [2024]
    y = years[2024]
    assert (y.months_covered, y.full, y.complete) == (3, False, False)
    assert y.describe() == "Apr-Jun 2024/25: 3 of 12 months"
    assert y.part_year_note() == "part year (3 of 12 months)"


def test_year_boundary_splits_march_from_april() -> None:
    # March 2024 belongs to 2023/24, April 2024 to 2024/25.
    years = by_year([(2024, 3), (2024, 4)], APRIL)
    assert years[2023].describe() == "Mar 2023/24: 1 of 12 months"
    assert years[2024].describe() == "Apr 2024/25: 1 of 12 months"


def test_full_year_across_the_calendar_boundary() -> None:
    # April 2024 .. March 2025: twelve months of 2024/25, none of 2025/26.
    months = [(2024, m) for m in range(4, 13)] + [(2025, m) for m in (1, 2, 3)]
    years = by_year(months, APRIL)
    assert list(years) == [2024]
    assert years[2024].full and years[2024].complete
    assert years[2024].describe() == "2024/25: 12 of 12 months"
    assert years[2024].part_year_note() == ""


def test_runs_wrap_in_financial_year_order() -> None:
    # Dec 2024, Jan 2025 and Feb 2025 are consecutive in 2024/25; June stands alone.
    years = by_year([(2025, 2), (2024, 12), (2024, 6), (2025, 1)], APRIL)
    assert years[2024].describe() == "Jun, Dec-Feb 2024/25: 4 of 12 months"


def test_us_federal_year_starts_in_october() -> None:
    # FY 2024 (label "2024/25" as the project names a year by its starting calendar year)
    # runs Oct 2024 - Sep 2025; September 2024 is the last month of 2023/24.
    years = by_year([(2024, 9), (2024, 10), (2024, 11)], OCTOBER)
    assert years[2023].describe() == "Sep 2023/24: 1 of 12 months"
    assert years[2024].describe() == "Oct-Nov 2024/25: 2 of 12 months"


def test_calendar_year() -> None:
    years = by_year([(2024, 1), (2024, 12)], JANUARY)
    assert years[2024].describe() == "Jan, Dec 2024: 2 of 12 months"


def test_confirmed_part_year_counts_as_complete() -> None:
    years = by_year([(2024, 4)], APRIL, confirmed={2024: "officer@example.org"})
    y = years[2024]
    assert (y.full, y.complete) == (False, True)
    assert y.part_year_note() == ""
    assert y.describe() == (
        "Apr 2024/25: 1 of 12 months, confirmed complete by officer@example.org"
    )


def test_month_ranges_empty_and_bad_month() -> None:
    assert month_ranges([], APRIL) == ""
    with pytest.raises(ValueError, match=r"month must be 1\.\.12, got 13"):
        by_year([(2024, 13)], APRIL)
