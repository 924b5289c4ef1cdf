"""Buyer names of published contracts: one key for one buyer spelt several ways."""

from __future__ import annotations

import html
import re

from tracker.domain.supplier_identity import normalise_identifier
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


_ORG_ID = re.compile(r"([A-Z]{2}-[A-Z0-9]{2,10})-(.+)")
_MUTUAL = re.compile(r"(?:GB[/ -]?)?(IP\d{3,6}R)")


def party_identifier(
    scheme: str | None, identifier: str | None, party_id: str | None = None
) -> tuple[str | None, str | None]:
    """A supplier's (scheme, identifier) as :func:`normalise_identifier` keeps it: from
    the published scheme and id, else from an org-id style party id (``GB-CFS-307567``); a
    bare number is a Companies House number, and a Mutuals Public Register number
    (``IP22981R``) has the scheme GB-MPR. (None, None) when there is none that is valid.

    >>> party_identifier("GB-COH", "8229264")
    ('GB-COH', '08229264')
    >>> party_identifier(None, None, "GB-CFS-307567")
    ('GB-CFS', '307567')
    >>> party_identifier(None, "gb/IP22981R")
    ('GB-MPR', 'IP22981R')
    """
    if not (scheme and identifier) and party_id and (found := _ORG_ID.fullmatch(party_id)):
        scheme, identifier = found[1], found[2]
    if not identifier:
        return None, None
    if not scheme and (mutual := _MUTUAL.fullmatch(identifier.strip().upper())):
        return "GB-MPR", mutual[1]
    normal = normalise_identifier(scheme, identifier)
    return (normal.scheme, normal.value[:100]) if normal else (None, None)
