"""Spend-based emissions arithmetic. Pure functions on Decimals.

For a spend line (methodology.md §3.2, UK case with no currency conversion)::

    deflator             = P(factor_year) / P(spend_year)
    spend_in_factor_year = spend_net_of_VAT * deflator
    kgCO2e               = spend_in_factor_year * EF(code, factor_year)

``P`` is the price index of the factor's economy (UK CPI D7BT for Defra factors).
Nothing is rounded until a value is stored or shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

ONE = Decimal(1)


def choose_factor_year(spend_year: int, factor_years: Sequence[int]) -> int:
    """Matched-year policy: the spend year if published, else the nearest published year.

    Spend after the latest factor year uses the latest factor (deflated to it); spend
    before the first factor year uses the first one (inflated to it).
    """
    if not factor_years:
        raise ValueError("no factor years available")
    years = sorted(factor_years)
    if spend_year in years:
        return spend_year
    if spend_year > years[-1]:
        return years[-1]
    if spend_year < years[0]:
        return years[0]
    # A gap inside the series: take the latest year before the spend year.
    return max(y for y in years if y < spend_year)


def deflator(index_factor_year: Decimal, index_spend_year: Decimal) -> Decimal:
    """Multiplier that moves spend from its own year's prices to the factor year's prices."""
    if index_spend_year <= 0 or index_factor_year <= 0:
        raise ValueError("price indices must be positive")
    if index_factor_year == index_spend_year:
        return ONE
    return index_factor_year / index_spend_year


@dataclass(frozen=True)
class LineResult:
    spend_in_factor_year: Decimal
    kgco2e: Decimal


def line_emissions(amount: Decimal, deflator_value: Decimal, factor: Decimal) -> LineResult:
    """Emissions of one line: ``amount × deflator × factor`` (kgCO2e)."""
    spend = amount * deflator_value
    return LineResult(spend_in_factor_year=spend, kgco2e=spend * factor)


_ZERO = Decimal(0)


@dataclass(frozen=True)
class CategoryTotal:
    code: str
    spend: Decimal
    kgco2e: Decimal
    clamped: bool  # the net total was negative (credits without purchases) and is shown as 0


def reported_kg(kgco2e: Decimal) -> Decimal:
    """A net kgCO2e as an inventory reports it: a negative net (credits exceeding purchases
    in the period, methodology §3.6) is 0, since a Scope 3 inventory never reports negative
    emissions; the caller flags it (``kgco2e < 0``) for review. (What ``max(kgco2e, 0)``
    gives, ``0.00`` kept as written, without making a Decimal per call.)"""
    return kgco2e if kgco2e >= 0 else _ZERO


def category_totals(lines: Iterable[tuple[str, Decimal, Decimal]]) -> list[CategoryTotal]:
    """Net (code, spend, kgCO2e) lines per code; a negative net is clamped to 0 and flagged.

    Credit notes reduce the category of the purchase they reverse (methodology §3.6); a
    Scope 3 inventory never reports negative emissions, so a category whose credits exceed
    its purchases in the period reports 0 and is flagged for review.
    """
    spend: dict[str, Decimal] = {}
    kg: dict[str, Decimal] = {}
    for code, amount, kgco2e in lines:
        spend[code] = spend.get(code, Decimal(0)) + amount
        kg[code] = kg.get(code, Decimal(0)) + kgco2e
    return [
        CategoryTotal(code=c, spend=spend[c], kgco2e=reported_kg(kg[c]), clamped=kg[c] < 0)
        for c in sorted(kg, key=lambda c: kg[c], reverse=True)
    ]
