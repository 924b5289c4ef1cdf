"""Neutralise spreadsheet formula injection in text taken from user files."""

from __future__ import annotations

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str | None) -> str | None:
    """Text that a spreadsheet will show as text, never evaluate.

    A value starting with ``= + - @``, a tab or a carriage return is prefixed with a
    single quote, so the cell holds inert text (openpyxl would otherwise store a
    leading ``=`` as a formula, and spreadsheet programs would evaluate the others).

    >>> safe_text("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_text("Acme Ltd")
    'Acme Ltd'
    """
    if value and value.startswith(_TRIGGERS):
        return "'" + value
    return value
