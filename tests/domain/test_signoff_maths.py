"""Doubt, tonnes at stake and the sign-off list (tracker.domain.signoff), worked by hand.

The year below: classified spend £1,600 with 800 kg (0.5 kg/£); £300 unclassified, so
estimated at 300 × 0.5 = 150 kg; £1,000 excluded. The year's kg: 600 + 200 + 150 = 950;
80 % of it is 760. Largest first: 600 (short of 760), then 600 + 200 = 800 ≥ 760: two
groups.
"""

from __future__ import annotations

from decimal import Decimal as D

from tracker.domain.signoff import (
    CONFIRMED,
    RECONFIRM,
    Decision,
    at_stake_kg,
    average_intensity,
    confirmation_state,
    counted_kg,
    doubt,
    signoff_list,
)


def test_doubt_by_confidence() -> None:
    assert doubt("mapped", "high") == D("0.05")
    assert doubt("mapped", "medium") == D("0.20")
    assert doubt("mapped", "low") == D("0.50")
    assert doubt("excluded", "high") == D("0.05")
    assert doubt("unmapped", None) == 1
    assert doubt("mapped", None) == D("0.50")  # no confidence recorded counts as low


def test_average_intensity() -> None:
    assert average_intensity(D("1600"), D("800")) == D("0.5")
    assert average_intensity(D(0), D(0)) == 0


def test_counted_and_at_stake() -> None:
    i = D("0.5")
    assert counted_kg("mapped", D("1200"), D("600"), i) == D("600")
    assert counted_kg("unmapped", D("300"), D(0), i) == D("150")
    assert counted_kg("excluded", D("1000"), D(0), i) == 0
    assert at_stake_kg("mapped", "high", D("1200"), D("600"), i) == D("30")  # 600 × 5 %
    assert at_stake_kg("mapped", "medium", D("400"), D("200"), i) == D("40")  # 200 × 20 %
    assert at_stake_kg("unmapped", None, D("300"), D(0), i) == D("150")  # 150 × 100 %
    # excluded wrongly, it would add 1000 × 0.5 = 500 kg; high confidence: 5 % of that
    assert at_stake_kg("excluded", "high", D("1000"), D(0), i) == D("25")


def test_signoff_list_is_the_fewest_largest_first() -> None:
    kg = {"a": D("600"), "b": D("200"), "c": D("150"), "d": D(0)}
    assert signoff_list(["d", "c", "a", "b"], kg.__getitem__) == ["a", "b"]


def test_signoff_list_stops_exactly_at_80_percent() -> None:
    kg = {"a": D("80"), "b": D("20")}  # 80 of 100 is exactly 80 %
    assert signoff_list(["b", "a"], kg.__getitem__) == ["a"]


def test_credit_notes_count_against_the_total() -> None:
    # total 100 - 50 + 50 = 100, target 80: 100 alone reaches it
    kg = {"a": D("100"), "b": D("-50"), "c": D("50")}
    assert signoff_list(["b", "c", "a"], kg.__getitem__) == ["a"]
    assert signoff_list(["x"], {"x": D(0)}.__getitem__) == []


def test_confirmation_state() -> None:
    d = Decision("mapped", "26", "26", None)
    assert confirmation_state(None, d) is None
    assert confirmation_state(d, Decision("mapped", "26", "26", None)) == CONFIRMED
    assert confirmation_state(d, Decision("mapped", "62", "62", None)) == RECONFIRM
    assert confirmation_state(d, Decision("excluded", None, None, "excluded: levy")) == RECONFIRM
