"""Amounts of money as text, in the currency they are in. Pure: no I/O.

Every page, report and command line that shows an amount names its currency from the
authority (or the contract) it belongs to, never a hard-coded pound sign.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€"}


def grouped(value: Decimal, places: int) -> str:
    quant = Decimal(1).scaleb(-places)
    return f"{value.quantize(quant, rounding=ROUND_HALF_UP):,}"


#: How files name a currency instead of its ISO 4217 code (upper case, as read).
_NAMES = {
    "£": "GBP", "STERLING": "GBP", "POUND STERLING": "GBP", "POUNDS STERLING": "GBP",
    "POUNDS": "GBP", "GBP £": "GBP", "UKL": "GBP",
    "$": "USD", "US$": "USD", "US DOLLAR": "USD", "US DOLLARS": "USD",
    "€": "EUR", "EURO": "EUR", "EUROS": "EUR",
}  # fmt: skip


def currency_code(text: str) -> str:
    """The ISO 4217 code a file means by ``text`` (already stripped and upper case):
    ``£``, ``STERLING`` and ``POUNDS`` are ``GBP``; ``$``/``US$`` ``USD``; ``€``/``EURO``
    ``EUR``; anything else is taken as a code.

    >>> currency_code("STERLING"), currency_code("€"), currency_code("CHF")
    ('GBP', 'EUR', 'CHF')
    """
    return _NAMES.get(text, text)


def currency_symbol(currency: str) -> str:
    return _SYMBOLS.get(currency.upper(), currency.upper() + " ")


def money_exact(amount: Decimal, currency: str = "GBP") -> str:
    """An amount to the penny, as on an invoice: ``£5,400.00``, ``-£12.50``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{currency_symbol(currency)}{grouped(abs(amount), 2)}"
