"""Explaining changes in emissions. Pure functions on Decimal, no I/O.

(a) Year-on-year change: additive LMDI-I (Ang 2004, *Energy Policy* 32:1131-1139;
Ang 2005, *Energy Policy* 33:867-871). With categories ``c``, spend ``S_c``, total spend
``Q = Σ_c S_c``, share ``s_c = S_c / Q`` and intensity ``I_c = E_c / S_c``::

    E = Σ_c Q · s_c · I_c
    L(a, b) = (a − b) / (ln a − ln b),  L(a, a) = a          (logarithmic mean)
    ΔE_volume    = Σ_c L(E1_c, E0_c) · ln(Q1 / Q0)
    ΔE_mix       = Σ_c L(E1_c, E0_c) · ln(s1_c / s0_c)
    ΔE_intensity = Σ_c L(E1_c, E0_c) · ln(I1_c / I0_c)

Because ``ln(Q1/Q0) + ln(s1/s0) + ln(I1/I0) = ln(E1_c/E0_c)`` and
``L(E1, E0) · ln(E1/E0) = E1 − E0``, the three effects add up to ``E1 − E0`` exactly in
real arithmetic, category by category. Logs need positive values, so only categories
with positive spend *and* emissions in both years enter the three effects; every other
category (new, ended, or with zero/negative net values after credit notes) contributes
``E1_c − E0_c`` to a separate ``new_ended`` term. ``Q`` is total spend over *all*
categories, so a new category's spend still dilutes the shares of the others (a mix
effect), while its emissions are in ``new_ended``. If total spend is not positive in
either year, everything goes to ``new_ended``.

All logarithms use ``Decimal.ln`` at 40 significant digits, so the reported
``residual = (E1 − E0) − Σ effects`` is at the last of the 28 digits of the default
context (e.g. 2e-26 kg on a change of −60 kg) -- it is reported, not absorbed into any
effect.

(b) Restatement (version difference, GHG Protocol Scope 3 Standard ch. 9, recalculation
of base-year emissions): per line ``kg = spend × fx × deflator × factor`` (methodology
§3.2). Lines only in the new version are ``new_lines``; only in the old,
``removed_lines``. For a line in both, the product is moved from old to new one input at
a time, in this fixed order (a chained / sequential attribution -- another order gives
another, equally valid split)::

    spend            (S1 − S0) · fx0 · d0 · f0
    reclassification S1 · fx0 · d0 · (f* − f0)    only if the category changed
    factor           S1 · fx0 · d0 · (f1 − f*)    f* = f0 if the category is unchanged
    price_year       S1 · fx0 · (d1 − d0) · f1
    exchange_rate    S1 · (fx1 − fx0) · d1 · f1
    other            (kg1 − P1) − (kg0 − P0)      P = S · fx · d · f (stored kg vs product)

``f*`` is the old version's factor for the *new* category (``old_factors``); without
it the whole factor difference of a reclassified line counts as reclassification.
The order follows the pipeline: what was bought (spend, then its category) before how
it is valued (factor edition, then price basis, then currency). The telescoping sum
makes the parts add up to ``Σ kg1 − Σ kg0`` exactly (Decimal products and sums of
moderate-size inputs are exact at 28 digits).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, localcontext

from tracker.domain.units import to_tonnes

ZERO = Decimal(0)
LN_PRECISION = 40


def log_mean(a: Decimal, b: Decimal) -> Decimal:
    """Logarithmic mean ``(a − b) / (ln a − ln b)``, ``L(a, a) = a``; a, b > 0."""
    if a <= 0 or b <= 0:
        raise ValueError("the logarithmic mean needs positive values")
    if a == b:
        return a
    return (a - b) / (a.ln() - b.ln())


@dataclass(frozen=True)
class YearOnYear:
    """LMDI-I effects (kgCO2e); ``difference`` is ``E1 − E0`` computed directly."""

    volume: Decimal
    mix: Decimal
    intensity: Decimal
    new_ended: Decimal
    difference: Decimal

    @property
    def residual(self) -> Decimal:
        """``difference − (volume + mix + intensity + new_ended)``; ~0 (rounding only)."""
        return self.difference - (self.volume + self.mix + self.intensity + self.new_ended)


def lmdi(
    year0: Mapping[str, tuple[Decimal, Decimal]],
    year1: Mapping[str, tuple[Decimal, Decimal]],
) -> YearOnYear:
    """Decompose ``E1 − E0`` from ``category -> (spend, kgCO2e)`` for two years."""
    e0 = sum((kg for _, kg in year0.values()), ZERO)
    e1 = sum((kg for _, kg in year1.values()), ZERO)
    q0 = sum((s for s, _ in year0.values()), ZERO)
    q1 = sum((s for s, _ in year1.values()), ZERO)
    volume = mix = intensity = new_ended = ZERO
    with localcontext() as ctx:
        ctx.prec = LN_PRECISION
        logs_ok = q0 > 0 and q1 > 0
        ln_q = q1.ln() - q0.ln() if logs_ok else ZERO
        for c in sorted(set(year0) | set(year1)):
            s0, k0 = year0.get(c, (ZERO, ZERO))
            s1, k1 = year1.get(c, (ZERO, ZERO))
            if not (logs_ok and min(s0, k0, s1, k1) > 0):
                new_ended += k1 - k0
                continue
            w = log_mean(k1, k0)
            ln_s1, ln_s0 = s1.ln(), s0.ln()
            volume += w * ln_q
            mix += w * ((ln_s1 - ln_s0) - ln_q)
            intensity += w * ((k1.ln() - ln_s1) - (k0.ln() - ln_s0))
    return YearOnYear(volume, mix, intensity, new_ended, e1 - e0)


@dataclass(frozen=True)
class LineVersion:
    """One line's result in one inventory version (kg = spend × fx × deflator × factor)."""

    spend: Decimal
    category: str
    factor: Decimal
    deflator: Decimal
    kg: Decimal
    fx: Decimal = Decimal(1)

    @property
    def product(self) -> Decimal:
        return self.spend * self.fx * self.deflator * self.factor


@dataclass(frozen=True)
class Restatement:
    """Parts of a version difference, kgCO2e; see the module docstring for the order."""

    new_lines: Decimal = ZERO
    removed_lines: Decimal = ZERO
    spend: Decimal = ZERO
    reclassification: Decimal = ZERO
    factor: Decimal = ZERO
    price_year: Decimal = ZERO
    exchange_rate: Decimal = ZERO
    other: Decimal = ZERO
    difference: Decimal = ZERO  # Σ kg_new − Σ kg_old, computed directly

    def parts(self) -> dict[str, Decimal]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "difference"}

    @property
    def explained(self) -> Decimal:
        return sum(self.parts().values(), ZERO)

    @property
    def unexplained(self) -> Decimal:
        """``difference − Σ parts``; 0 unless Decimal rounding occurred."""
        return self.difference - self.explained

    def in_tonnes(self) -> dict[str, Decimal]:
        """Each part and the difference in tCO2e (kg / 1000)."""
        return {f.name: to_tonnes(getattr(self, f.name)) for f in fields(self)}


def explain_restatement(
    old: Mapping[str, LineVersion],
    new: Mapping[str, LineVersion],
    old_factors: Mapping[str, Decimal] | None = None,
) -> Restatement:
    """Split ``Σ kg(new) − Σ kg(old)`` over lines keyed by line id (chained attribution)."""
    parts = dict.fromkeys(Restatement().parts(), ZERO)
    for line_id in sorted(set(new) - set(old)):
        parts["new_lines"] += new[line_id].kg
    for line_id in sorted(set(old) - set(new)):
        parts["removed_lines"] -= old[line_id].kg
    for line_id in sorted(set(old) & set(new)):
        a, b = old[line_id], new[line_id]
        f_star = a.factor
        if a.category != b.category:
            f_star = b.factor
            if old_factors is not None and b.category in old_factors:
                f_star = old_factors[b.category]
        parts["spend"] += (b.spend - a.spend) * a.fx * a.deflator * a.factor
        parts["reclassification"] += b.spend * a.fx * a.deflator * (f_star - a.factor)
        parts["factor"] += b.spend * a.fx * a.deflator * (b.factor - f_star)
        parts["price_year"] += b.spend * a.fx * (b.deflator - a.deflator) * b.factor
        parts["exchange_rate"] += b.spend * (b.fx - a.fx) * b.deflator * b.factor
        parts["other"] += (b.kg - b.product) - (a.kg - a.product)
    difference = sum((v.kg for v in new.values()), ZERO) - sum((v.kg for v in old.values()), ZERO)
    return Restatement(**parts, difference=difference)
