"""Supplier name normalisation, so that one supplier spelt several ways is one supplier."""

from __future__ import annotations

import re

_NON_ALNUM = re.compile(r"[^0-9a-z&]+")
_SUFFIXES = {"limited": "ltd", "plc": "plc", "company": "co", "incorporated": "inc"}


def supplier_key(name: str) -> str:
    """A matching key: case-folded, punctuation removed, common legal suffixes unified.

    >>> supplier_key("  Acme Widgets Limited. ")
    'acme widgets ltd'
    >>> supplier_key("ACME WIDGETS LTD")
    'acme widgets ltd'
    """
    words = _NON_ALNUM.sub(" ", name.replace("\xa0", " ").casefold()).split()
    return " ".join(_SUFFIXES.get(w, w) for w in words)
