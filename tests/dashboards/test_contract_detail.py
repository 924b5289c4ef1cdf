"""/contracts/ID: a contract's spend and emissions to date and its remaining estimate, for
those who see its authority's lines only (figures worked by hand in
tests/services/contracts/test_contract_linking.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from contract_factories import make_contract
from dash_tree import text
from factories import Line, make_authority, make_run
from sqlalchemy.orm import Session, sessionmaker

from dashboards.data import access as data
from dashboards.data.contracts import contract_data
from dashboards.layouts.contract_detail import contract_body, contract_detail_layout
from tracker.access import Viewer
from tracker.services.contracts.linking import link_authority
from tracker.services.contracts.listing import list_contracts
from tracker.services.reference import load_shipped_reference_data

D = dt.date


@pytest.fixture
def contract_id(session: Session, session_factory: sessionmaker[Session]) -> tuple[int, int, int]:
    load_shipped_reference_data(session)
    a, other = make_authority(session), make_authority(session)
    suppliers: dict[str, int] = {}
    make_run(session, authority=a, fy_year=2022, supplier_ids=suppliers,
             lines=[Line("Binco Ltd", "10000.00", "12856.4")])  # fmt: skip
    c = make_contract(session, authority_id=a.id, supplier="Binco Ltd", title="Refuse collection",
                      supplier_id=suppliers["Binco Ltd"], start=D(2022, 4, 1), end=D(2025, 3, 31),
                      value="3000000")  # fmt: skip
    link_authority(session, authority_id=a.id)
    return c.id, a.id, other.id


def test_owner_sees_the_figures(contract_id: tuple[int, int, int]) -> None:
    cid, a, _ = contract_id
    viewer = Viewer(None, "v@x", "viewer", a)
    content = text(contract_body(contract_data(viewer, cid, D(2024, 4, 1))))
    assert "Refuse collection" in content and "Binco Ltd" in content
    assert "£3.0m" in content and "£10,000" in content and "1 payment linked" in content
    assert "13 tCO2e" in content  # 12,856.4 kg, whole tonnes from 10 t
    # (3,000,000 - 10,000) × 1.28564 = 3,844,063.6 kg; remaining £2,990,000
    assert "3,844 tCO2e" in content and "£3.0m" in content
    # The factor 1.28564 kg/£ shown as an intensity to three decimals (dashboards.format).
    assert "Waste collection" in content and "1.286 kgCO2e/£ in 2022 prices" in content


def test_others_are_refused(contract_id: tuple[int, int, int]) -> None:
    cid, _, other = contract_id
    outsider = Viewer(None, "v@x", "officer", other)
    assert "Access denied" in text(contract_detail_layout(outsider, str(cid)))
    assert data.page_forbidden(outsider, f"/contracts/{cid}") is not None
    assert data.page_forbidden(outsider, "/contracts/999999999") is not None  # same answer
    admin = Viewer(None, "a@x", "admin", None)
    assert data.page_forbidden(admin, f"/contracts/{cid}") is None
    assert "Access denied" not in text(contract_detail_layout(admin, str(cid)))


def test_a_contract_without_a_currency_is_in_its_authoritys(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    """A US authority's contract published without a currency is in dollars (the estimate
    already took it so), never shown with a pound sign; a value published including VAT
    says so, where a value net of VAT says "net of VAT"."""
    load_shipped_reference_data(session)
    us = make_authority(session)
    us.currency = "USD"
    c = make_contract(session, authority_id=us.id, supplier="Yankee Waste", start=D(2024, 1, 1),
                      end=D(2024, 12, 31), value="120000")  # fmt: skip
    c.currency, c.flags = None, ["value_includes_vat"]
    session.flush()
    admin = Viewer(None, "a@x", "admin", None)
    content = text(contract_body(contract_data(admin, c.id, D(2024, 4, 1))))
    assert "$120,000" in content and "including VAT, as published" in content
    assert "£" not in content
    listed = list_contracts(session, admin, authority_id=us.id)
    assert [r.currency for r in listed.rows] == ["USD"]
