"""Human names for the codes the tracker stores: classification methods, line statuses
and factor sets.

Tables and sentences (dashboards, command line, reports) show these names, never the
stored code ("defra-uk-sic to-2023", "sic"). A code with no name yet is shown as it is
rather than hidden. Pure functions.
"""

from __future__ import annotations

from tracker.domain.codes import LineStatus, Method, PriceYearPolicy

#: How a line was given its category (``LineEmission.method``).
METHOD_NAMES: dict[str, str] = {
    Method.SIC: "supplier's SIC code",
    Method.NAICS: "NAICS code",
    Method.PROCLASS: "ProClass code",
    Method.MCC: "card merchant code",
    Method.CPV: "CPV code",
    Method.UNSPSC: "UNSPSC code",
    Method.LIBRARY: "description (rule library)",
    Method.RULE: "officer's rule",
    Method.POLICY: "group-wide policy",
    Method.SUGGESTION: "suggestion",
    Method.SUPPLIER: "supplier-specific factor",
    "unknown": "method not recorded",
}

#: Factor families (``FactorSet.family``) by publisher and what they are keyed by.
FAMILY_NAMES: dict[str, str] = {
    "defra-uk-sic": "Defra UK spend factors by SIC",
    "epa-useeio-naics": "US EPA USEEIO factors by NAICS",
}


#: A line's outcome (``LineEmission.status``) as the review queue shows it.
REVIEW_STATUS_NAMES: dict[str, str] = {
    LineStatus.UNMAPPED: "not classified",
    LineStatus.MAPPED: "classified, low confidence",
    LineStatus.EXCLUDED: "excluded, low confidence",
}


def review_status_name(code: str) -> str:
    """``"mapped"`` → ``"classified, low confidence"`` (the queue holds only unclassified
    and low-confidence lines); an unnamed code as it is."""
    return REVIEW_STATUS_NAMES.get(code, code)


def method_name(code: str) -> str:
    """``"sic"`` → ``"supplier's SIC code"``; an unnamed code as it is."""
    return METHOD_NAMES.get(code, code)


def factor_set_name(family: str, edition: str) -> str:
    """``("defra-uk-sic", "to-2023")`` → ``"Defra UK spend factors by SIC, edition to 2023"``."""
    name = FAMILY_NAMES.get(family, family)
    return f"{name}, edition {edition.replace('-', ' ')}"


#: Price indices (``PriceIndex.key``) by their publisher's name for the series.
INDEX_NAMES: dict[str, str] = {
    "ons-cpi-d7bt": "UK CPI (ONS series D7BT)",
    "us-gdpdef": "US GDP deflator",
}


def price_basis_name(policy: str, index_key: str) -> str:
    """Which factor year was used and how spend was brought to its price year, in words.

    ``("matched", "ons-cpi-d7bt")`` → ``"each year's own factors; spend brought to their
    price year with UK CPI (ONS series D7BT)"``; ``"fixed"``: one factor year for all.
    """
    index = INDEX_NAMES.get(index_key, index_key)
    if policy == PriceYearPolicy.MATCHED:
        return f"each year's own factors; spend brought to their price year with {index}"
    if policy == PriceYearPolicy.FIXED:
        return f"one factor year for every year; spend brought to its price year with {index}"
    return f"{policy} ({index})"
