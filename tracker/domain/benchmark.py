"""Benchmarking authorities against each other: pooled ratios, category mix and whether
two figures can be compared at all. Pure functions on plain values.

Group figures are *pooled*: Σ emissions / Σ spend and Σ emissions / Σ residents over the
authorities in the group, never the average of each authority's ratio. The average of
ratios gives a small authority the same weight as a large one (two authorities at 0.2 and
0.6 kg/£ average 0.4, but if the first spends £9m and the second £1m, the group emits
(1.8 + 0.6) / 10 = 0.24 kg per £ it spends).

Two figures are comparable only when they rest on the same basis; ``comparability``
names every difference that changes the numbers without any change in what was bought:

* currency: kg per £ and kg per $ are different units, and spend in different currencies
  cannot be pooled;
* factor set or edition: the same spend gives different emissions under Defra "to 2022"
  and "to 2023", or under the EPA factors;
* price-year policy: matched-year and fixed-vintage inventories deflate spend differently;
* coverage: unclassified spend counts as zero emissions, so an authority that classified
  60 % of its in-scope spend looks cleaner per £ than one that classified 95 %. Shares more
  than ``COVERAGE_GAP`` (15 percentage points) apart are flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Any

from tracker.domain.calculate import reported_kg
from tracker.domain.categories import broad_group
from tracker.domain.mix_gap import widest_pair

ZERO = Decimal(0)
COVERAGE_GAP = Decimal("0.15")
#: Largest distance between two authorities' method mixes (half the sum of the absolute
#: differences of their shares of classified spend by method) still like for like.
METHOD_GAP = Decimal("0.25")


def default_year(inventories: Iterable[tuple[int, int]]) -> int | None:
    """The most recent year in which the largest number of authorities have an inventory,
    from ``(authority id, year)`` pairs."""
    counts: dict[int, set[int]] = {}
    for authority_id, year in inventories:
        counts.setdefault(year, set()).add(authority_id)
    return year_with_most({year: len(ids) for year, ids in counts.items()})


def year_with_most(counts: Mapping[int, int]) -> int | None:
    """The most recent year in which the largest number of authorities have an inventory,
    from the number of authorities with one in each year (``default_year`` counted)."""
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


@dataclass(frozen=True)
class Pooled:
    """Σ numerator / Σ denominator over ``members`` authorities."""

    numerator: Decimal
    denominator: Decimal
    members: tuple[str, ...]

    @property
    def ratio(self) -> Decimal | None:
        return self.numerator / self.denominator if self.denominator > 0 else None


def pooled(items: Iterable[tuple[str, Decimal, Decimal | None]]) -> Pooled:
    """Pool ``(code, numerator, denominator)`` items; items without a positive
    denominator (no population, no in-scope spend) are left out of both sums."""
    num, den, members = ZERO, ZERO, []
    for code, n, d in items:
        if d is None or d <= 0:
            continue
        num += n
        den += d
        members.append(code)
    return Pooled(numerator=num, denominator=den, members=tuple(members))


def pooled_by_currency(
    items: Iterable[tuple[str, str, Decimal, Decimal]],
) -> dict[str, Pooled]:
    """Pool ``(code, currency, kgCO2e, spend)`` separately per currency (spend in two
    currencies cannot be added)."""
    by_currency: dict[str, list[tuple[str, Decimal, Decimal | None]]] = {}
    for code, currency, kg, spend in items:
        by_currency.setdefault(currency, []).append((code, kg, spend))
    return {c: pooled(rows) for c, rows in sorted(by_currency.items())}


@dataclass(frozen=True)
class MixShare:
    group: str
    kgco2e: Decimal
    share: Decimal


def category_mix(kg_by_code: Mapping[str, Decimal]) -> tuple[MixShare, ...]:
    """Emissions by broad group (see ``tracker.domain.categories``) and each group's share
    of the total, largest first. A group whose credits exceed its purchases counts as 0,
    as inventory totals count it."""
    return mix_shares(kg_by_group(kg_by_code))


def kg_by_group(kg_by_code: Mapping[str, Decimal | str]) -> dict[str, Decimal]:
    """kgCO2e summed by broad group, exactly (an amount may be given as its decimal text,
    as ``run_compare_figures`` stores it); each group's amounts are added in the order of
    ``kg_by_code``. The codes of a mapping are sorted into groups once per set of codes
    (a comparison of 400 runs over the same 100 categories sorts them once), and each
    group's amounts picked out and added without a Python step per amount."""
    return {
        group: sum(map(Decimal, pick(kg_by_code)), ZERO)
        for group, pick in _grouping(tuple(kg_by_code))
    }


@lru_cache(maxsize=256)
def _grouping(
    codes: tuple[str, ...],
) -> tuple[tuple[str, Callable[[Mapping[str, Any]], tuple[Any, ...]]], ...]:
    """For each broad group among ``codes`` (in the order first met), a function picking
    its codes' values out of a mapping, as a tuple, in the order of ``codes``."""
    members: dict[str, list[str]] = {}
    for code in codes:
        members.setdefault(broad_group(code), []).append(code)
    return tuple((group, _picker(names)) for group, names in members.items())


def _picker(names: Sequence[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    if len(names) == 1:  # itemgetter of one key gives the value, not a tuple
        name = names[0]
        return lambda mapping: (mapping[name],)
    return itemgetter(*names)


def mix_shares(by_group: Mapping[str, Decimal]) -> tuple[MixShare, ...]:
    """``category_mix`` from kgCO2e already summed by broad group."""
    clamped = {g: reported_kg(kg) for g, kg in by_group.items()}
    total = sum(clamped.values(), ZERO)
    if total == 0:
        return ()
    return tuple(
        MixShare(group=g, kgco2e=kg, share=kg / total)
        for g, kg in sorted(clamped.items(), key=lambda item: (-item[1], item[0]))
        if kg > 0
    )


@dataclass(frozen=True)
class Basis:
    """What one authority's figures rest on."""

    code: str
    currency: str
    factor_family: str
    factor_edition: str
    price_year_policy: str
    classified_share: Decimal | None  # mapped / in-scope spend
    #: None for a complete year (twelve months, or confirmed by an officer); else the
    #: months covered in words ("Apr-Jun 2024/25: 3 of 12 months")
    part_year: str | None = None
    #: share of classified spend by classification method (sic, rule, mcc ...)
    methods: tuple[tuple[str, Decimal], ...] = ()

    @property
    def factor_set(self) -> str:
        return f"{self.factor_family} {self.factor_edition}"


@dataclass(frozen=True)
class NotComparable:
    """One way in which figures are not like for like, in plain words."""

    kind: str  # currency | factor_set | price_year | coverage | implausible year | outlier
    message: str
    authorities: tuple[str, ...]


def pair_differences(a: Basis, b: Basis, *, coverage_gap: Decimal = COVERAGE_GAP) -> list[str]:
    """The kinds of difference that make ``a``'s and ``b``'s figures not comparable."""
    kinds = []
    if a.currency != b.currency:
        kinds.append("currency")
    if a.factor_set != b.factor_set:
        kinds.append("factor_set")
    if a.price_year_policy != b.price_year_policy:
        kinds.append("price_year")
    if (
        a.classified_share is not None
        and b.classified_share is not None
        and abs(a.classified_share - b.classified_share) > coverage_gap
    ):
        kinds.append("coverage")
    return kinds


def _split(bases: Sequence[Basis], attr: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for b in bases:
        groups.setdefault(getattr(b, attr), []).append(b.code)
    return groups


def _listing(groups: Mapping[str, Sequence[str]]) -> str:
    return "; ".join(f"{value} ({', '.join(codes)})" for value, codes in sorted(groups.items()))


_BASIS_CHECKS: tuple[tuple[str, str, str, str], ...] = (
    (
        "currency",
        "currency",
        "Currencies differ",
        "intensities are per unit of different currencies and are pooled per currency",
    ),
    (
        "factor_set",
        "factor_set",
        "Factor sets or editions differ",
        "the same spend gives different emissions under different factor sets",
    ),
    (
        "price_year",
        "price_year_policy",
        "Price-year policies differ",
        "spend is deflated to different factor years",
    ),
)


def comparability(
    bases: Sequence[Basis],
    *,
    coverage_gap: Decimal = COVERAGE_GAP,
    method_gap: Decimal = METHOD_GAP,
    method_label: Callable[[str], str] = str,
) -> list[NotComparable]:
    """Every way in which the figures of ``bases`` are not like for like, in plain words."""
    warnings = []
    for kind, attr, title, why in _BASIS_CHECKS:
        groups = _split(bases, attr)
        if len(groups) > 1:
            warnings.append(
                NotComparable(
                    kind=kind,
                    message=f"{title}: {_listing(groups)}; {why}.",
                    authorities=tuple(sorted(b.code for b in bases)),
                )
            )
    shares = [(b.classified_share, b.code) for b in bases if b.classified_share is not None]
    if len(shares) >= 2:
        low = min(shares)
        high = min(shares, key=lambda s: (-s[0], s[1]))  # ties: first code
        if high[0] - low[0] > coverage_gap:
            flagged = tuple(sorted(c for s, c in shares if high[0] - s > coverage_gap))
            warnings.append(
                NotComparable(
                    kind="coverage",
                    message=(
                        f"Coverage differs: {_pct(low[0])} of in-scope spend is classified "
                        f"for {low[1]} against {_pct(high[0])} for {high[1]}; unclassified "
                        "spend counts as zero, so the lower-coverage figures "
                        f"({', '.join(flagged)}) are understated."
                    ),
                    authorities=flagged,
                )
            )
    parts = [b for b in bases if b.part_year is not None]
    if parts:
        warnings.append(
            NotComparable(
                kind="completeness",
                message=(
                    "Completeness differs: "
                    + "; ".join(f"{b.code} has {b.part_year}" for b in parts)
                    + "; a part year is not comparable with full years (the limit: twelve "
                    "months, or a part year an officer confirmed complete)."
                ),
                authorities=tuple(b.code for b in parts),
            )
        )
    mixes = [b for b in bases if b.methods]
    widest = widest_pair([(b.code, b.methods) for b in mixes], method_distance)
    if widest is not None and widest[0] > method_gap:
        mix = {b.code: b.methods for b in mixes}
        warnings.append(
            NotComparable(
                kind="method_mix",
                message=(
                    f"Method mixes differ: {widest[1]} classified its spend by "
                    f"{_mix(mix[widest[1]], method_label)} against "
                    f"{_mix(mix[widest[2]], method_label)} for {widest[2]}, "
                    f"{_pct(widest[0])} apart (the limit: {_pct(method_gap)})."
                ),
                authorities=(widest[1], widest[2]),
            )
        )
    return warnings


def method_distance(a: Sequence[tuple[str, Decimal]], b: Sequence[tuple[str, Decimal]]) -> Decimal:
    """Half the sum of the absolute differences of two method mixes' shares: 0 for the
    same mix, 1 for mixes with no method in common."""
    left, right = dict(a), dict(b)
    return (
        sum((abs(left.get(m, ZERO) - right.get(m, ZERO)) for m in set(left) | set(right)), ZERO) / 2
    )


def _mix(methods: Sequence[tuple[str, Decimal]], label: Callable[[str], str]) -> str:
    return ", ".join(f"{label(m)} {_pct(share)}" for m, share in methods)


def _pct(fraction: Decimal) -> str:
    return f"{(fraction * 100).quantize(Decimal(1))}%"
