"""Human names for stored codes (issue 16: no raw codes such as "defra-uk-sic to-2023")."""

from __future__ import annotations

from tracker.domain.vocabulary import (
    factor_set_name,
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
