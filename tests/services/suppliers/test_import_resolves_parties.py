"""A contract import puts each supplier on a shared supplier (both databases): by its
Companies House number first, then by name, learning the number."""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.access import Viewer
from tracker.models import ContractParty, Supplier, SupplierIdentifier
from tracker.services.authorities import add_authority
from tracker.services.contracts.imports import import_contract_file


def _release(ocid: str, buyer: str, supplier: dict[str, object]) -> dict[str, object]:
    return {
        "ocid": ocid, "id": f"{ocid}-1", "date": "2025-01-01T00:00:00Z", "tag": ["award"],
        "buyer": {"name": buyer},
        "awards": [{"id": "1", "status": "active", "value": {"amount": 1000, "currency": "GBP"},
                    "suppliers": [supplier],
                    "contractPeriod": {"startDate": "2025-04-01", "endDate": "2027-03-31"}}],
    }  # fmt: skip


def test_import_resolves_parties(session: Session, tmp_path: Path) -> None:
    tag, n = uuid.uuid4().hex[:6], random.randrange(1_000_000, 9_999_999)
    authority = add_authority(session, code="R" + tag.upper(), name=f"Resolve {tag} Council")
    # The spend import made this supplier (name key only) before any contract was read.
    spend_made = Supplier(name_key=f"civica {tag} uk ltd", name=f"Civica {tag} UK Ltd")
    session.add(spend_made)
    session.flush()
    buyer = f"Resolve {tag} Council"
    releases = [
        _release(f"ocds-{tag}-1", buyer, {"name": f"CIVICA {tag} UK LIMITED",
                 "identifier": {"scheme": "GB-COH", "id": str(n)}}),
        _release(f"ocds-{tag}-2", buyer, {"name": f"Civica {tag} U.K. Ltd."}),
        _release(f"ocds-{tag}-3", buyer, {"name": f"Civica {tag} Election Services Ltd",
                 "identifier": {"scheme": "GB-COH", "id": str(n + 1)}}),
    ]  # fmt: skip
    path = tmp_path / "awards.json"
    path.write_text(json.dumps({"releases": releases}), encoding="utf-8")
    viewer = Viewer(user_id=1, email="o@test", role="officer", authority_id=authority.id)
    import_contract_file(session, viewer=viewer, path=path, data_dir=tmp_path / "store",
                         authority=authority.code)  # fmt: skip
    parties = dict(
        session.execute(
            select(ContractParty.name, ContractParty.supplier_id).where(
                ContractParty.name.contains(tag)
            )
        ).all()
    )
    assert parties[f"CIVICA {tag} UK LIMITED"] == spend_made.id
    assert parties[f"Civica {tag} U.K. Ltd."] == spend_made.id
    election = parties[f"Civica {tag} Election Services Ltd"]
    assert election not in (None, spend_made.id)
    learnt = session.execute(
        select(SupplierIdentifier.supplier_id, SupplierIdentifier.value)
        .where(SupplierIdentifier.supplier_id.in_([spend_made.id, election]))
        .order_by(SupplierIdentifier.value)
    ).all()
    assert [tuple(r) for r in learnt] == [(spend_made.id, f"0{n}"), (election, f"0{n + 1}")]
