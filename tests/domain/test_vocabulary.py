"""Human names for stored codes (issue 16: no raw codes such as "defra-uk-sic to-2023")."""

from __future__ import annotations

from tracker.domain.vocabulary import (
    amount_rule_name,
    code_value,
    decided_by_name,
    evidence_words,
    factor_set_name,
    field_name,
    line_status_name,
    method_name,
    price_basis_name,
    review_status_name,
)


def test_factor_sets_are_named_by_publisher_and_edition() -> None:
    # Defra's "UK full dataset" of spend factors keyed by SIC, edition to 2023.
    assert factor_set_name("defra-uk-sic", "to-2023") == (
        "Defra UK spend factors by SIC, edition to 2023"
    )
    assert factor_set_name("epa-useeio-naics", "v1.3") == (
        "US EPA USEEIO factors by NAICS, edition v1.3"
    )
    # A family with no name yet is shown as stored, not hidden.
    assert factor_set_name("local", "2024") == "local, edition 2024"


def test_methods_say_what_decided_the_category() -> None:
    assert method_name("sic") == "supplier's SIC code"
    assert method_name("rule") == "officer's rule"
    assert method_name("library") == "description (rule library)"
    assert method_name("new-method") == "new-method"


def test_the_price_basis_is_said_in_words() -> None:
    # "matched": each year's own factors (tracker authority set --price-year-policy help).
    assert price_basis_name("matched", "ons-cpi-d7bt") == (
        "each year's own factors; spend brought to their price year with UK CPI (ONS series D7BT)"
    )
    assert price_basis_name("fixed", "us-gdpdef") == (
        "one factor year for every year; spend brought to its price year with US GDP deflator"
    )


def test_review_statuses_read_as_words() -> None:
    assert review_status_name("unmapped") == "not classified"
    assert review_status_name("mapped") == "classified, low confidence"
    assert review_status_name("excluded") == "excluded, low confidence"
    assert review_status_name("something new") == "something new"


def test_line_outcomes_and_what_decided_them_read_as_words() -> None:
    assert line_status_name("mapped") == "classified"
    assert line_status_name("excluded") == "excluded (out of scope)"
    assert line_status_name("unmapped") == "not classified"
    assert decided_by_name("sic", "42110") == "supplier's SIC code 42110"
    assert decided_by_name("library", "R075") == "description (rule library) R075"
    assert decided_by_name("rule", None) == "officer's rule"
    assert decided_by_name(None, None) == "–"


def test_evidence_that_lost_reads_as_words() -> None:
    # The stored forms are tracker.domain.classify's Evidence.describe ("METHOD REF → WHAT").
    assert evidence_words("conflict: library R058 → 86") == (
        "disagreed: description (rule library) R058 pointing to 86"
    )
    # "x:energy_own" is the exclusion reason energy_own (factors/classification, its label).
    assert evidence_words("sic 35110 → x:energy_own") == (
        "supplier's SIC code 35110 saying to exclude it as Own energy and fuel (Scope 1/2)"
    )
    assert evidence_words("refused: sic 99999 → ?: review row") == (
        "refused: supplier's SIC code 99999 with no category: review row"
    )
    assert evidence_words(None) == "–"
    assert evidence_words("a note in words") == "a note in words"


def test_file_fields_and_codes_are_named() -> None:
    assert field_name("expense_type") == "Expense type"
    assert field_name("sic") == "SIC code"
    assert field_name("transaction_id") == "Transaction number"
    assert field_name("new_field") == "New field"
    # A code is written with what it is, so it never reads as an unformatted amount.
    assert code_value("sic", "49410") == "SIC 49410"
    assert code_value("transaction_id", "100234") == "#100234"
    assert amount_rule_name("gross-minus-vat") == (
        "from the gross amount column, less the VAT column"
    )
    assert amount_rule_name("amount") == "from the amount column, as given"
