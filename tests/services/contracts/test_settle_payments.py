"""An officer settles a payment found ambiguous between contracts
(tracker.services.contracts.settle), on SQLite and PostgreSQL.

Paperco's one payment of £700 (1 June 2022) falls inside two of its contracts, found by
name only (p1: 2022; p2: June 2021 to May 2023), so it is ambiguous and counts in
neither. Settled to p2, it is p2's: p2's spend to date is £700 and 100 kgCO2e (as the run
stored them), p1's nothing; linking again keeps it so; a cancelled p2 gives it back to
the matching (ambiguous no more: p1 alone fits).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from contract_factories import make_contract
from factories import Line, make_authority, make_run
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.access import Viewer
from tracker.errors import TrackerError
from tracker.models import AuditEntry, Contract, ContractSpendLink, SpendLine
from tracker.services.contracts.figures import one_contract
from tracker.services.contracts.linking import link_authority
from tracker.services.contracts.settle import ambiguous_payments, settle_payment

D = dt.date


def test_an_officer_settles_an_ambiguous_payment(session: Session) -> None:
    a = make_authority(session, name="Ashby Council")
    make_run(session, authority=a, fy_year=2022, lines=[
        Line("Binco Ltd", "10000.00", "12856.4"), Line("Paperco", "700.00", "100"),
    ])  # fmt: skip
    p1 = make_contract(session, authority_id=a.id, supplier="PAPERCO", start=D(2022, 1, 1),
                       end=D(2022, 12, 31), value="5000", cpv="30190000")  # fmt: skip
    p2 = make_contract(session, authority_id=a.id, supplier="Paperco", start=D(2021, 6, 1),
                       end=D(2023, 5, 31), value="8000", cpv="30190000")  # fmt: skip
    link_authority(session, authority_id=a.id)
    [payment] = ambiguous_payments(session, a)
    line = session.get_one(SpendLine, payment.spend_line_id)
    assert (payment.amount, payment.supplier, payment.date) == (
        Decimal("700.00"),
        line.supplier_name,
        D(2022, 6, 1),
    )
    assert {c.contract_id for c in payment.candidates} == {p1.id, p2.id}
    officer = Viewer(1, "o@x", "officer", a.id)
    today = D(2024, 4, 1)
    assert one_contract(session, officer, contract_id=p2.id, today=today).to_date.spend == 0

    def settle(row: int, contract_id: int, reason: str) -> None:
        settle_payment(session, authority=a, batch_id=line.batch_id, source_row=row,
                       contract_id=contract_id, actor="o@x", reason=reason)  # fmt: skip

    with pytest.raises(TrackerError, match="not contract"):
        settle(line.source_row, p2.id + 1000, "the order number")
    with pytest.raises(TrackerError, match="no payment found ambiguous"):
        settle(1, p2.id, "the order number")  # Binco's payment: no contract
    with pytest.raises(TrackerError, match="Say why"):
        settle(line.source_row, p2.id, " ")
    settle(line.source_row, p2.id, "PO 4471 is on the 2021 contract")

    def links() -> list[tuple[int, str, str]]:
        return [
            tuple(r)  # type: ignore[misc]
            for r in session.execute(
                select(ContractSpendLink.contract_id, ContractSpendLink.status,
                       ContractSpendLink.method)
                .where(ContractSpendLink.spend_line_id == line.id)
            )
        ]  # fmt: skip

    assert links() == [(p2.id, "linked", "officer")]
    assert ambiguous_payments(session, a) == []
    to_date = one_contract(session, officer, contract_id=p2.id, today=today).to_date
    assert (to_date.spend, to_date.kgco2e, to_date.linked_lines) == (
        Decimal("700.00"),
        Decimal("100"),
        1,
    )
    assert one_contract(session, officer, contract_id=p1.id, today=today).to_date.spend == 0
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "contract-link-settled",
                                 AuditEntry.authority_id == a.id)
    ).one()  # fmt: skip
    assert (audit.actor, audit.reason) == ("o@x", "PO 4471 is on the 2021 contract")
    # linking again (after any import) keeps the officer's decision
    report = link_authority(session, authority_id=a.id)
    assert links() == [(p2.id, "linked", "officer")]
    assert (report.ambiguous_lines, report.methods["officer"]) == (0, 1)
    # the contract decided on cancelled: the matching decides again (p1 alone fits)
    session.get_one(Contract, p2.id).status = "cancelled"
    session.flush()
    link_authority(session, authority_id=a.id)
    assert links() == [(p1.id, "linked", "supplier-name")]
