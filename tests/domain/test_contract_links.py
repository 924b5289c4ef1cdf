"""Payment-to-contract matching (tracker.domain.contract_links), cases worked by hand."""

import datetime as dt
from decimal import Decimal

from tracker.domain.contract_links import (
    AMBIGUOUS,
    LINKED,
    ContractTerms,
    Party,
    Payment,
    amount_plausible,
    date_fit,
    match_payment,
    supplier_method,
)

D = dt.date
CIVICA = Party(
    supplier_id=7, identifiers=frozenset({("GB-COH", "01628868")}), name_key="civica uk ltd"
)


def pay(day: dt.date, amount: str = "1000", payee: Party = CIVICA, **kw: object) -> Payment:
    return Payment(id=1, authority_id=1, day=day, amount=Decimal(amount), payee=payee, **kw)  # type: ignore[arg-type]


def contract(
    cid: int,
    start: dt.date | None,
    end: dt.date | None,
    value: str | None = "100000",
    suppliers: tuple[Party, ...] = (CIVICA,),
    authority_id: int = 1,
) -> ContractTerms:
    return ContractTerms(
        cid, authority_id, start, end, Decimal(value) if value else None, suppliers
    )


def test_supplier_method_prefers_identifier_then_record_then_name() -> None:
    by_id = Party(identifiers=frozenset({("GB-COH", "01628868")}))
    by_record = Party(supplier_id=7)
    by_name = Party(name_key="civica uk ltd")
    assert supplier_method(CIVICA, [by_name, by_id]) == "supplier-identifier"
    assert supplier_method(CIVICA, [by_name, by_record]) == "supplier-record"
    assert supplier_method(CIVICA, [by_name]) == "supplier-name"
    assert supplier_method(CIVICA, [Party(supplier_id=8, name_key="capita plc")]) is None


def test_date_fit_with_grace() -> None:
    start, end = D(2022, 4, 1), D(2023, 3, 31)
    assert date_fit(pay(D(2022, 4, 1)), start, end) == "in period"
    assert date_fit(pay(D(2023, 3, 31)), start, end) == "in period"
    # 31 days before 1 April 2022 is 1 March 2022; 92 days after 31 March 2023 is 1 July 2023
    assert date_fit(pay(D(2022, 3, 1)), start, end) == "in grace"
    assert date_fit(pay(D(2022, 2, 28)), start, end) is None
    assert date_fit(pay(D(2023, 7, 1)), start, end) == "in grace"
    assert date_fit(pay(D(2023, 7, 2)), start, end) is None
    assert date_fit(pay(D(2030, 1, 1)), start, None) == "open period"
    assert date_fit(pay(D(2022, 1, 1)), None, None) is None


def test_month_precision_matches_when_any_day_of_the_month_does() -> None:
    # Stockport dates its payments "Sep 2014": a contract starting 15 October 2014 is 14
    # days after 30 September, within the 31-day grace; one starting 1 November 2014 is
    # 32 days after, outside it.
    month = pay(D(2014, 9, 1), precision="month")
    assert date_fit(month, D(2014, 10, 15), D(2015, 10, 14)) == "in grace"
    assert date_fit(month, D(2014, 11, 1), D(2015, 10, 31)) is None
    assert date_fit(month, D(2014, 9, 30), D(2015, 9, 29)) == "in period"


def test_amount_plausible() -> None:
    assert amount_plausible(Decimal("110000"), Decimal("100000"))
    assert not amount_plausible(Decimal("110000.01"), Decimal("100000"))
    assert amount_plausible(Decimal("-5000"), Decimal("100000"))
    assert amount_plausible(Decimal("9e9"), None)


def test_one_contract_links_with_method_and_score() -> None:
    m = match_payment(pay(D(2022, 6, 1)), [contract(10, D(2022, 4, 1), D(2024, 3, 31))])
    assert m is not None and m.status == LINKED and m.chosen is not None
    assert (m.chosen.contract_id, m.chosen.method, m.chosen.score) == (
        10,
        "supplier-identifier",
        Decimal("1.0"),
    )


def test_other_authority_never_matches() -> None:
    assert (
        match_payment(
            pay(D(2022, 6, 1)), [contract(10, D(2022, 4, 1), D(2024, 3, 31), authority_id=2)]
        )
        is None
    )


def test_two_overlapping_contracts_are_ambiguous_not_linked() -> None:
    both = [
        contract(10, D(2022, 4, 1), D(2024, 3, 31)),
        contract(11, D(2022, 1, 1), D(2022, 12, 31)),
    ]
    m = match_payment(pay(D(2022, 6, 1)), both)
    assert m is not None and m.status == AMBIGUOUS and m.chosen is None
    assert [c.contract_id for c in m.candidates] == [10, 11]


def test_a_clearly_better_match_is_linked() -> None:
    # Identifier match (1.0) against a name-only match (0.8): margin 0.2 >= 0.15.
    by_name = contract(
        11, D(2022, 1, 1), D(2022, 12, 31), suppliers=(Party(name_key="civica uk ltd"),)
    )
    m = match_payment(pay(D(2022, 6, 1)), [by_name, contract(10, D(2022, 4, 1), D(2024, 3, 31))])
    assert (
        m is not None and m.status == LINKED and m.chosen is not None and m.chosen.contract_id == 10
    )


def test_renewal_overlap_in_grace_is_still_ambiguous() -> None:
    # Old contract ended 31 March 2022; new one began 1 April 2022. A payment on 20 April
    # is in the new period (1.0) and in the old one's grace (0.9): margin 0.1 < 0.15.
    old, new = (
        contract(10, D(2020, 4, 1), D(2022, 3, 31)),
        contract(11, D(2022, 4, 1), D(2025, 3, 31)),
    )
    m = match_payment(pay(D(2022, 4, 20)), [old, new])
    assert m is not None and m.status == AMBIGUOUS
    assert [(c.contract_id, c.score) for c in m.candidates] == [
        (11, Decimal("1.0")),
        (10, Decimal("0.9")),
    ]


def test_penalties_for_open_period_and_missing_value() -> None:
    m = match_payment(pay(D(2022, 6, 1)), [contract(10, D(2022, 4, 1), None, value=None)])
    assert m is not None and m.chosen is not None
    assert m.chosen.score == Decimal("0.85")  # 1.0 - 0.10 (open) - 0.05 (no value)
    assert len(m.chosen.notes) == 2


def test_payment_larger_than_the_contract_is_not_linked() -> None:
    assert (
        match_payment(
            pay(D(2022, 6, 1), amount="500000"), [contract(10, D(2022, 4, 1), D(2024, 3, 31))]
        )
        is None
    )
