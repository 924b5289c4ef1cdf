"""The six real contracts files imported through the service for authorities mapped to
their buyers, with the counts stored checked against the files' README
(shared/data/contracts/README.md) or counted here with plain ``json``."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import shared_file
from tracker.access import Viewer
from tracker.models import Authority, Contract, ContractParty
from tracker.services.authorities import add_authority
from tracker.services.contracts.imports import import_contract_file

pytestmark = pytest.mark.shared
ADMIN = Viewer(user_id=None, email="admin@test", role="admin", authority_id=None)


def authority(session: Session, name: str) -> Authority:
    return add_authority(session, code="R" + uuid.uuid4().hex[:7].upper(), name=name)


def stored(session: Session, a: Authority) -> int:
    return int(
        session.scalar(select(func.count(Contract.id)).where(Contract.authority_id == a.id)) or 0
    )


def test_register_and_award_csv(session: Session, tmp_path: Path) -> None:
    """README: Norfolk's register, 5,729 rows (5,639 contracts once rows repeating one are
    set aside, tests/importers/contracts); Leeds City Council has 149 awards in file 3 and
    Norfolk County Council 13."""
    norfolk, leeds = authority(session, "Norfolk"), authority(session, "Leeds")
    register = shared_file("contracts", "norfolk_county_council_contracts_register_2015-03-28.csv")
    first = import_contract_file(session, viewer=ADMIN, path=register, data_dir=tmp_path,
                                 authority=norfolk.code)  # fmt: skip
    assert dict(first.added) == {norfolk.code: 5639} and first.refused == []
    again = import_contract_file(session, viewer=ADMIN, path=register, data_dir=tmp_path,
                                 authority=norfolk.code)  # fmt: skip
    assert (dict(again.added), dict(again.unchanged)) == ({}, {norfolk.code: 5639})
    awards = shared_file(
        "contracts", "uk_contracts_finder_2022_awards_with_suppliers_and_buyer.csv"
    )
    result = import_contract_file(
        session, viewer=ADMIN, path=awards, data_dir=tmp_path,
        buyers={"Leeds City Council": leeds.code, "Norfolk County Council": norfolk.code},
    )  # fmt: skip
    assert dict(result.added) == {leeds.code: 149, norfolk.code: 13}
    assert (stored(session, leeds), stored(session, norfolk)) == (149, 5639 + 13)
    # README: 20,778 awards; all but Leeds's and Norfolk's are counted by buyer, not stored.
    assert sum(result.unmapped.values()) == 20_778 - 149 - 13


def test_ocds_files(session: Session, tmp_path: Path) -> None:
    merton, asuncion, portland = (authority(session, n) for n in ("Merton", "Asunción", "PDX"))
    package = shared_file("contracts", "uk_contracts_finder_ocds_release_package_2025-01-23.json")
    releases = json.loads(package.read_text(encoding="utf-8"))["releases"]
    mine = {r["ocid"] for r in releases if r["buyer"]["name"] == "London Borough of Merton"}
    result = import_contract_file(session, viewer=ADMIN, path=package, data_dir=tmp_path,
                                  buyers={"London Borough of Merton": merton.code})  # fmt: skip
    assert dict(result.added) == {merton.code: len(mine)}  # one award (or tender) each
    records = shared_file("contracts", "paraguay_dncp_ocds_record_packages_sample.jsonl")
    lines = [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines()]
    city = "Municipalidad de Asunción"
    awards = sum(
        len(r["compiledRelease"].get("awards", []))
        for p in lines for r in p["records"]
        if "compiledRelease" in r and r["compiledRelease"]["buyer"]["name"] == city
    )  # fmt: skip
    result = import_contract_file(session, viewer=ADMIN, path=records, data_dir=tmp_path,
                                  buyers={city: asuncion.code})  # fmt: skip
    assert dict(result.added) == {asuncion.code: awards} and awards > 0
    assert [r.record.split("ocid ")[1] for r in result.refused] == [
        "ocds-03ad3f-284437", "ocds-03ad3f-284453",
    ]  # fmt: skip
    record = shared_file("contracts", "portland_or_ocds_record_118001.json")
    import_contract_file(session, viewer=ADMIN, path=record, data_dir=tmp_path,
                         authority=portland.code)  # fmt: skip
    contract = session.scalars(select(Contract).where(Contract.authority_id == portland.id)).one()
    assert (contract.value_amount, contract.currency) == (Decimal("487280.00"), "USD")
    [party] = session.scalars(select(ContractParty).where(ContractParty.contract_id == contract.id))
    assert (party.name, party.supplier_id is not None) == ("MOURI Tech LLC", True)


def test_tender_lines_refused_whole_when_no_buyer_is_mapped(
    session: Session, tmp_path: Path
) -> None:
    """README: the 2014-15 tenders are 191 unsuccessful, 2 cancelled and 7 active; with
    124 buyers and none mapped, nothing is stored and the error says which to map."""
    a = authority(session, "Nobody")
    lines = shared_file("contracts", "uk_contracts_finder_ocds_tenders_2014-2015.jsonl")
    with pytest.raises(Exception, match="none of its 7 contracts has a buyer mapped"):
        import_contract_file(session, viewer=ADMIN, path=lines, data_dir=tmp_path, authority=a.code)
