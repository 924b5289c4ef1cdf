"""One spend line carrying most of a category's emissions: worth an officer's look before
the year is reported. A total row left in a file, a payment keyed with its decimal point
moved, or one large contract payment (Salford's £8.2m to Capita in 2019, 57 % of its
category) all look alike in the totals; only the line tells them apart.

A line is flagged when it carries more than ``SHARE`` of its category's net kgCO2e, the
category has at least ``MIN_LINES`` classified lines (in a category of two or three
lines one of them is always most of it), and the line is at least ``MATERIAL`` of the
year's reported total (a small category dominated by one small line changes nothing
reported). A flag is a question, not a verdict: the figures are left as they are.
Exact arithmetic (Decimal).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

SHARE = Decimal("0.5")
MIN_LINES = 10
MATERIAL = Decimal("0.01")


@dataclass(frozen=True)
class CategoryTop:
    """A category's classified lines in one run: how many, their net kgCO2e and the
    largest one line's."""

    code: str
    lines: int
    kgco2e: Decimal
    largest_kgco2e: Decimal


def dominated(categories: Iterable[CategoryTop], total_kgco2e: Decimal) -> list[CategoryTop]:
    """The categories whose largest line is flagged (largest share first)."""
    flagged = [
        c
        for c in categories
        if c.lines >= MIN_LINES
        and c.kgco2e > 0
        and total_kgco2e > 0
        and c.largest_kgco2e > SHARE * c.kgco2e
        and c.largest_kgco2e >= MATERIAL * total_kgco2e
    ]
    return sorted(flagged, key=lambda c: (-(c.largest_kgco2e / c.kgco2e), c.code))
