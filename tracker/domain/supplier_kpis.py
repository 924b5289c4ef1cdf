"""Supplier KPIs and disclosures: pure maths.

- **Intensity from a disclosure.** A supplier's own factor is its reported emissions over
  its revenue: (scope 1 + scope 2 [+ scope 3]) tCO2e × 1000 / revenue = kgCO2e per unit of
  revenue, the GHG Protocol Scope 3 Technical Guidance's "hybrid" allocation by economic
  value (Category 1). Without scope 3 the factor leaves out the supplier's own supply
  chain, so it understates cradle-to-gate emissions; the factor's note says so.
- **Share with a commitment.** Of an authority's (or the group's) in-scope spend and
  emissions in a financial year, the part bought from suppliers that had a commitment on
  record at the time: made on or before the year's last day, and not ended before its
  first. Pooled over authorities as Σ covered / Σ total, never an average of shares.
- **PPN 006.** Procurement Policy Note 006 (Cabinet Office, February 2025, "Taking account
  of Carbon Reduction Plans in the procurement of major government contracts") asks for a
  Carbon Reduction Plan on contracts with an anticipated value above £5 million a year
  including VAT. A contract's value a year is its value over its period (at least a year,
  tracker.domain.contract_estimate.annual_value); published values are net of VAT, so the
  standard rate is added before the comparison. A contract without both dates (or
  ending before it starts) has no value a year: when its whole value including VAT is above
  £5m it might be above the threshold, so it is counted as not assessed, never silently
  left out (:func:`ppn006_not_assessed`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tracker.domain.contract_estimate import UK_VAT_STANDARD, annual_value

PPN006_THRESHOLD_GBP = Decimal(5_000_000)  # a year, including VAT
ZERO = Decimal(0)


def disclosure_intensity(
    scope1_t: Decimal, scope2_t: Decimal, scope3_t: Decimal | None, revenue: Decimal
) -> Decimal:
    """kgCO2e per unit of revenue from reported tonnes and revenue.

    >>> disclosure_intensity(Decimal("1200"), Decimal("300"), None, Decimal("10000000"))
    Decimal('0.15')
    """
    if revenue <= 0:
        raise ValueError("revenue must be positive")
    tonnes = scope1_t + scope2_t + (scope3_t or ZERO)
    if tonnes < 0 or scope1_t < 0 or scope2_t < 0 or (scope3_t is not None and scope3_t < 0):
        raise ValueError("reported emissions cannot be negative")
    return tonnes * 1000 / revenue


@dataclass(frozen=True)
class Commitment:
    kind: str
    made_on: dt.date
    ended_on: dt.date | None = None


def in_force(commitment: Commitment, start: dt.date, end: dt.date) -> bool:
    """On record at some time in the period [start, end]."""
    return commitment.made_on <= end and (
        commitment.ended_on is None or commitment.ended_on >= start
    )


def covered_suppliers(
    commitments: dict[int, list[Commitment]], kinds: Iterable[str], start: dt.date, end: dt.date
) -> set[int]:
    """Suppliers with a commitment of one of ``kinds`` in force in the period."""
    wanted = set(kinds)
    return {
        sid
        for sid, items in commitments.items()
        if any(c.kind in wanted and in_force(c, start, end) for c in items)
    }


@dataclass(frozen=True)
class Share:
    spend: Decimal
    kgco2e: Decimal
    spend_covered: Decimal
    kgco2e_covered: Decimal

    @property
    def spend_share(self) -> float | None:
        return float(self.spend_covered / self.spend) if self.spend > 0 else None

    @property
    def kgco2e_share(self) -> float | None:
        return float(self.kgco2e_covered / self.kgco2e) if self.kgco2e > 0 else None


def share(rows: Iterable[tuple[int | None, Decimal, Decimal]], covered: set[int]) -> Share:
    """Spend and kgCO2e by supplier → totals and the part with covered suppliers.

    Rows without a supplier count in the totals, never as covered.
    """
    spend = kg = spend_c = kg_c = ZERO
    for sid, s, k in rows:
        spend += s
        kg += k
        if sid is not None and sid in covered:
            spend_c += s
            kg_c += k
    return Share(spend, kg, spend_c, kg_c)


def pooled(shares: Iterable[Share]) -> Share:
    """The group's share: sums over authorities (Σ covered / Σ total)."""
    items = list(shares)
    return Share(
        sum((s.spend for s in items), ZERO),
        sum((s.kgco2e for s in items), ZERO),
        sum((s.spend_covered for s in items), ZERO),
        sum((s.kgco2e_covered for s in items), ZERO),
    )


def value_a_year_with_vat(
    value: Decimal, start: dt.date | None, end: dt.date | None, vat_rate: Decimal = UK_VAT_STANDARD
) -> Decimal | None:
    """A contract's value a year including VAT (None when its period is unknown).

    >>> value_a_year_with_vat(Decimal("12000000"), dt.date(2022, 4, 1), dt.date(2025, 3, 31))
    Decimal('4798905.11')
    """
    a_year = annual_value(value, start, end)
    if a_year is None:
        return None
    return (a_year * (1 + vat_rate)).quantize(Decimal("0.01"))


def above_ppn006(value_a_year_incl_vat: Decimal | None) -> bool:
    return value_a_year_incl_vat is not None and value_a_year_incl_vat > PPN006_THRESHOLD_GBP


def ppn006_not_assessed(value: Decimal, start: dt.date | None, end: dt.date | None) -> bool:
    """True when a contract's whole value including VAT is above £5m but it has no period
    to annualise it over (a date missing, or ending before it starts): it may be above
    the threshold and cannot be assessed. (With a value of £5m or less incl. VAT it cannot
    be above it: a value a year is never more than the whole value.)

    >>> ppn006_not_assessed(Decimal("4200000"), None, dt.date(2027, 3, 31))
    True
    >>> ppn006_not_assessed(Decimal("4100000"), None, None)
    False
    """
    if value_a_year_with_vat(value, start, end) is not None:
        return False
    return value * (1 + UK_VAT_STANDARD) > PPN006_THRESHOLD_GBP


def not_assessed_sentence(n: int) -> str:
    """What the PPN 006 list leaves out: "" when nothing."""
    if not n:
        return ""
    have = "has" if n == 1 else "have"
    return (
        f"{n:,} contract{'' if n == 1 else 's'} over £5m in total (incl. VAT) {have} no dates "
        "to annualise (a date missing, or ending before it starts): not assessed."
    )
