"""Builders for contracts in tests: exactly the rows a test asks for, nothing derived."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy.orm import Session

from tracker.models import Contract, ContractFile, ContractParty


def make_contract(
    session: Session,
    *,
    authority_id: int,
    supplier: str,
    start: dt.date | None,
    end: dt.date | None,
    value: str | None,
    cpv: str | None = "90511000",
    supplier_id: int | None = None,
    title: str = "Test contract",
    scheme: str | None = None,
    identifier: str | None = None,
) -> Contract:
    f = ContractFile(
        sha256=uuid.uuid4().hex * 2,
        filename="contracts.json",
        size_bytes=1,
        format="ocds-release-package",
        imported_by="test",
        report={},
    )
    session.add(f)
    session.flush()
    c = Contract(
        authority_id=authority_id,
        file_id=f.id,
        source_key=uuid.uuid4().hex,
        title=title,
        buyer_name="Test Council",
        classification_scheme="CPV" if cpv else None,
        classification_code=cpv,
        value_amount=None if value is None else Decimal(value),
        currency="GBP",
        start_date=start,
        end_date=end,
        status="awarded",
        flags=[],
    )
    session.add(c)
    session.flush()
    session.add(
        ContractParty(
            contract_id=c.id,
            role="supplier",
            name=supplier,
            scheme=scheme,
            identifier=identifier,
            supplier_id=supplier_id,
        )
    )
    session.flush()
    return c
