"""The same category bought at very different emissions per £. Pure.

Definition. For authority *a* and category *c* (a Defra product group or an EPA NAICS
commodity) in one financial year, the intensity is

    I(a, c) = Σ kgCO2e / Σ net spend   over a's classified lines in c.

The *spread* of *c* is max_a I(a, c) / min_a I(a, c) over the authorities with at least
``min_spend`` in *c* (two at least). A spread of 1.5 means one authority's purchases in
the category carry 50 % more emissions per £ than another's.

What a spread can mean. A spend-based factor is an average for the whole category, so
if every authority used only sector factors of one edition and year, every I(a, c) would
be the same and the spread 1. It moves away from 1 for three reasons, reported with each
category as its ``drivers``:

* ``supplier-specific``: some spend in the category uses a supplier's own footprint
  instead of the average: a real difference, and the one worth talking about (who buys
  lower-carbon, from whom);
* ``factor set or year``: the authorities use different factor sets, editions or factor
  years: a difference of method, not of what was bought;
* ``price deflation``: same factor, but spend deflated from different spend years (a
  financial year straddles two calendar years): a small difference of method.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
DEFAULT_MIN_SPEND = Decimal(1000)
DEFAULT_MIN_SPREAD = Decimal("1.25")

SUPPLIER_SPECIFIC = "supplier-specific"
FACTOR_SET_OR_YEAR = "factor set or year"
PRICE_DEFLATION = "price deflation"


@dataclass(frozen=True)
class CategoryUse:
    """One authority's classified spend in one category (an SQL aggregate)."""

    authority: str
    code: str
    name: str
    spend: Decimal
    kgco2e: Decimal
    supplier_specific_spend: Decimal
    factor_basis: str  # factor set, edition and factor year(s), e.g. "defra-uk-sic to-2023 2023"
    currency: str = "GBP"  # of the spend

    @property
    def intensity(self) -> Decimal | None:
        return self.kgco2e / self.spend if self.spend > 0 else None


@dataclass(frozen=True)
class CategorySpread:
    code: str
    name: str
    currency: str  # intensities are kgCO2e per unit of this currency
    uses: tuple[CategoryUse, ...]  # lowest intensity first
    pooled_intensity: Decimal  # Σ kg / Σ spend over ``uses``
    drivers: tuple[str, ...]

    @property
    def low(self) -> CategoryUse:
        return self.uses[0]

    @property
    def high(self) -> CategoryUse:
        return self.uses[-1]

    @property
    def spread(self) -> Decimal:
        low, high = self.low.intensity, self.high.intensity
        assert low is not None and high is not None and low > 0
        return high / low

    @property
    def kgco2e(self) -> Decimal:
        return sum((u.kgco2e for u in self.uses), ZERO)


def _drivers(uses: tuple[CategoryUse, ...]) -> tuple[str, ...]:
    drivers = []
    if any(u.supplier_specific_spend > 0 for u in uses):
        drivers.append(SUPPLIER_SPECIFIC)
    if len({u.factor_basis for u in uses}) > 1:
        drivers.append(FACTOR_SET_OR_YEAR)
    if not drivers:
        drivers.append(PRICE_DEFLATION)
    return tuple(drivers)


def category_spreads(
    uses: Iterable[CategoryUse],
    *,
    min_spend: Decimal = DEFAULT_MIN_SPEND,
    min_spread: Decimal = DEFAULT_MIN_SPREAD,
) -> list[CategorySpread]:
    """Categories bought by two or more authorities whose intensities differ by at least
    ``min_spread`` (max / min), widest spread first, then largest emissions. Spend in
    different currencies is never compared: each (category, currency) is its own item."""
    by_code: dict[tuple[str, str], list[CategoryUse]] = {}
    for use in uses:
        intensity = use.intensity
        if use.spend >= min_spend and intensity is not None and intensity > 0:
            by_code.setdefault((use.code, use.currency), []).append(use)
    result = []
    for (code, currency), found in by_code.items():
        if len(found) < 2:
            continue
        ordered = tuple(sorted(found, key=lambda u: (u.intensity, u.authority)))
        spend = sum((u.spend for u in ordered), ZERO)
        kg = sum((u.kgco2e for u in ordered), ZERO)
        item = CategorySpread(
            code=code,
            name=ordered[0].name,
            currency=currency,
            uses=ordered,
            pooled_intensity=kg / spend,
            drivers=_drivers(ordered),
        )
        if item.spread >= min_spread:
            result.append(item)
    result.sort(key=lambda s: (-s.spread, -s.kgco2e, s.code))
    return result


def widest_spread_codes(
    amounts: Iterable[tuple[str, str, int, int]],
    *,
    min_spend: int,
    min_spread: Decimal = DEFAULT_MIN_SPREAD,
    limit: int,
) -> list[str]:
    """The category codes of the first ``limit`` items of ``category_spreads`` over the
    uses with these amounts, in that order, without building the uses. ``amounts`` are
    (code, currency, spend, kgCO2e) of each authority's classified lines in each category,
    spend and kgCO2e as whole numbers of fixed units (hundredths, millionths: any, the same
    throughout), and ``min_spend`` in the units of spend.

    Which categories qualify and their order depend only on these: the spread (the highest
    intensity over the lowest), then the kgCO2e of the qualifying uses, then the code. The
    lowest and highest intensity are found exactly, by comparing kg × spend products of
    whole numbers; the spread is then the quotient of the two Decimal intensities, which
    is the one ``category_spreads`` gives (scaling both by the same power of ten changes
    no digit of a Decimal quotient)."""
    groups: dict[tuple[str, str], list[int]] = {}  # low kg, spend; high kg, spend; Σ kg
    for code, currency, spend, kg in amounts:
        if spend >= min_spend and spend > 0 and kg > 0:
            group = groups.get((code, currency))
            if group is None:
                groups[(code, currency)] = [kg, spend, kg, spend, kg, 1]
                continue
            if kg * group[1] < group[0] * spend:
                group[0], group[1] = kg, spend
            elif kg * group[3] > group[2] * spend:
                group[2], group[3] = kg, spend
            group[4] += kg
            group[5] += 1
    ranked = []
    for (code, _currency), (low_kg, low, high_kg, high, kg, count) in groups.items():
        if count < 2:
            continue
        spread = (Decimal(high_kg) / Decimal(high)) / (Decimal(low_kg) / Decimal(low))
        if spread >= min_spread:
            ranked.append((-spread, -kg, code))
    ranked.sort()
    return list(dict.fromkeys(code for _, _, code in ranked[:limit]))
