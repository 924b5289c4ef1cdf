"""Why a run is out of date, in words, from the inputs it recorded and today's."""

from __future__ import annotations

from typing import Any

from tracker.domain.staleness import stale_reasons, stale_sentence

RECORDED: dict[str, Any] = {
    "batches": [1, 2],
    "overrides": "aaaa",
    "lines": 10,
    "amount": "1000.00",
    "supplier_factors": [7],
    "price_year_policy": "matched",
    "fixed_vintage_year": None,
    "factor_family": "defra-uk-sic",
    "factor_edition": "to-2023",
    "factor_tables": "abc",
    "classification": "f1",
    "rules": {"1": "r1", "2": "r2", "3": "r3"},
    "tracker_version": "1.0",
}


def test_an_unchanged_run_is_up_to_date() -> None:
    assert stale_reasons(RECORDED, dict(RECORDED)) == []


def test_rules_and_files_changed_are_counted() -> None:
    # rule 1 edited, rule 3 deleted, rule 4 added: three rules; batches 3 and 4 are new
    now = RECORDED | {
        "batches": [1, 2, 3, 4],
        "lines": 14,
        "classification": "f2",
        "rules": {"1": "r1-edited", "2": "r2", "4": "r4"},
    }
    reasons = stale_reasons(RECORDED, now)
    assert reasons == ["2 files imported", "3 rules changed"]
    assert stale_sentence(reasons) == (
        "Figures out of date: 2 files imported, 3 rules changed since this run; recalculate."
    )
    assert stale_sentence(reasons, locked=True) == (
        "Figures out of date: 2 files imported, 3 rules changed since this run; the year is "
        "locked, so recalculating leaves it as it is: restate it, with a reason, to bring it "
        "up to date."
    )


def test_each_input_is_named() -> None:
    now = RECORDED | {
        "batches": [1],
        "overrides": "bbbb",
        "supplier_factors": [7, 8],
        "factor_edition": "to-2022",
        "price_year_policy": "fixed",
        "fixed_vintage_year": 2022,
        "tracker_version": "1.1",
    }
    assert stale_reasons(RECORDED, now) == [
        "1 file deleted",
        "line overrides changed",
        "1 supplier factor added",
        # The factor sets by name (tracker.domain.vocabulary), not "defra-uk-sic to-2023".
        "factors changed from Defra UK spend factors by SIC, edition to 2023 to "
        "Defra UK spend factors by SIC, edition to 2022",
        "the price-year policy changed",
        "the tracker was updated (1.0 to 1.1)",
    ]


def test_a_run_that_recorded_no_factor_set_names_only_the_new_one() -> None:
    older = RECORDED | {"factor_family": None, "factor_edition": None}
    assert stale_reasons(older, RECORDED) == [
        "factors changed to Defra UK spend factors by SIC, edition to 2023"
    ]


def test_exchange_rates_are_named() -> None:
    recorded = RECORDED | {"rates": "r1"}
    assert stale_reasons(recorded, recorded | {"rates": "r2"}) == ["exchange rates changed"]


def test_lines_changed_within_the_same_files() -> None:
    assert stale_reasons(RECORDED, RECORDED | {"amount": "900.00"}) == ["spend lines changed"]


def test_a_run_recorded_before_rule_digests_is_judged_on_what_it_recorded() -> None:
    older = {k: v for k, v in RECORDED.items() if k != "rules"}
    assert stale_reasons(older, RECORDED) == []
    assert stale_reasons(older, RECORDED | {"classification": "f2"}) == [
        "the supplier defaults, counted exclusions or shipped classification changed"
    ]
