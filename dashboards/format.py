"""Number formatting for display. Pure functions; nothing here touches Dash or the database."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from tracker.domain.money import currency_symbol, money_exact
from tracker.domain.money import grouped as _grouped
from tracker.domain.periods import fy_label
from tracker.domain.units import share_percent, to_tonnes

__all__ = [
    "currency_symbol",
    "fy_label",
    "intensity",
    "money",
    "money_exact",
    "percent",
    "signed_percent",
    "to_tonnes",
    "tonnes",
]


def tonnes(kg: Decimal) -> str:
    """kgCO2e shown as tCO2e: ``Decimal("1234567")`` → ``"1,235 tCO2e"``.

    Below 10 t one decimal place is kept so that small inventories do not show as 0.
    """
    t = to_tonnes(kg)
    return f"{_grouped(t, 1 if abs(t) < 10 else 0)} tCO2e"


def money(amount: Decimal, currency: str = "GBP") -> str:
    """Whole currency units with a symbol: ``£12,346``; millions as ``£12.3m``."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    symbol = currency_symbol(currency)
    if amount >= 1_000_000:
        return f"{sign}{symbol}{_grouped(amount / 1_000_000, 1)}m"
    return f"{sign}{symbol}{_grouped(amount, 0)}"


def percent(fraction: Decimal | None) -> str:
    """``Decimal("0.8734")`` → ``"87%"``; None → an en dash.

    A share short of the whole never reads as the whole: ``Decimal("0.9996")`` is
    ``"99.9%"`` (cut down to one decimal, never rounded up), not ``"100%"``, so that
    "matched 100%" is never shown beside spend that was not matched.
    """
    if fraction is None:
        return "–"
    pct = share_percent(fraction)
    return f"{_grouped(pct, 1 if pct != pct.to_integral_value() else 0)}%"


def signed_percent(fraction: Decimal | None) -> str:
    """A change: ``+12%``, ``−5%`` (with a real minus sign), ``0%``; None → an en dash."""
    if fraction is None:
        return "–"
    value = (fraction * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if value > 0:
        return f"+{value:,}%"
    if value < 0:
        return f"−{-value:,}%"
    return "0%"


def intensity(kg_per_unit: Decimal | None, currency: str = "GBP") -> str:
    """kgCO2e per currency unit: ``0.214 kgCO2e/£``."""
    if kg_per_unit is None:
        return "–"
    unit = currency_symbol(currency).strip()
    return f"{_grouped(kg_per_unit, 3)} kgCO2e/{unit}"
