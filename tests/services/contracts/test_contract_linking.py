"""Linking payments to contracts and each contract's figures, on SQLite and PostgreSQL.

Factors: Defra "to 2023" edition as shipped (factors/data/defra-uk-sic/to-2023):
group 38 waste services 2022 = 1.28564 kgCO2e/£, 2023 = 1.30688. UK CPI D7BT (shipped):
2023 = 130.5, 2025 = 138.4. CPV 90 → group 38 (factors/crosswalks/cpv_division_to_defra.csv).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from contract_factories import make_contract
from factories import Line, make_authority, make_run
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.access import AccessDenied, Viewer
from tracker.models import ContractSpendLink, SpendLine, Supplier, SupplierIdentifier
from tracker.services.contracts.figures import contract_figures, one_contract
from tracker.services.contracts.linking import link_authority, link_note
from tracker.services.reference import load_shipped_reference_data
from tracker.services.suppliers.kpis import unplanned_contracts

D = dt.date


@pytest.fixture
def seeded(session: Session) -> dict[str, object]:
    load_shipped_reference_data(session)
    a = make_authority(session, name="Ashby Council")
    other = make_authority(session, name="Other Council")
    suppliers: dict[str, int] = {}
    # Lines are dated 1 June 2022 (make_run); kgCO2e stated here, as the run stored them.
    make_run(session, authority=a, fy_year=2022, supplier_ids=suppliers, lines=[
        Line("Binco Ltd", "10000.00", "12856.4"),
        Line("Binco Ltd", "2500.00", "3214.1"),
        Line("Paperco", "700.00", "100"),
    ])  # fmt: skip
    waste = make_contract(
        session, authority_id=a.id, supplier="Binco Ltd", supplier_id=suppliers["Binco Ltd"],
        start=D(2022, 4, 1), end=D(2025, 3, 31), value="3000000",
    )  # fmt: skip
    # Paperco: two overlapping contracts, by name only -> its payment is ambiguous.
    p1 = make_contract(session, authority_id=a.id, supplier="PAPERCO", start=D(2022, 1, 1),
                       end=D(2022, 12, 31), value="5000", cpv="30190000")  # fmt: skip
    p2 = make_contract(session, authority_id=a.id, supplier="Paperco", start=D(2021, 6, 1),
                       end=D(2023, 5, 31), value="8000", cpv="30190000")  # fmt: skip
    # A contract of another authority with the same supplier never takes A's payments.
    make_contract(session, authority_id=other.id, supplier="Binco Ltd", start=D(2022, 4, 1),
                  end=D(2025, 3, 31), value="100")  # fmt: skip
    return {"a": a, "waste": waste, "p1": p1, "p2": p2, "other": other}


def test_link_report_and_rows(session: Session, seeded: dict[str, object]) -> None:
    a = seeded["a"]
    report = link_authority(session, authority_id=a.id)  # type: ignore[attr-defined]
    assert report.as_dict() == {
        "contracts": 3,
        "lines_with_contract_supplier": 3,
        "spend_with_contract_supplier": Decimal("13200.00"),
        "linked_lines": 2,
        "linked_spend": Decimal("12500.00"),  # 10,000 + 2,500
        "linked_share_of_supplier_spend": Decimal("12500") / Decimal("13200"),
        "ambiguous_lines": 1,
        "ambiguous_spend": Decimal("700.00"),
        "methods": {"supplier-record": 2},
    }
    rows = session.execute(
        select(ContractSpendLink.contract_id, ContractSpendLink.status, ContractSpendLink.method)
        .where(ContractSpendLink.authority_id == a.id)  # type: ignore[attr-defined]
        .order_by(ContractSpendLink.contract_id, ContractSpendLink.spend_line_id)
    ).all()
    waste, p1, p2 = (seeded[k].id for k in ("waste", "p1", "p2"))  # type: ignore[attr-defined]
    assert rows == [
        (waste, "linked", "supplier-record"),
        (waste, "linked", "supplier-record"),
        (p1, "ambiguous", "supplier-name"),
        (p2, "ambiguous", "supplier-name"),
    ]
    # Linking again replaces, never adds.
    link_authority(session, authority_id=a.id)  # type: ignore[attr-defined]
    n = session.scalars(
        select(ContractSpendLink.id).where(ContractSpendLink.authority_id == a.id)  # type: ignore[attr-defined]
    ).all()
    assert len(n) == 4


def test_contract_figures_to_date_and_remaining(
    session: Session, seeded: dict[str, object]
) -> None:
    a = seeded["a"]
    link_authority(session, authority_id=a.id)  # type: ignore[attr-defined]
    officer = Viewer(1, "o@x", "officer", a.id)  # type: ignore[attr-defined]
    today = D(2024, 4, 1)
    f = one_contract(session, officer, contract_id=seeded["waste"].id, today=today)  # type: ignore[attr-defined]
    assert f.to_date.spend == Decimal("12500.00")
    assert f.to_date.kgco2e == Decimal("16070.5")  # 12,856.4 + 3,214.1
    assert f.to_date.linked_lines == 2
    e = f.estimate
    assert (e.category.code, e.category.name) == (
        "38",
        "Waste collection, treatment and disposal services; materials recovery services",
    )
    # Price year 2022 has its own factor (matched year): 1.28564, deflator 1.
    assert e.factor is not None and (e.factor.factor_year, e.factor.factor) == (
        2022,
        Decimal("1.28564"),
    )
    assert e.factor.deflator == 1
    # Remaining: 3,000,000 - 12,500 = 2,987,500; × 1.28564 = 3,840,849.5 kg
    assert e.remaining_value == Decimal("2987500.00")
    assert e.remaining_kg == Decimal("3840849.500")
    # A year: 3,000,000 over 1,096 days (1 Apr 2022 - 31 Mar 2025) = 3e6 × 365.25 / 1096
    # = £999,771.90 a year; × 1.28564 = 1,285,346.7 kg a year.
    assert e.value_a_year == pytest.approx(Decimal("999771.898"), abs=Decimal("0.001"))
    assert e.kg_a_year == pytest.approx(Decimal("1285346.7"), abs=Decimal("0.1"))
    # Remaining time: 1 April 2024 to 31 March 2025 = 365 days.
    assert e.remaining_years == Decimal(365) / Decimal("365.25")


def test_spend_in_pounds_is_never_taken_from_a_value_in_euros(
    session: Session, seeded: dict[str, object]
) -> None:
    """The waste contract stated in euros: its £12,500 of payments to date cannot be taken
    from €3,000,000 (that would be €2,987,500 of pounds and euros mixed), so what is left is
    not worked out and the note says why; its value a year (€999,771.90, as above) stands."""
    a, waste = seeded["a"], seeded["waste"]
    link_authority(session, authority_id=a.id)  # type: ignore[attr-defined]
    waste.currency = "EUR"  # type: ignore[attr-defined]
    session.flush()
    officer = Viewer(1, "o@x", "officer", a.id)  # type: ignore[attr-defined]
    f = one_contract(session, officer, contract_id=waste.id, today=D(2024, 4, 1))  # type: ignore[attr-defined]
    e = f.estimate
    assert f.to_date.spend == Decimal("12500.00")
    assert (e.remaining_value, e.remaining_years, e.remaining_kg) == (None, None, None)
    assert e.value_a_year == pytest.approx(Decimal("999771.898"), abs=Decimal("0.001"))
    assert e.note is not None and e.note.endswith(
        "what is left is not worked out: the value is in EUR, the spend to date in GBP"
    )


def test_a_payment_in_another_currency_is_counted_apart(
    session: Session, seeded: dict[str, object]
) -> None:
    """The £2,500 payment to Binco recorded in euros (a card file's currency column): the
    spend to date is the £10,000 in pounds only, the euro payment counted apart (its
    emissions carry no currency and stay); remaining: 3,000,000 - 10,000 = 2,990,000."""
    a = seeded["a"]
    link_authority(session, authority_id=a.id)  # type: ignore[attr-defined]
    line = session.scalars(
        select(SpendLine).where(SpendLine.authority_id == a.id, SpendLine.amount == 2500)  # type: ignore[attr-defined]
    ).one()
    line.currency = "EUR"
    session.flush()
    officer = Viewer(1, "o@x", "officer", a.id)  # type: ignore[attr-defined]
    f = one_contract(session, officer, contract_id=seeded["waste"].id, today=D(2024, 4, 1))  # type: ignore[attr-defined]
    t = f.to_date
    assert (t.linked_lines, t.spend, t.other_currency_lines) == (2, Decimal("10000.00"), 1)
    assert t.kgco2e == Decimal("16070.5")  # 12,856.4 + 3,214.1
    assert f.estimate.remaining_value == Decimal("2990000.00")


def test_a_value_stated_with_vat_is_taken_net(session: Session, seeded: dict[str, object]) -> None:
    """A register's "Contract value (inc VAT)" (flagged value_includes_vat on import) is
    divided by 1.2 before any estimate (methodology §3.3: Defra factors exclude VAT), and
    PPN 006's value a year including VAT does not add VAT a second time."""
    a = seeded["a"]
    c = make_contract(session, authority_id=a.id, supplier="Vatco", start=D(2022, 4, 1),  # type: ignore[attr-defined]
                      end=D(2023, 3, 31), value="1200000")  # fmt: skip
    c.flags = ["value_includes_vat"]
    big = make_contract(session, authority_id=a.id, supplier="Vatco", start=D(2026, 4, 1),  # type: ignore[attr-defined]
                        end=D(2027, 3, 31), value="7200000")  # fmt: skip
    big.flags = ["value_includes_vat"]
    session.flush()
    officer = Viewer(1, "o@x", "officer", a.id)  # type: ignore[attr-defined]
    e = one_contract(session, officer, contract_id=c.id, today=D(2022, 4, 1)).estimate
    # 365 days, under a year: £1,200,000 / 1.2 = £1,000,000 a year net of VAT; at the 2022
    # factor of group 38 (CPV 90): 1,000,000 × 1.28564 = 1,285,640 kg.
    assert e.value_a_year == Decimal(1_000_000) and e.remaining_value == Decimal(1_000_000)
    assert e.kg_a_year == Decimal("1285640")
    # £7,200,000 incl. VAT over 365 days: £6,000,000 net, £7,200,000.00 a year with VAT (not
    # 7,200,000 × 1.2 = 8,640,000).
    [listed] = [u for u in unplanned_contracts(session, [a.id], today=D(2026, 1, 1))  # type: ignore[attr-defined]
                if u.contract_id == big.id]  # fmt: skip
    assert listed.value == Decimal(7_200_000)  # as published
    assert listed.value_a_year_incl_vat == Decimal("7200000.00")


def test_a_2025_contract_is_deflated_to_the_2023_factor(
    session: Session, seeded: dict[str, object]
) -> None:
    a = seeded["a"]
    c = make_contract(session, authority_id=a.id, supplier="Newco", start=D(2025, 4, 1),  # type: ignore[attr-defined]
                      end=D(2026, 3, 31), value="1000000")  # fmt: skip
    officer = Viewer(1, "o@x", "officer", a.id)  # type: ignore[attr-defined]
    e = one_contract(session, officer, contract_id=c.id, today=D(2025, 5, 1)).estimate
    # 2025 has no factor: the 2023 factor 1.30688 with CPI 130.5 / 138.4 (methodology §3.4).
    # A 365-day contract is under a year: its value a year is its value, £1,000,000;
    # 1,000,000 × 130.5 × 1.30688 / 138.4 = 1,232,282.08 kg (bc).
    assert e.factor is not None and e.factor.factor_year == 2023
    assert e.kg_a_year == pytest.approx(Decimal("1232282.08"), abs=Decimal("0.01"))


def test_figures_are_scoped(session: Session, seeded: dict[str, object]) -> None:
    a, other = seeded["a"], seeded["other"]
    outsider = Viewer(2, "v@x", "viewer", other.id)  # type: ignore[attr-defined]
    with pytest.raises(AccessDenied):
        one_contract(session, outsider, contract_id=seeded["waste"].id, today=D(2024, 1, 1))  # type: ignore[attr-defined]
    with pytest.raises(AccessDenied):
        contract_figures(session, outsider, authority_id=a.id, today=D(2024, 1, 1))  # type: ignore[attr-defined]
    admin = Viewer(3, "a@x", "admin", None)
    rows = contract_figures(session, admin, authority_id=a.id, today=D(2024, 1, 1))  # type: ignore[attr-defined]
    assert len(rows) == 3


def test_link_note(session: Session, seeded: dict[str, object]) -> None:
    report = link_authority(session, authority_id=seeded["a"].id)  # type: ignore[attr-defined]
    assert link_note(report) == (
        "Payments linked to contracts: 2; 1 could belong to several contracts (not linked)."
    )
    lonely = make_authority(session)
    assert link_note(link_authority(session, authority_id=lonely.id)) is None


def test_identifier_and_merged_supplier_link(session: Session) -> None:
    """A payee whose supplier carries the contract's Companies House number links by
    identifier although the names differ; a payee whose supplier was merged into the
    contract's supplier links by the shared record."""
    load_shipped_reference_data(session)
    a = make_authority(session)
    suppliers: dict[str, int] = {}
    make_run(session, authority=a, fy_year=2022, supplier_ids=suppliers, lines=[
        Line("Civica Services", "5000.00", "0"),
        Line("Old Bins Name", "700.00", "0"),
    ])  # fmt: skip
    session.add(SupplierIdentifier(supplier_id=suppliers["Civica Services"], scheme="GB-COH",
                                   value="01628868", source="test"))  # fmt: skip
    it = make_contract(session, authority_id=a.id, supplier="CIVICA UK LIMITED", scheme="GB-COH",
                       identifier="01628868", start=D(2022, 1, 1), end=D(2023, 12, 31),
                       value="90000", cpv="72000000")  # fmt: skip
    survivor = Supplier(name_key=f"bins survivor {a.code}", name="Bins Survivor")
    session.add(survivor)
    session.flush()
    session.get_one(Supplier, suppliers["Old Bins Name"]).merged_into_id = survivor.id
    bins = make_contract(session, authority_id=a.id, supplier="Bins Survivor",
                         supplier_id=survivor.id, start=D(2022, 1, 1), end=D(2023, 12, 31),
                         value="9000")  # fmt: skip
    report = link_authority(session, authority_id=a.id)
    assert report.methods == {"supplier-identifier": 1, "supplier-record": 1}
    rows = dict(
        session.execute(
            select(ContractSpendLink.contract_id, ContractSpendLink.method).where(
                ContractSpendLink.authority_id == a.id
            )
        ).all()
    )
    assert rows == {it.id: "supplier-identifier", bins.id: "supplier-record"}


def test_a_value_with_vat_in_another_currency_is_taken_as_published(
    session: Session, seeded: dict[str, object]
) -> None:
    """The UK rate (÷ 1.2) is no other country's VAT: a value published including VAT in
    euros is taken as published (€1,200,000 over 365 days: €1,200,000 a year), and the
    estimate says so."""
    a = seeded["a"]
    c = make_contract(session, authority_id=a.id, supplier="Vatco", start=D(2022, 4, 1),  # type: ignore[attr-defined]
                      end=D(2023, 3, 31), value="1200000")  # fmt: skip
    c.flags, c.currency = ["value_includes_vat"], "EUR"
    session.flush()
    officer = Viewer(1, "o@x", "officer", a.id)  # type: ignore[attr-defined]
    e = one_contract(session, officer, contract_id=c.id, today=D(2022, 4, 1)).estimate
    assert e.value_a_year == Decimal(1_200_000)
    assert e.note is not None
    assert "the value includes VAT at a rate not known for EUR: taken as published" in e.note
