"""The codes the tracker stores for a line's outcome and an authority's price-year policy.

They are ``StrEnum`` members, so each compares equal to the stored text (``"mapped"`` …)
and is stored, printed and serialised as that text; human names for them are in
``tracker.domain.vocabulary``.
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


class Method(StrEnum):
    """How a line was given its category (``LineEmission.method``, ``Evidence.method``)."""

    SIC = "sic"  # the supplier's SIC code (a sector factor's own key)
    NAICS = "naics"  # the line's NAICS code (US factors' key)
    PROCLASS = "proclass"  # crosswalks from procurement codes to a group ...
    MCC = "mcc"
    CPV = "cpv"
    UNSPSC = "unspsc"
    LIBRARY = "library"  # the rule library for councils' free-text expense types
    RULE = "rule"  # the authority's own rule
    POLICY = "policy"  # a group-wide policy (exclusions, capital)
    SUGGESTION = "suggestion"  # an accepted review suggestion
    SUPPLIER_DEFAULT = "supplier-default"  # everything bought from a supplier, one way
    OVERRIDE = "override"  # an officer's decision for one line
    SUPPLIER = "supplier"  # the supplier's own emission intensity (hybrid method)
