"""A 95 % range for emission totals from per-line data quality. Pure functions, no I/O.

Per line (pedigree-matrix approach, Weidema & Wesnæs 1996, as used in ecoinvent):
each line's kgCO2e is lognormal, and its data-quality scores (``quality.DataQuality``)
map to uncertainty factors ``U_i`` that multiply the 95 % geometric spread. With a basic
uncertainty ``U_b`` for the factor type::

    ln(GSD²) = sqrt( (ln U_b)² + Σ_i (ln U_i)² )      i = the five indicators
    σ_ln     = ln(GSD²) / 2                            (sd of ln kg; GSD² ≈ 95 % factor)
    σ_line   = |kg| · sqrt( exp(σ_ln²) − 1 )           absolute sd, kg

``σ_line`` is the standard deviation of a lognormal whose *mean* is the reported kg
(the spend-based estimate is treated as an expected value). Working with true standard
deviations, not half-widths, is what makes adding variances exact for independent terms.

Pedigree factors ``U_i`` (score 1..5), ecoinvent v3 (Weidema et al. 2013, *Overview and
methodology: data quality guideline for the ecoinvent database version 3*, ecoinvent
report 1(v3)); the table number in that report is not verified here. The values were
cross-checked against openLCA's import of ecoinvent v3 pedigree data
(GreenDelta/olca-modules, ``olca-io/.../ecospold2/input/PedigreeDQSystem.java``)::

    reliability    1.00 1.05 1.10 1.20 1.50
    completeness   1.00 1.02 1.05 1.10 1.20
    temporal       1.00 1.03 1.10 1.20 1.50
    geographical   1.00 1.01 1.02 1.05 1.10
    technological  1.00 1.05 1.20 1.50 2.00   ("further technological correlation")

Fractional scores (spend-weighted aggregates) interpolate ``ln U`` linearly between the
neighbouring whole scores.

Basic uncertainty ``U_b`` (a GSD²) for spend-based EEIO factors: 1.5 by default. This is
a *project judgement*, not a cited value: ecoinvent's basic-uncertainty tables cover
physical exchanges, not monetary sector averages, and we found no published GSD for UK
Defra or US EPA spend factors. 1.5 sits in the range 1.5-2 suggested for this project and
reflects within-sector heterogeneity of products; callers can pass another value.

Combining lines (the issue's rule): every line's error is treated as independent, so
variances add -- within a category and across categories::

    σ_total = sqrt( Σ_lines σ_line² )                  (``combine``)

Alternative (``correlated_within_category=True`` in ``total_sigma``): lines of the same
category share one factor, so the factor error -- which dominates for spend-based
figures -- is perfectly correlated within a category and independent between
categories; standard deviations then add linearly inside a category and in quadrature
across categories. That is more conservative (it gives a wider range) and arguably
more realistic; the independent model understates the uncertainty of a total dominated
by a few categories. Both are approximations: the truth lies between them because
spend errors are line-specific while factor errors are shared.

95 % range: ``total ± 1.96 σ_total`` (normal approximation for a sum of many lines,
central limit theorem), lower end clamped at 0 because Scope 3 emissions cannot be
negative. For a total dominated by one line the lognormal's own asymmetric interval
(``median / GSD²`` .. ``median × GSD²``) would be better.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from tracker.domain.quality import DataQuality

Z95 = Decimal("1.96")
BASIC_EEIO = Decimal("1.5")
ZERO = Decimal(0)


def _d(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


PEDIGREE_V3: dict[str, tuple[Decimal, ...]] = {
    "reliability": _d("1.00", "1.05", "1.10", "1.20", "1.50"),
    "completeness": _d("1.00", "1.02", "1.05", "1.10", "1.20"),
    "time": _d("1.00", "1.03", "1.10", "1.20", "1.50"),
    "geography": _d("1.00", "1.01", "1.02", "1.05", "1.10"),
    "technology": _d("1.00", "1.05", "1.20", "1.50", "2.00"),
}


def ln_factor(indicator: str, score: Decimal) -> Decimal:
    """``ln U`` for an indicator's score; linear in ``ln U`` between whole scores."""
    table = PEDIGREE_V3[indicator]
    if not 1 <= score <= 5:
        raise ValueError(f"score must be in 1..5, got {score}")
    low = int(score)  # floor, score >= 1
    frac = score - low
    ln_low = table[low - 1].ln()
    if frac == 0:
        return ln_low
    return ln_low + frac * (table[low].ln() - ln_low)


def sigma_ln(dq: DataQuality, basic: Decimal = BASIC_EEIO) -> Decimal:
    """Standard deviation of ``ln(kg)``: ``½ · sqrt((ln U_b)² + Σ (ln U_i)²)``."""
    if basic < 1:
        raise ValueError("basic uncertainty is a GSD² and must be >= 1")
    squares = basic.ln() ** 2
    for name in PEDIGREE_V3:
        squares += ln_factor(name, getattr(dq, name)) ** 2
    return squares.sqrt() / 2


def gsd95(dq: DataQuality, basic: Decimal = BASIC_EEIO) -> Decimal:
    """The 95 % geometric spread ``GSD² = exp(2 σ_ln)`` (the ecoinvent "SDg95")."""
    return (2 * sigma_ln(dq, basic)).exp()


def line_sigma(kg: Decimal, dq: DataQuality, basic: Decimal = BASIC_EEIO) -> Decimal:
    """Absolute sd (kg) of a lognormal line with mean ``|kg|``: ``|kg|·sqrt(e^{σ²} − 1)``."""
    s = sigma_ln(dq, basic)
    return abs(kg) * ((s * s).exp() - 1).sqrt()


def combine(sigmas: Iterable[Decimal]) -> Decimal:
    """Independent errors in quadrature: ``sqrt(Σ σ_i²)``."""
    return sum((s * s for s in sigmas), ZERO).sqrt()


def grouped_sigma(
    groups: Iterable[tuple[Decimal, DataQuality]], basic: Decimal = BASIC_EEIO
) -> Decimal:
    """σ of a total of independent lines given as ``(Σ kg², scores)`` per group of lines
    with the same scores: ``sqrt(Σ_g s_g² · Σ_{i∈g} kg_i²)``, ``s_g = line_sigma(1, q_g)``.

    Equal to ``combine(line_sigma(kg_i, q_i) …)`` over the lines, since each line's σ is
    ``|kg_i| · s``; grouping lets a database sum ``kg²`` instead of returning every line.
    """
    variance = ZERO
    for kg_squared, dq in groups:
        spread = line_sigma(Decimal(1), dq, basic)
        variance += kg_squared * spread * spread
    return variance.sqrt()


def total_sigma(
    lines: Iterable[tuple[str, Decimal, DataQuality]],
    *,
    correlated_within_category: bool = False,
    basic: Decimal = BASIC_EEIO,
) -> Decimal:
    """σ of a total from ``(category, kg, quality)`` lines.

    Default: all lines independent (quadrature everywhere). With
    ``correlated_within_category``: ``sqrt(Σ_c (Σ_{i∈c} σ_i)²)``.
    """
    per_category: dict[str, list[Decimal]] = {}
    for category, kg, dq in lines:
        per_category.setdefault(category, []).append(line_sigma(kg, dq, basic))
    if correlated_within_category:
        return combine(sum(sigmas, ZERO) for sigmas in per_category.values())
    return combine(s for sigmas in per_category.values() for s in sigmas)


def range95(total: Decimal, sigma: Decimal) -> tuple[Decimal, Decimal]:
    """``(max(0, total − 1.96σ), total + 1.96σ)``."""
    if sigma < 0:
        raise ValueError("sigma must be non-negative")
    half = Z95 * sigma
    return max(ZERO, total - half), total + half
