"""The order that decides Scope 3 category 2 (capital goods) or 1 (docs/classification-policy.md
§13; GHG Protocol Scope 3 Standard, category 2: the company's own accounting decides what
is a capital good). Cases worked out by hand from that order."""

from __future__ import annotations

import pytest

from tracker.domain.capital import capital_cost_centre, flag_says, scope3_category
from tracker.domain.classify import class_key


@pytest.mark.parametrize(
    ("flag", "expected"),
    [("C", 2), ("Capital", 2), (" capital ", 2), ("R", 1), ("Revenue", 1), ("", None),
     (None, None), ("N/A", None)],
)  # fmt: skip
def test_the_flag_states_a_category(flag: str | None, expected: int | None) -> None:
    assert flag_says(flag) == expected


@pytest.mark.parametrize(
    ("cost_centre", "capital"),
    [
        ("CAPITAL", True),  # Stockport Sep 2014
        ("Capital Schemes", True),  # Trafford Sep 2014
        ("Highways - Capital Programme", True),
        ("Capital Debt - Issuance Costs", False),  # Phoenix: financing, not a good
        ("Capital Receipts", False),
        ("Capitalised Cost", False),  # an accounting entry
        ("Highways", False),
        (None, False),
    ],
)
def test_a_capital_cost_centre(cost_centre: str | None, capital: bool) -> None:
    assert capital_cost_centre(cost_centre) is capital


def test_the_order() -> None:
    # 1. a person's override names the category: it decides, whatever else the line says
    assert scope3_category(override=1, flag="C", cost_centre_capital=True, evidence=2) == 1
    # 2. the ledger's own flag: revenue stays 1 even when the rule names a capital good
    #    (a vehicle bought from revenue is not capitalised), capital is 2 whatever was bought
    assert scope3_category(flag="R", cost_centre_capital=True, evidence=2) == 1
    assert scope3_category(flag="C", evidence=1) == 2
    # 3. no flag: a capital cost centre makes the line 2
    assert scope3_category(flag=None, cost_centre_capital=True, evidence=1) == 2
    # 4. no flag, a revenue cost centre: the evidence's own category (a vehicle purchase)
    assert scope3_category(evidence=2) == 2
    # 5. nothing says capital: 1
    assert scope3_category(evidence=None) == 1
    assert scope3_category() == 1


def test_a_capital_cost_centre_gets_a_class_of_its_own() -> None:
    line = {"expense_type": "Building works", "supplier_name": "Builders Ltd"}
    plain = class_key(line)
    # Other cost centres do not change the key (keys stored before stay valid) ...
    assert class_key({**line, "cost_centre": "Highways"}) == plain
    assert class_key({**line, "cost_centre": "Parks"}) == plain
    # ... a capital one does, so capital and revenue lines are never one class.
    capital = class_key({**line, "cost_centre": "CAPITAL"})
    assert capital != plain
    assert class_key({**line, "cost_centre": "Capital Schemes"}) == capital
