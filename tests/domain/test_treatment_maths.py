"""Payees and expense types treated differently (tracker.domain.treatments), by hand."""

from decimal import Decimal

from tracker.domain.treatments import differences

D = Decimal


def test_main_treatments_that_differ_are_listed_largest_first() -> None:
    """The levy: MAN excludes all £1,200 of it; TRA costs £900 in 38 and £100 in 39, so
    its main treatment is 38 with 90 % of its spend: they differ, £1,200 + £900 listed.
    The coach firm is 49.3-5 in both: not listed. Legal fees differ but are smaller."""
    rows = [
        ("supplier", "gm waste levy", "MAN", "x:levy", D("1200"), 12),
        ("supplier", "gm waste levy", "TRA", "38", D("900"), 9),
        ("supplier", "gm waste levy", "TRA", "39", D("100"), 1),
        ("supplier", "coaches ltd", "MAN", "49.3-5", D("500"), 5),
        ("supplier", "coaches ltd", "TRA", "49.3-5", D("300"), 3),
        ("expense_type", "legal fees", "MAN", "69.1", D("50"), 1),
        ("expense_type", "legal fees", "TRA", "x:legal", D("40"), 1),
    ]
    found = differences(rows)
    assert [(d.field, d.key, d.spend) for d in found] == [
        ("supplier", "gm waste levy", D("2100")),
        ("expense_type", "legal fees", D("90")),
    ]
    levy = found[0]
    assert [(u.authority, u.treatment, u.spend, u.lines, u.share) for u in levy.uses] == [
        ("MAN", "x:levy", D("1200"), 12, D(1)),
        ("TRA", "38", D("900"), 9, D("0.9")),
    ]
    assert levy.describe() == "x:levy in MAN (1,200, 100%); 38 in TRA (900, 90%)"
    assert levy.involves("TRA") and not levy.involves("STO")


def test_one_authority_alone_is_no_difference() -> None:
    rows = [
        ("supplier", "mixed", "MAN", "38", D("10"), 1),
        ("supplier", "mixed", "MAN", "x:levy", D("20"), 1),
    ]
    assert differences(rows) == []
