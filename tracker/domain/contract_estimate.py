"""A contract's value a year, what is left of it, and the emissions estimated for both. Pure.

Method (``/work/shared/docs/methodology.md`` §3.2-3.4, applied to a contract's value
instead of a spend line):

* **Category.** The contract's classification gives the factor group: a CPV code by its
  2-digit division through ``factors/crosswalks/cpv_division_to_defra.csv``, a UNSPSC code
  by its 2-digit segment through ``unspsc_segment_to_defra.csv`` (the caller passes the
  crosswalk entry). A division the policy excludes (09 fuels, 65 utilities: own energy,
  Scope 1/2) gets no estimate unless the authority counts that exclusion, as its inventory
  does.
* **VAT.** Contract values are taken **net of VAT**, as Contracts Finder and the
  Transparency Code register publish them; a value stated with VAT (flagged
  :data:`VALUE_INCLUDES_VAT` on import) is divided by ``1 + VAT rate`` first (§3.3: Defra
  factors exclude VAT; authorities recover it).
* **Price year.** A value is in the prices of the year the contract starts (when it was
  let), so it is moved to the factor year with the factor economy's index, ``P(factor
  year) / P(price year)`` (§3.4); the factor year is chosen from the price year as the
  authority's inventory chooses it for spend (matched year, or its fixed vintage).
* **A year.** The contract's value a year is its value over its duration in years (at
  least one year, so a short contract is not scaled up to a yearly rate it never had).
* **Remaining.** What is left is the value less the spend linked to date (never below
  zero); spread over the time left to the end date it gives a rate a year.

The estimate is a category average times money, as for spend lines (methodology §1): good
for seeing what is at stake at renewal, not a footprint of the supplier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

DAYS_A_YEAR = Decimal("365.25")
ZERO = Decimal(0)
ONE = Decimal(1)
UK_VAT_STANDARD = Decimal("0.20")
#: Contract.flags: the published value includes VAT (a register column "… inc VAT").
VALUE_INCLUDES_VAT = "value_includes_vat"


def division_code(scheme: str | None, code: str | None) -> str | None:
    """The 2-digit CPV division or UNSPSC segment of a classification code, or None.

    >>> division_code("CPV", "90511000-2")
    '90'
    >>> division_code("UNSPSC", "30181503-001")
    '30'
    """
    if not code or (scheme or "").upper() not in {"CPV", "UNSPSC"}:
        return None
    digits = "".join(ch for ch in code if ch.isdigit())
    return digits[:2] if len(digits) >= 2 else None


def net_of_vat(value: Decimal, includes_vat: bool, rate: Decimal = UK_VAT_STANDARD) -> Decimal:
    return value / (ONE + rate) if includes_vat else value


#: The standard VAT rate a value published including VAT is taken net with, by its
#: currency. A value in another currency (OCDS from abroad, where VAT or sales tax differ)
#: has no rate here: it is taken as published, and the estimate says so.
VAT_RATES = {"GBP": UK_VAT_STANDARD}


def vat_unknown(flags: Iterable[str] | None, currency: str) -> bool:
    """Whether a value published including VAT is in a currency without a known rate."""
    return VALUE_INCLUDES_VAT in (flags or ()) and currency not in VAT_RATES


def net_value(value: Decimal, flags: Iterable[str] | None, currency: str = "GBP") -> Decimal:
    """A contract's value net of VAT, from its value as published, its flags and its
    currency (a value including VAT in a currency without a known rate: as published).

    >>> net_value(Decimal("1200000"), ["value_includes_vat"]) == 1_000_000
    True
    >>> net_value(Decimal("1200000"), None)
    Decimal('1200000')
    >>> net_value(Decimal("1100000"), ["value_includes_vat"], "PYG")
    Decimal('1100000')
    """
    rate = VAT_RATES.get(currency)
    return net_of_vat(value, VALUE_INCLUDES_VAT in (flags or ()) and rate is not None,
                      rate or UK_VAT_STANDARD)  # fmt: skip


def years_between(start: dt.date, end: dt.date) -> Decimal:
    """Length of a period in years (days / 365.25), the end day included."""
    return Decimal((end - start).days + 1) / DAYS_A_YEAR


def annual_value(value: Decimal, start: dt.date | None, end: dt.date | None) -> Decimal | None:
    """The contract's value a year: over its duration, at least one year; None without
    both dates (the duration is unknown)."""
    if start is None or end is None or end < start:
        return None
    return value / max(years_between(start, end), ONE)


@dataclass(frozen=True)
class Remaining:
    value: Decimal  # value less spend to date, at least 0
    years: Decimal  # from today (or the start, if later) to the end
    a_year: Decimal | None  # value / years; None when the contract has ended


def remaining(
    value: Decimal, spent: Decimal, start: dt.date | None, end: dt.date | None, today: dt.date
) -> Remaining | None:
    """What is left of the contract and its rate a year to the end date; None without an
    end date (nothing says over what time the rest will be spent)."""
    if end is None:
        return None
    left = max(value - spent, ZERO)
    begin = max(today, start) if start else today
    if end < begin:
        return Remaining(left, ZERO, None)
    years = years_between(begin, end)
    return Remaining(left, years, left / max(years, ONE))


@dataclass(frozen=True)
class FactorChoice:
    """The factor a contract's category takes, and the price move to its year."""

    code: str  # the factor group (Defra) or commodity (EPA)
    factor: Decimal  # kgCO2e per currency unit of the factor year
    factor_year: int
    deflator: Decimal  # P(factor year) / P(price year)


def kg_for(value: Decimal, choice: FactorChoice, fx: Decimal = ONE) -> Decimal:
    """kgCO2e of money in the price year: ``value × fx × deflator × factor``."""
    return value * fx * choice.deflator * choice.factor


def price_year(start: dt.date | None, end: dt.date | None) -> int | None:
    """The year whose prices a contract value is in: its start year (else its end year)."""
    if start is not None:
        return start.year
    return end.year if end is not None else None
