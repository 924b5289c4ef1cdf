"""NAICS codes to a factor in a NAICS-6 table, falling back 6 → 5 → 4 → 3 → 2 digits."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class NaicsMatch:
    raw: str
    code: str | None  # the NAICS-6 code whose factor is used
    level: str | None  # "naics6" exact, or "naics5".."naics2" for a fallback
    reason: str | None = None


def resolve_naics(
    raw: str, codes: Collection[str], values: Mapping[str, Decimal] | None = None
) -> NaicsMatch:
    """The factor code for ``raw``: itself when published, else the median factor under
    the longest prefix that has published codes (a real published factor, so that the
    result stays traceable to one row; the level records the fallback).
    """
    found = _DIGITS.search(raw.replace(".", ""))
    digits = found.group(0) if found else ""
    if len(digits) < 2:
        return NaicsMatch(raw, None, None, reason=f"not a NAICS code: {raw[:40]!r}")
    digits = digits[:6]
    if len(digits) == 6 and digits in codes:
        return NaicsMatch(raw, digits, "naics6")
    for width in range(min(len(digits), 5), 1, -1):
        prefix = digits[:width]
        under = sorted(c for c in codes if c.startswith(prefix))
        if under:
            if values is not None:
                under.sort(key=lambda c: (values[c], c))
            chosen = under[(len(under) - 1) // 2]
            return NaicsMatch(raw, chosen, f"naics{width}")
    return NaicsMatch(raw, None, None, reason=f"no factor for NAICS {digits} or its sectors")
