"""The codes the tracker stores for a line's outcome and an authority's price-year policy.

They are ``StrEnum`` members, so each compares equal to the stored text (``"mapped"`` …)
and is stored, printed and serialised as that text; human names for them are in
``dashboards.vocabulary``.
"""

from __future__ import annotations

from enum import StrEnum


class LineStatus(StrEnum):
    """A line's outcome in an inventory run (``LineEmission.status``)."""

    MAPPED = "mapped"  # classified to a category and costed
    UNMAPPED = "unmapped"  # nothing classifies it yet: for review
    EXCLUDED = "excluded"  # out of scope (salaries, grants, taxes ...), with its reason


class PriceYearPolicy(StrEnum):
    """How the factor year is chosen for a line's spend year (``Authority.price_year_policy``)."""

    # Each year's spend with that year's factor; outside the published years, the nearest
    # (later years deflated to the latest).
    MATCHED = "matched"
    # Every year deflated to one factor year (``Authority.fixed_vintage_year``).
    FIXED = "fixed"
