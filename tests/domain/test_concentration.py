"""Lines carrying most of their category (tracker.domain.concentration), by hand."""

from __future__ import annotations

from decimal import Decimal

from tracker.domain.concentration import CategoryTop, dominated

D = Decimal


def test_a_line_over_half_its_category_and_material_to_the_year_is_flagged() -> None:
    # 62: 958.6 of 1,686.4 t (56.8 %), 4.0 % of 23,968.9 t: Salford 2019's Capita line
    capita = CategoryTop("62", 200, D("1686381.23"), D("958621.27"))
    # 55: many large lines, none over half
    housing = CategoryTop("55", 400, D("4309260.56"), D("413884.36"))
    # half exactly is not more than half
    half = CategoryTop("85", 10, D("2000"), D("1000"))
    # over half, but 9 lines only
    few = CategoryTop("88", 9, D("2000"), D("1900"))
    # over half of its category, but 0.5 % of the year: nothing reported changes
    small = CategoryTop("10", 10, D("150"), D("120"))
    # credits exceeding purchases: no share to speak of
    negative = CategoryTop("20", 10, D("-5"), D("10"))
    year = D("23968946.75")
    assert dominated([housing, capita, half, few, small, negative], year) == [capita]
    assert dominated([small], D("12000")) == [small]  # 120 of 12,000 is 1 %: material
    assert dominated([capita], D(0)) == []


def test_flagged_categories_come_largest_share_first() -> None:
    a = CategoryTop("a", 10, D("100"), D("60"))
    b = CategoryTop("b", 10, D("100"), D("90"))
    assert dominated([a, b], D("1000")) == [b, a]
