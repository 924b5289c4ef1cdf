"""Units: emissions are computed and stored in kgCO2e and shown in tCO2e."""

from __future__ import annotations

from decimal import Decimal

KG_PER_TONNE = Decimal(1000)


def to_tonnes(kg: Decimal) -> Decimal:
    """kgCO2e as tCO2e (exact: a Decimal division by 1000)."""
    return kg / KG_PER_TONNE
