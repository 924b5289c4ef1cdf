"""Pipeline window, grouping and ranking (tracker.domain.pipeline), worked by hand."""

import datetime as dt
from decimal import Decimal

from tracker.domain.pipeline import (
    PipelineContract,
    add_months,
    by_category,
    by_supplier,
    doubtful_end,
    in_window,
    left_out_sentence,
    months_until,
    opportunities,
    window_contracts,
)

D = dt.date
TODAY = D(2026, 1, 15)


def money(amount: Decimal, currency: str) -> str:
    return f"£{amount / 1_000_000:.1f}m"


def tonnes(kg: Decimal) -> str:
    return f"{kg / 1000:,.0f} tCO2e"


def c(
    cid: int,
    auth: str,
    cat: str | None,
    supplier: str,
    end: dt.date,
    value: str | None,
    kg: str | None,
) -> PipelineContract:
    return PipelineContract(
        contract_id=cid,
        authority_code=auth,
        authority_name=auth,
        title=f"c{cid}",
        category_code=cat,
        category_name={"38": "waste services", "62": "IT services"}.get(cat or ""),
        supplier_keys=((supplier.lower(), supplier),),
        end=end,
        currency="GBP",
        value_a_year=Decimal(value) if value else None,
        kg_a_year=Decimal(kg) if kg else None,
    )


def test_add_months_and_months_until() -> None:
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 1, 15), 36) == D(2029, 1, 15)
    assert months_until(TODAY, D(2027, 7, 15)) == 18
    assert months_until(TODAY, D(2027, 7, 16)) == 19


def test_window_is_six_to_thirty_six_months() -> None:
    assert not in_window(D(2026, 7, 14), TODAY)
    assert in_window(D(2026, 7, 15), TODAY)
    assert in_window(D(2029, 1, 15), TODAY)
    assert not in_window(D(2029, 1, 16), TODAY)


WASTE = [
    c(1, "AAA", "38", "Binco", D(2027, 3, 31), "1200000", "600000"),
    c(2, "BBB", "38", "Binco", D(2027, 6, 30), "800000", "400000"),
    c(3, "CCC", "38", "Greenbin", D(2027, 7, 1), "1000000", "500000"),
    c(4, "AAA", "62", "Civica", D(2027, 1, 31), "2000000", "300000"),
    c(5, "DDD", "62", "Civica", D(2028, 1, 31), None, None),
    c(6, "AAA", None, "Somebody", D(2027, 1, 31), "50000", None),
    c(7, "EEE", "38", "Binco", D(2026, 3, 31), "900000", "450000"),  # ends in 2.5 months
]


def test_groups_and_opportunities_are_ranked_by_tonnes() -> None:
    current = window_contracts(WASTE, TODAY)
    assert [x.contract_id for x in current] == [1, 2, 3, 4, 5, 6]
    cats = by_category(current)
    assert [(g.key, g.authorities, g.value_a_year, g.kg_a_year) for g in cats] == [
        # waste: 1.2m + 0.8m + 1.0m = £3.0m; 600 + 400 + 500 = 1,500 t
        ("38", ("AAA", "BBB", "CCC"), Decimal("3000000"), Decimal("1500000")),
        ("62", ("AAA", "DDD"), Decimal("2000000"), Decimal("300000")),
        ("", ("AAA",), Decimal("50000"), Decimal(0)),
    ]
    ops = opportunities(current, TODAY, money, tonnes)
    assert [(o.rank, o.group.key, o.months) for o in ops] == [(1, "38", 18), (2, "62", 25)]
    assert ops[0].sentence == (
        "Three authorities renew waste services contracts with two suppliers within 18 months:"
        " £3.0m and 1,500 tCO2e a year"
    )
    assert ops[1].sentence.endswith("(one contract without a value not counted)")


def test_by_supplier_groups_across_authorities() -> None:
    groups = {g.key: g for g in by_supplier(window_contracts(WASTE, TODAY))}
    assert groups["binco"].authorities == ("AAA", "BBB")
    assert groups["binco"].value_a_year == Decimal("2000000")


def test_doubtful_end_flags_and_the_left_out_sentence() -> None:
    assert doubtful_end(["value_negative", "end_date_implausible"]) == ("end_date_implausible",)
    assert doubtful_end(["no_supplier"]) == ()
    reasons = {"end_date_before_start": "ends before it starts", "end_date_implausible": "late"}
    assert left_out_sentence({}, reasons) == ""
    assert left_out_sentence({"total": 1, "end_date_implausible": 1}, reasons) == (
        "1 contract ending in this window was left out because its end date is doubtful (late: 1)."
    )
