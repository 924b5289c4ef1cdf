"""Completeness of a financial year: which of its twelve months the spend lines cover.

A year is *complete* when its lines cover all twelve months; otherwise it is a *part
year*, described by the months it covers ("Apr-Jun 2024/25: 3 of 12 months"). A part year
counts as complete once an officer confirms it (``confirmed_by``), e.g. a year in which
the authority genuinely spent nothing in some months. Pure functions; the rule is in
docs/inventory-method.md, "Completeness".
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tracker.domain.periods import fy_label, fy_of

MONTHS_IN_YEAR = 12


@dataclass(frozen=True)
class YearCompleteness:
    """The months of financial year ``year`` its lines cover, as calendar months (1..12)."""

    year: int
    fy_start_month: int
    months: frozenset[int]
    confirmed_by: str | None = None  # who confirmed a part year complete

    @property
    def months_covered(self) -> int:
        return len(self.months)

    @property
    def full(self) -> bool:
        """All twelve months have lines."""
        return self.months_covered == MONTHS_IN_YEAR

    @property
    def complete(self) -> bool:
        """Full, or confirmed complete by an officer: counted in status and trend."""
        return self.full or self.confirmed_by is not None

    @property
    def label(self) -> str:
        return fy_label(self.year, self.fy_start_month)

    def ordered_months(self) -> list[int]:
        """The covered months in financial-year order (April first for an April year)."""
        return sorted(self.months, key=lambda m: (m - self.fy_start_month) % MONTHS_IN_YEAR)

    def describe(self) -> str:
        """``2024/25: 12 of 12 months``, ``Apr-Jun 2024/25: 3 of 12 months`` or, when an
        officer confirmed the part year, that too."""
        count = f"{self.months_covered} of {MONTHS_IN_YEAR} months"
        if self.full:
            return f"{self.label}: {count}"
        text = f"{month_ranges(self.ordered_months(), self.fy_start_month)} {self.label}: {count}"
        if self.confirmed_by is not None:
            text += f", confirmed complete by {self.confirmed_by}"
        return text.strip()

    def part_year_note(self) -> str:
        """``part year (3 of 12 months)`` (empty for a complete year)."""
        if self.complete:
            return ""
        return f"part year ({self.months_covered} of {MONTHS_IN_YEAR} months)"


def month_ranges(months: list[int], fy_start_month: int) -> str:
    """Months in financial-year order as runs: ``Apr-Jun, Sep`` (``""`` for none)."""
    runs: list[list[int]] = []
    for month in months:
        position = (month - fy_start_month) % MONTHS_IN_YEAR
        if runs and (runs[-1][-1] - fy_start_month) % MONTHS_IN_YEAR == position - 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    names = calendar.month_abbr
    return ", ".join(
        names[run[0]] if len(run) == 1 else f"{names[run[0]]}-{names[run[-1]]}" for run in runs
    )


def by_year(
    year_months: Iterable[tuple[int, int]],
    fy_start_month: int,
    confirmed: dict[int, str] | None = None,
) -> dict[int, YearCompleteness]:
    """Completeness of every financial year touched by calendar ``(year, month)`` pairs
    (the months that have at least one line); ``confirmed`` maps a financial year to the
    officer who confirmed it complete."""
    months: dict[int, set[int]] = {}
    for year, month in year_months:
        if not 1 <= month <= MONTHS_IN_YEAR:
            raise ValueError(f"month must be 1..12, got {month}")
        fy = fy_of(dt.date(year, month, 1), fy_start_month)
        months.setdefault(fy, set()).add(month)
    confirmed = confirmed or {}
    return {
        fy: YearCompleteness(fy, fy_start_month, frozenset(ms), confirmed.get(fy))
        for fy, ms in sorted(months.items())
    }


def part_year_notes(years: Mapping[int, YearCompleteness]) -> dict[int, str]:
    """``{year: "part year (3 of 12 months)"}`` for the years not (confirmed) complete:
    what status leaves out (tracker.domain.status.assess)."""
    return {y: c.part_year_note() for y, c in years.items() if not c.complete}
