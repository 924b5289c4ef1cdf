"""Human names for stored codes (issue 16: no raw codes such as "defra-uk-sic to-2023")."""

from __future__ import annotations

from dashboards.vocabulary import factor_set_name, method_name


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
