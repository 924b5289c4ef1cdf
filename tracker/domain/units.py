"""Units: emissions are computed and stored in kgCO2e and shown in tCO2e."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

KG_PER_TONNE = Decimal(1000)


def to_tonnes(kg: Decimal) -> Decimal:
    """kgCO2e as tCO2e (exact: a Decimal division by 1000)."""
    return kg / KG_PER_TONNE


def share_percent(fraction: Decimal, places: int = 0) -> Decimal:
    """A share as a percentage to ``places`` decimals, rounded half up, except that a
    share short of the whole never reads as the whole: it is cut down to one more decimal
    instead, so "matched 100 %" is never shown beside spend that was not matched.

    >>> share_percent(Decimal("0.8734")), share_percent(Decimal("0.9996"))
    (Decimal('87'), Decimal('99.9'))
    >>> share_percent(Decimal("0.99996"), 1), share_percent(Decimal(1), 1)
    (Decimal('99.99'), Decimal('100.0'))
    """
    pct = fraction * 100
    rounded = pct.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if pct < 100 <= rounded:
        return pct.quantize(Decimal(1).scaleb(-places - 1), rounding=ROUND_DOWN)
    return rounded
