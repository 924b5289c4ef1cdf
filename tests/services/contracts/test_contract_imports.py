"""The contract import service: one transaction, buyers mapped to authorities by role,
no duplicates on re-import, newer releases update, raw file kept by sha256; and the
contract list, scoped like spend lines. Figures are read off the fixtures by hand."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.access import AccessDenied, Viewer
from tracker.errors import TrackerError
from tracker.models import Authority, Contract, ContractBuyer, ContractFile, ContractParty, Supplier
from tracker.services.authorities import add_authority
from tracker.services.contracts.buyers import unmapped_buyers
from tracker.services.contracts.imports import import_contract_file
from tracker.services.contracts.listing import list_contracts
from tracker.storage import rawfiles

ADMIN = Viewer(user_id=None, email="admin@test", role="admin", authority_id=None)


def officer(authority: Authority, role: str = "officer") -> Viewer:
    return Viewer(user_id=1, email=f"{role}@test", role=role, authority_id=authority.id)


def two_authorities(session: Session) -> tuple[Authority, Authority]:
    tag = uuid.uuid4().hex[:5].upper()
    return (
        add_authority(session, code=f"A{tag}", name="Alpha Council"),
        add_authority(session, code=f"B{tag}", name="Beta Council"),
    )


def award(ocid: str, date: str, buyer: str, amount: float, supplier: str = "Bus Co Ltd") -> dict:  # type: ignore[type-arg]
    return {
        "ocid": ocid,
        "id": f"{ocid}-{date}",
        "date": date,
        "tag": ["award"],
        "buyer": {"name": buyer},
        "tender": {"title": "Buses", "classification": {"scheme": "CPV", "id": "60112000"}},
        "awards": [
            {
                "id": "1",
                "status": "active",
                "value": {"amount": amount, "currency": "GBP"},
                "suppliers": [{"name": supplier}],
                "contractPeriod": {"startDate": "2025-04-01", "endDate": "2027-03-31"},
            }
        ],
    }


def package(tmp_path: Path, name: str, *releases: dict) -> Path:  # type: ignore[type-arg]
    path = tmp_path / name
    path.write_text(json.dumps({"releases": list(releases)}), encoding="utf-8")
    return path


def count(session: Session, model: type, **where: object) -> int:
    query = select(func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return int(session.scalar(query) or 0)


def test_single_buyer_file_maps_and_imports_once(session: Session, tmp_path: Path) -> None:
    alpha, _ = two_authorities(session)
    path = package(
        tmp_path, "one.json", award("ocds-a", "2025-01-01T00:00:00Z", "Alpha Council", 1200)
    )
    store = tmp_path / "store"
    first = import_contract_file(
        session, viewer=officer(alpha), path=path, data_dir=store, authority=alpha.code
    )
    assert dict(first.added) == {alpha.code: 1}
    assert first.mapped == [f"Alpha Council → {alpha.code}"]
    [contract] = session.scalars(select(Contract).where(Contract.authority_id == alpha.id))
    assert (contract.value_amount, contract.currency, contract.status) == (
        Decimal("1200.00"), "GBP", "awarded",
    )  # fmt: skip
    assert rawfiles.stored_path(store, first.sha256).exists()
    assert session.get_one(ContractFile, first.file_id).report["added"] == {alpha.code: 1}
    again = import_contract_file(
        session, viewer=officer(alpha), path=path, data_dir=store, authority=alpha.code
    )
    assert (dict(again.added), dict(again.unchanged)) == ({}, {alpha.code: 1})
    assert count(session, Contract, authority_id=alpha.id) == 1
    assert count(session, ContractParty, contract_id=contract.id) == 1


def test_newer_release_updates_and_older_does_not(session: Session, tmp_path: Path) -> None:
    alpha, _ = two_authorities(session)
    store = tmp_path / "store"

    def load(name: str, date: str, amount: float) -> None:
        path = package(tmp_path, name, award("ocds-b", date, "Alpha Council", amount, "New Co"))
        import_contract_file(session, viewer=ADMIN, path=path, data_dir=store, authority=alpha.code)

    load("v1.json", "2025-01-01T00:00:00Z", 100)
    load("v2.json", "2025-02-01T00:00:00+01:00", 150)  # later: updates
    load("v0.json", "2024-12-01T00:00:00Z", 90)  # earlier: left as it is
    [contract] = session.scalars(select(Contract).where(Contract.authority_id == alpha.id))
    assert contract.value_amount == Decimal("150.00")
    assert [p.name for p in session.scalars(select(ContractParty).where(
        ContractParty.contract_id == contract.id))] == ["New Co"]  # fmt: skip


def test_award_supersedes_planned_contract(session: Session, tmp_path: Path) -> None:
    alpha, _ = two_authorities(session)
    store = tmp_path / "store"
    tender = {
        "ocid": "ocds-c", "id": "t", "date": "2025-01-01T00:00:00Z", "tag": ["tender"],
        "buyer": {"name": "Alpha Council"},
        "tender": {"status": "active", "title": "Waste",
                   "value": {"amount": 5000, "currency": "GBP"},
                   "contractPeriod": {"startDate": "2026-04-01", "endDate": "2031-03-31"}},
    }  # fmt: skip
    plan = package(tmp_path, "tender.json", tender)
    import_contract_file(session, viewer=ADMIN, path=plan, data_dir=store, authority=alpha.code)
    assert [c.status for c in session.scalars(select(Contract).where(
        Contract.authority_id == alpha.id))] == ["planned"]  # fmt: skip
    done = package(
        tmp_path, "award.json", award("ocds-c", "2025-03-01T00:00:00Z", "Alpha Council", 4800)
    )
    result = import_contract_file(
        session, viewer=ADMIN, path=done, data_dir=store, authority=alpha.code
    )
    assert dict(result.superseded) == {alpha.code: 1}
    assert [(c.status, c.source_key) for c in session.scalars(select(Contract).where(
        Contract.authority_id == alpha.id))] == [("awarded", "ocds-c/1")]  # fmt: skip


def test_many_buyers_import_only_mapped_and_permitted(session: Session, tmp_path: Path) -> None:
    alpha, beta = two_authorities(session)
    store = tmp_path / "store"
    path = package(
        tmp_path, "many.json",
        award("ocds-d", "2025-01-01T00:00:00Z", "Alpha Council", 10),
        award("ocds-e", "2025-01-01T00:00:00Z", "THE ALPHA COUNCIL", 20),
        award("ocds-f", "2025-01-01T00:00:00Z", "Beta Council", 30),
        award("ocds-g", "2025-01-01T00:00:00Z", "Gamma Portal", 40),
    )  # fmt: skip
    # Several buyers and no --buyer: nothing is mapped, so nothing is imported.
    with pytest.raises(TrackerError, match="none of its 4 contracts has a buyer mapped"):
        import_contract_file(
            session, viewer=officer(alpha), path=path, data_dir=store, authority=alpha.code
        )
    # An officer may not map a buyer to another authority.
    with pytest.raises(AccessDenied):
        import_contract_file(
            session, viewer=officer(alpha), path=path, data_dir=store,
            buyers={"Beta Council": beta.code},
        )  # fmt: skip
    result = import_contract_file(
        session, viewer=officer(alpha), path=path, data_dir=store,
        authority=alpha.code, buyers={"Alpha Council": alpha.code},
    )  # fmt: skip
    # "THE ALPHA COUNCIL" is the same buyer (its key drops case and a leading "the").
    assert dict(result.added) == {alpha.code: 2}
    assert result.unmapped == {"Beta Council": 1, "Gamma Portal": 1}
    session.add(ContractBuyer(name_key="beta council", name="Beta Council",
                              authority_id=beta.id, created_by="admin"))  # fmt: skip
    again = import_contract_file(
        session, viewer=officer(alpha), path=path, data_dir=store, authority=alpha.code
    )
    assert again.elsewhere == {"Beta Council": 1}  # mapped to Beta: counted, never stored
    assert count(session, Contract, authority_id=beta.id) == 0
    # Only an admin moves a mapped buyer, or imports for every mapped authority at once.
    with pytest.raises(AccessDenied, match="only an admin may move it"):
        import_contract_file(
            session, viewer=officer(alpha), path=path, data_dir=store,
            buyers={"Beta Council": alpha.code},
        )  # fmt: skip
    with pytest.raises(AccessDenied):
        import_contract_file(
            session, viewer=officer(alpha), path=path, data_dir=store, all_mapped=True
        )
    everyone = import_contract_file(
        session, viewer=ADMIN, path=path, data_dir=store, all_mapped=True
    )
    assert dict(everyone.added) == {beta.code: 1}
    assert dict(everyone.unchanged) == {alpha.code: 2}
    names = {b.name for b in unmapped_buyers(session, ADMIN)}
    assert "Gamma Portal" in names and "Beta Council" not in names


def test_viewer_and_other_officers_may_not_import(session: Session, tmp_path: Path) -> None:
    alpha, beta = two_authorities(session)
    path = package(
        tmp_path, "one.json", award("ocds-h", "2025-01-01T00:00:00Z", "Alpha Council", 1)
    )
    files = count(session, ContractFile)
    for viewer in (officer(alpha, "viewer"), officer(beta)):
        with pytest.raises(AccessDenied, match="does not allow importing contracts"):
            import_contract_file(
                session, viewer=viewer, path=path, data_dir=tmp_path, authority=alpha.code
            )
    assert count(session, ContractFile) == files
    assert count(session, Contract, authority_id=alpha.id) == 0


def test_dry_run_stores_nothing(session: Session, tmp_path: Path) -> None:
    alpha, _ = two_authorities(session)
    path = package(
        tmp_path, "one.json", award("ocds-i", "2025-01-01T00:00:00Z", "Alpha Council", 1)
    )
    files = count(session, ContractFile)
    result = import_contract_file(
        session,
        viewer=ADMIN,
        path=path,
        data_dir=tmp_path / "s",
        authority=alpha.code,
        dry_run=True,
    )
    assert dict(result.added) == {alpha.code: 1} and result.file_id is None
    assert count(session, ContractFile) == files
    assert count(session, ContractBuyer, authority_id=alpha.id) == 0
    assert not (tmp_path / "s").exists()


def test_party_gets_existing_supplier_and_list_is_scoped(session: Session, tmp_path: Path) -> None:
    alpha, beta = two_authorities(session)
    supplier = Supplier(name_key="bus co ltd", name="Bus Co Ltd")
    session.add(supplier)
    session.flush()
    path = package(
        tmp_path, "one.json", award("ocds-j", "2025-01-01T00:00:00Z", "Alpha Council", 1200)
    )
    import_contract_file(session, viewer=ADMIN, path=path, data_dir=tmp_path, authority=alpha.code)
    party = session.scalars(
        select(ContractParty).join(Contract).where(Contract.authority_id == alpha.id)
    ).one()
    assert party.supplier_id == supplier.id  # the shared supplier, found by its name
    page = list_contracts(session, officer(alpha, "viewer"), authority_id=alpha.id)
    assert page.total == 1
    [row] = page.rows
    assert (row.title, row.suppliers, row.value, row.category) == (
        "Buses", ["Bus Co Ltd"], Decimal("1200.00"), "Transport services (excl. Waste transport)",
    )  # fmt: skip
    with pytest.raises(AccessDenied):
        list_contracts(session, officer(beta), authority_id=alpha.id)
    assert list_contracts(session, officer(beta)).total == 0
    new = award("ocds-k", "2025-01-01T00:00:00Z", "Alpha Council", 5, "Brand New plc")
    other = package(tmp_path, "two.json", new)
    result = import_contract_file(
        session, viewer=ADMIN, path=other, data_dir=tmp_path, authority=alpha.code
    )
    assert result.suppliers["suppliers_created"] == 1
    created = session.scalars(
        select(Supplier).join(ContractParty, ContractParty.supplier_id == Supplier.id)
        .join(Contract).where(Contract.ocid == "ocds-k", Contract.authority_id == alpha.id)
    ).one()  # fmt: skip
    assert created.name == "Brand New plc"
