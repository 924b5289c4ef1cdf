"""Scope 3 category 2 (capital goods) or 1 (purchased goods and services) for a costed line.

Pure functions; the order is docs/classification-policy.md §13. The GHG Protocol
Scope 3 Standard (2011, category 2) leaves the boundary to the company's own financial
accounting: a purchase is a capital good when the company accounts for it as a fixed
asset. So the authority's own accounting, where the line carries it, decides; the kind of
purchase decides only where the ledger is silent:

1. An exclusion is never costed and has no category (buying land or an existing building
   is the exclusion ``property``: not a newly produced good, policy §2).
2. A person's override that names a category.
3. The line's capital/revenue flag (``C…`` capital → 2; ``R…`` revenue → 1): the
   authority's accounting treatment of this very payment.
4. A cost centre that names the capital programme ("CAPITAL", "Capital Schemes") → 2.
5. The evidence's own category: the rules that name capital goods (construction of new
   buildings, vehicle purchase, plant and machinery) → 2.
6. Otherwise 1.

A capital good's factor is still the group of what was bought (policy §1); only the
category changes.
"""

from __future__ import annotations

import re

CAPITAL = 2
PURCHASED = 1

# "capital" as a word of the cost centre: "CAPITAL", "Capital Schemes", "Capital - Highways"
# (not "Capitalised Cost", an accounting entry, nor "Capital Debt", which is financing and
# decided by the policy rules before any category is chosen).
_CAPITAL_WORD = re.compile(r"(?:^|[^a-z])capital(?:$|[^a-z])")
_FINANCING = re.compile(r"\b(debt|financing|receipts?|loans?)\b")


def flag_says(flag: str | None) -> int | None:
    """The category a capital/revenue flag states (``C``/``Capital`` 2, ``R``/``Revenue`` 1),
    or None when the line has no flag or an unreadable one."""
    text = (flag or "").strip().upper()
    if text.startswith("C"):
        return CAPITAL
    if text.startswith("R"):
        return PURCHASED
    return None


def capital_cost_centre(cost_centre: str | None) -> bool:
    """Whether a cost centre names the capital programme (not capital financing)."""
    text = (cost_centre or "").casefold()
    return bool(_CAPITAL_WORD.search(text)) and not _FINANCING.search(text)


def scope3_category(
    *,
    override: int | None = None,
    flag: str | None = None,
    cost_centre_capital: bool = False,
    evidence: int | None = None,
) -> int:
    """Category 2 or 1 for a costed (not excluded) line, in the order of the module doc."""
    if override is not None:
        return override
    stated = flag_says(flag)
    if stated is not None:
        return stated
    if cost_centre_capital:
        return CAPITAL
    return evidence or PURCHASED
