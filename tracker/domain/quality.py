"""Data quality indicators (DQIs) for spend lines. Pure functions, no I/O.

The GHG Protocol Scope 3 Standard (2011), ch. 7 "Collecting data", names five
indicators -- technological, temporal and geographical representativeness,
completeness and reliability -- and gives qualitative criteria Very good / Good /
Fair / Poor adapted from the LCA pedigree matrix (Weidema & Wesnæs 1996). Methodology
§4.1 reproduces that table and §4.2 proposes default scores for spend-based lines.

Numeric scale used here (1 = best)::

    1 Very good   2 Good   3 Fair   4 Poor   5 Unknown / no data

Scores 1-4 are the Standard's four levels. Score 5 is this tracker's extension for
"the input needed to judge this indicator is missing" (no factor year, no country), so
that a missing input is never mistaken for a merely poor one. The 1-5 range also lines up
with the five columns of the ecoinvent pedigree matrix used by ``uncertainty.py``.

Default scores (methodology §4.2) for a line mapped to a sector factor:

=============  ======================================================================
technology     3 (Fair: sector average, not the supplier's product);
               2 for an exact EPA NAICS-6 match (``method="naics"``, level ``naics6``);
               one step worse (4) for a fallback mapping: ``division-default``,
               ``naics2``..``naics5``, or a rule / keyword / suggested classification
               (``rule``, ``suggestion`` as method or level); 5 if the level is unknown.
time           by age ``a = |spend_year - factor_year|``: a < 3 -> 1, a < 6 -> 2,
               a < 10 -> 3, else 4 (the Standard's thresholds); 5 if no factor year.
geography      1 when the factor's economy is the authority's country, else 3;
               5 if either country is blank.
completeness   2 (economy-wide national accounts).
reliability    3 (modelled from official statistics, not verified measurements).
=============  ======================================================================

Supplier-specific factors (``supplier_specific=True`` or ``method="supplier"``):
technology 1 (the supplier's own figure), time by age, geography as above, completeness
2 (a company-wide intensity covers all the supplier's sites, but is allocated to this
purchase by spend), reliability 2 ("non-verified data based on measurements", the Good
column) unless the caller says the figure is verified (then 1). We assume unverified by
default because the tracker does not yet record assurance of supplier disclosures.

Aggregates (``weighted_quality``) are spend-weighted means per indicator, using the
absolute spend so that credit notes add weight rather than cancel it (§4.2 asks for a
spend-weighted average per authority and category).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal

from tracker.domain.codes import LineStatus, Method

VERY_GOOD, GOOD, FAIR, POOR, UNKNOWN = (Decimal(n) for n in range(1, 6))
BEST, WORST = VERY_GOOD, UNKNOWN

SECTOR_METHODS: frozenset[str] = frozenset({Method.SIC, Method.NAICS})
# Crosswalks from procurement codes (ProClass, merchant category, CPV, UNSPSC) to groups,
# and a person's own decision for a supplier (supplier default) or a line (override).
CODE_METHODS: frozenset[str] = frozenset(
    {
        Method.PROCLASS,
        Method.MCC,
        Method.CPV,
        Method.UNSPSC,
        Method.SUPPLIER_DEFAULT,
        Method.OVERRIDE,
    }
)
# Keyword rules: group-wide policy, the authority's own, the shared library, accepted
# suggestions.
RULE_METHODS: frozenset[str] = frozenset({"policy", "rule", "library", "suggestion"})
SUPPLIER_METHODS: frozenset[str] = frozenset({"supplier"})
KNOWN_METHODS = SECTOR_METHODS | CODE_METHODS | RULE_METHODS | SUPPLIER_METHODS
# Crosswalk rows carry a confidence instead of a code level: only "high" pins the group.
CONFIDENCE_LEVELS: frozenset[str] = frozenset({"high", "medium", "low"})

PRECISE_LEVELS: frozenset[str] = frozenset({"class", "group", "division"})
FALLBACK_LEVELS: frozenset[str] = frozenset(
    {"division-default", "naics2", "naics3", "naics4", "naics5", "rule", "suggestion"}
)
EXACT_NAICS = "naics6"
SUPPLIER_LEVEL = "supplier-specific"


@dataclass(frozen=True)
class DataQuality:
    """Five GHG Protocol indicators, each 1 (very good) ... 5 (unknown).

    A single line has whole-number scores; a spend-weighted aggregate may be fractional.
    """

    technology: Decimal
    time: Decimal
    geography: Decimal
    completeness: Decimal
    reliability: Decimal

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, Decimal) or not BEST <= value <= WORST:
                raise ValueError(f"{f.name} score must be a Decimal in 1..5, got {value!r}")

    @classmethod
    def from_digits(cls, digits: str) -> DataQuality:
        """The scores stored on a line as five digits, e.g. ``"31123"`` (T, t, G, C, R)."""
        if len(digits) != 5 or not digits.isdigit():
            raise ValueError(f"data-quality digits must be five digits, got {digits!r}")
        t, ti, g, c, r = (Decimal(int(ch)) for ch in digits)
        return cls(technology=t, time=ti, geography=g, completeness=c, reliability=r)

    def scores(self) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
        return (self.technology, self.time, self.geography, self.completeness, self.reliability)

    @property
    def mean(self) -> Decimal:
        """Unweighted mean of the five indicators: ``(T + t + G + C + R) / 5``."""
        return sum(self.scores(), Decimal(0)) / 5


def time_score(spend_year: int, factor_year: int | None) -> Decimal:
    """Temporal score from the age ``|spend_year - factor_year|`` (Scope 3 Standard ch. 7)."""
    if factor_year is None:
        return UNKNOWN
    age = abs(spend_year - factor_year)
    if age < 3:
        return VERY_GOOD
    if age < 6:
        return GOOD
    if age < 10:
        return FAIR
    return POOR


def geography_score(factor_country: str, authority_country: str) -> Decimal:
    """1 if the factor's economy is the authority's country, 3 if different, 5 if unknown."""
    a, b = factor_country.strip().upper(), authority_country.strip().upper()
    if not a or not b:
        return UNKNOWN
    return VERY_GOOD if a == b else FAIR


def _technology(method: str, match_level: str | None) -> Decimal:
    if method in RULE_METHODS or match_level in FALLBACK_LEVELS:
        return POOR  # fallback: one step worse than the sector-average Fair
    if match_level in CONFIDENCE_LEVELS:
        if method in SECTOR_METHODS:
            # A supplier's SIC code is at most medium confidence (classification policy
            # §5) yet pins a sector as precisely as before; a guessed division is "low".
            return FAIR if match_level != "low" else POOR
        return FAIR if match_level == "high" else POOR
    if match_level is None:
        return UNKNOWN
    if method == Method.NAICS and match_level == EXACT_NAICS:
        return GOOD
    if match_level in PRECISE_LEVELS or match_level == EXACT_NAICS:
        return FAIR
    raise ValueError(f"unknown match level {match_level!r}")


def score_line(
    *,
    method: str,
    match_level: str | None,
    factor_year: int | None,
    spend_year: int,
    factor_country: str,
    authority_country: str,
    supplier_specific: bool,
    supplier_verified: bool = False,
) -> DataQuality:
    """Default indicator scores for one *mapped* line (see the module docstring table).

    ``method`` is the line's mapping method (``sic``, ``naics``, ``supplier``, ``rule``,
    ``suggestion``); ``match_level`` the precision of the mapping (``class``, ``group``,
    ``division``, ``division-default``, ``naics6``..``naics2``, ``supplier-specific``).
    Unknown methods or levels raise ``ValueError`` rather than get a silent score.
    Unmapped lines have no factor and are not scored: use ``score_mapped``.
    """
    if method not in KNOWN_METHODS:
        raise ValueError(f"unknown mapping method {method!r}")
    time = time_score(spend_year, factor_year)
    geography = geography_score(factor_country, authority_country)
    if supplier_specific or method in SUPPLIER_METHODS or match_level == SUPPLIER_LEVEL:
        return DataQuality(
            technology=VERY_GOOD,
            time=time,
            geography=geography,
            completeness=GOOD,
            reliability=VERY_GOOD if supplier_verified else GOOD,
        )
    return DataQuality(
        technology=_technology(method, match_level),
        time=time,
        geography=geography,
        completeness=GOOD,
        reliability=FAIR,
    )


def score_mapped(
    *,
    status: str,
    method: str,
    match_level: str | None,
    factor_year: int | None,
    spend_year: int,
    factor_country: str,
    authority_country: str,
    supplier_specific: bool,
    supplier_verified: bool = False,
) -> DataQuality | None:
    """``score_line`` for lines whose status is ``mapped``; ``None`` for any other status.

    Unmapped or excluded lines carry no emissions, so they have nothing to score; their
    share of spend is reported separately as a coverage figure, not as a quality score.
    """
    if status != LineStatus.MAPPED:
        return None
    return score_line(
        method=method,
        match_level=match_level,
        factor_year=factor_year,
        spend_year=spend_year,
        factor_country=factor_country,
        authority_country=authority_country,
        supplier_specific=supplier_specific,
        supplier_verified=supplier_verified,
    )


def weighted_quality(items: Iterable[tuple[Decimal, DataQuality]]) -> DataQuality | None:
    """Spend-weighted mean of each indicator: ``q_k = Σ |S_i| q_ik / Σ |S_i|``.

    Weights are absolute spends (a credit note is still spend whose quality matters).
    Returns ``None`` when there are no items or the total weight is zero.
    """
    total = Decimal(0)
    sums = [Decimal(0)] * 5
    for spend, dq in items:
        w = abs(spend)
        total += w
        sums = [s + w * q for s, q in zip(sums, dq.scores(), strict=True)]
    if total == 0:
        return None
    t, ti, g, c, r = (s / total for s in sums)
    return DataQuality(technology=t, time=ti, geography=g, completeness=c, reliability=r)
