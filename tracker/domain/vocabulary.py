"""Human names for the codes the tracker stores: classification methods, line statuses
and factor sets.

Tables and sentences (dashboards, command line, reports) show these names, never the
stored code ("defra-uk-sic to-2023", "sic"). A code with no name yet is shown as it is
rather than hidden. Pure functions.
"""

from __future__ import annotations

import re

from factors.classification import exclusion_reasons
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
    Method.SUPPLIER_DEFAULT: "supplier's usual category",
    Method.OVERRIDE: "officer's override",
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


#: The fields of a spend file (tracker.importers.FIELDS) as the upload page names them.
FIELD_NAMES: dict[str, str] = {
    "row": "Row",
    "date": "Date",
    "amount": "Amount",
    "net_amount": "Net amount",
    "gross_amount": "Gross amount",
    "vat": "VAT",
    "supplier": "Supplier",
    "description": "Description",
    "expense_type": "Expense type",
    "sic": "SIC code",
    "naics": "NAICS code",
    "proclass": "ProClass code",
    "mcc": "Card merchant code",
    "cpv": "CPV code",
    "unspsc": "UNSPSC code",
    "currency": "Currency",
    "transaction_id": "Transaction number",
    "cost_centre": "Cost centre",
    "capital_or_revenue": "Capital or revenue",
    "original_amount": "Original amount",
    "original_currency": "Original currency",
}

#: How an identifier of each code field is written in a table, so that it never reads as
#: an amount: "SIC 49410", "#100234".
_CODE_PREFIX: dict[str, str] = {
    "sic": "SIC ",
    "naics": "NAICS ",
    "proclass": "ProClass ",
    "mcc": "MCC ",
    "cpv": "CPV ",
    "unspsc": "UNSPSC ",
    "transaction_id": "#",
}


#: Which column the stored spend was read from (``ParsedSpend.amount_rule``).
AMOUNT_RULE_NAMES: dict[str, str] = {
    "net": "from the net amount column",
    "gross-minus-vat": "from the gross amount column, less the VAT column",
    "amount": "from the amount column, as given",
    "gross": "from the gross amount column (VAT included)",
}


def amount_rule_name(code: str) -> str:
    """``"gross-minus-vat"`` → ``"from the gross amount column, less the VAT column"``;
    an unnamed rule as it is."""
    return AMOUNT_RULE_NAMES.get(code, code)


def field_name(code: str) -> str:
    """``"expense_type"`` → ``"Expense type"``; an unnamed field in words."""
    return FIELD_NAMES.get(code, code.replace("_", " ").capitalize())


def code_value(field: str, value: str) -> str:
    """A classification code or identifier with what it is: ``("sic", "49410")`` →
    ``"SIC 49410"``, ``("transaction_id", "100234")`` → ``"#100234"``."""
    return f"{_CODE_PREFIX.get(field, '')}{value}"


#: A line's outcome (``LineEmission.status``) in the coverage table of a year.
LINE_STATUS_NAMES: dict[str, str] = {
    LineStatus.MAPPED: "classified",
    LineStatus.EXCLUDED: "excluded (out of scope)",
    LineStatus.UNMAPPED: "not classified",
}


def line_status_name(code: str) -> str:
    """``"mapped"`` → ``"classified"``; an unnamed code as it is."""
    return LINE_STATUS_NAMES.get(code, code)


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


def decided_by_name(method: str | None, ref: str | None) -> str:
    """What decided a line, in words: ``("sic", "42110")`` → ``"supplier's SIC code
    42110"``, ``("library", "R075")`` → ``"description (rule library) R075"``; ``"–"``
    when nothing did."""
    if not method:
        return "–"
    name = method_name(method)
    return f"{name} {ref}" if ref else name


# One piece of stored evidence (tracker.domain.classify.Evidence.describe): "METHOD REF →
# WHAT", optionally after "conflict: " or "refused: ", with a reason after ": " when set aside.
_EVIDENCE = re.compile(r"^(?P<kind>conflict: |refused: )?(?P<method>[a-z-]+) (?P<rest>.*)$")
_EVIDENCE_KIND = {"conflict: ": "disagreed: ", "refused: ": "refused: "}


def exclusion_name(code: str) -> str:
    """An exclusion reason's label (``"energy_own"`` → its label in the classification
    policy); an unnamed code as it is."""
    reason = exclusion_reasons().get(code)
    return reason.label if reason else code


def _evidence_piece(piece: str) -> str:
    m = _EVIDENCE.match(piece)
    if m is None or m.group("method") not in METHOD_NAMES:
        return piece
    rest = re.sub(
        r"→ x:([a-z_]+)",
        lambda x: f"saying to exclude it as {exclusion_name(x.group(1))}",
        m.group("rest"),
    )
    rest = rest.replace("→ ?", "with no category").replace("→ ", "pointing to ")
    kind = _EVIDENCE_KIND.get(m.group("kind") or "", "")
    return f"{kind}{method_name(m.group('method'))} {rest}".strip()


def evidence_words(text: str | None) -> str:
    """Stored evidence that lost or was set aside, in words: ``"conflict: library R058 →
    86"`` → ``"disagreed: description (rule library) R058 pointing to 86"``; an exclusion
    ``x:REASON`` by its label. ``"–"`` for none; text in another form as it is."""
    if not text:
        return "–"
    return "; ".join(_evidence_piece(p) for p in text.split("; "))
