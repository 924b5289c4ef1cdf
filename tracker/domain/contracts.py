"""Buyer names of published contracts: one key for one buyer spelt several ways."""

from __future__ import annotations

import html

from tracker.domain.suppliers import supplier_key


def buyer_key(name: str) -> str:
    """The matching key of a published buyer name: HTML entities decoded, then as
    :func:`tracker.domain.suppliers.supplier_key`, without a leading "the".

    >>> buyer_key("The North Yorkshire Council")
    'north yorkshire council'
    >>> buyer_key("Transport For Greater Manchester")
    'transport for greater manchester'
    >>> buyer_key("Bath &amp; North East Somerset Council")
    'bath & north east somerset council'
    """
    key = supplier_key(html.unescape(name))
    return key[4:] if key.startswith("the ") else key
