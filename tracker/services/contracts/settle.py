"""An officer settles a payment the matching found ambiguous (it could belong to several
contracts, so it counts in none): the contract chosen is kept as a
``ContractLinkDecision``, which linking honours each time it runs while the contract
stands, and the payment counts in that contract's spend to date from then on. Every
decision is in the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tracker.domain.contract_links import AMBIGUOUS
from tracker.errors import TrackerError
from tracker.models import (
    AuditEntry,
    Authority,
    Contract,
    ContractLinkDecision,
    ContractSpendLink,
    SpendLine,
)
from tracker.services.contracts.linking import officer_link


@dataclass(frozen=True)
class Candidate:
    contract_id: int
    title: str | None
    score: Decimal


@dataclass(frozen=True)
class AmbiguousPayment:
    """A payment that could belong to several contracts, and those contracts."""

    spend_line_id: int
    batch_id: int
    source_row: int
    date: dt.date
    amount: Decimal
    supplier: str | None
    candidates: tuple[Candidate, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "line": f"{self.batch_id}:{self.source_row}", "spend_line_id": self.spend_line_id,
            "date": self.date.isoformat(), "amount": str(self.amount), "supplier": self.supplier,
            "contracts": [
                {"contract_id": c.contract_id, "title": c.title, "score": str(c.score)}
                for c in self.candidates
            ],
        }  # fmt: skip


def ambiguous_payments(session: Session, authority: Authority) -> list[AmbiguousPayment]:
    """The authority's ambiguous payments, largest first, each with its contracts (best
    score first)."""
    lines: dict[int, tuple[int, int, dt.date, Decimal, str | None]] = {}
    candidates: dict[int, list[Candidate]] = {}
    for lid, batch, row, day, amount, supplier, cid, title, score in session.execute(
        select(
            SpendLine.id,
            SpendLine.batch_id,
            SpendLine.source_row,
            SpendLine.transaction_date,
            SpendLine.amount,
            SpendLine.supplier_name,
            Contract.id,
            Contract.title,
            ContractSpendLink.score,
        )
        .join(SpendLine, SpendLine.id == ContractSpendLink.spend_line_id)
        .join(Contract, Contract.id == ContractSpendLink.contract_id)
        .where(
            ContractSpendLink.authority_id == authority.id,
            SpendLine.authority_id == authority.id,
            Contract.authority_id == authority.id,
            ContractSpendLink.status == AMBIGUOUS,
        )
        .order_by(ContractSpendLink.score.desc(), Contract.id)
    ):
        lines[lid] = (batch, row, day, Decimal(amount), supplier)
        candidates.setdefault(lid, []).append(Candidate(cid, title, Decimal(score)))
    payments = [
        AmbiguousPayment(lid, batch, row, day, amount, supplier, tuple(candidates[lid]))
        for lid, (batch, row, day, amount, supplier) in lines.items()
    ]
    return sorted(payments, key=lambda p: (-abs(p.amount), p.spend_line_id))


def settle_payment(
    session: Session,
    *,
    authority: Authority,
    batch_id: int,
    source_row: int,
    contract_id: int,
    actor: str,
    reason: str,
) -> AmbiguousPayment:
    """Link the payment on row ``source_row`` of batch ``batch_id`` to ``contract_id``, one
    of the contracts it was found ambiguous between; returns the payment as it was.
    Refused (nothing changed) for a row that is not an ambiguous payment of the authority,
    a contract it was not found ambiguous with, or no reason."""
    if not reason.strip():
        raise TrackerError("Say why the payment falls under this contract (--reason).")
    payment = next(
        (
            p
            for p in ambiguous_payments(session, authority)
            if (p.batch_id, p.source_row) == (batch_id, source_row)
        ),
        None,
    )
    where = f"row {batch_id}:{source_row}"
    if payment is None:
        raise TrackerError(
            f"{where} of {authority.code} is no payment found ambiguous between contracts "
            "(tracker contracts ambiguous lists them)."
        )
    if contract_id not in {c.contract_id for c in payment.candidates}:
        ids = ", ".join(str(c.contract_id) for c in payment.candidates)
        raise TrackerError(
            f"{where} was found ambiguous between contracts {ids}, not contract {contract_id}."
        )
    line_id, why = payment.spend_line_id, reason.strip()
    session.execute(
        delete(ContractLinkDecision).where(ContractLinkDecision.spend_line_id == line_id)
    )
    session.add(
        ContractLinkDecision(authority_id=authority.id, spend_line_id=line_id,
                             contract_id=contract_id, decided_by=actor, reason=why)
    )  # fmt: skip
    # This payment's links now, as the next linking run will make them.
    session.execute(delete(ContractSpendLink).where(ContractSpendLink.spend_line_id == line_id))
    link = officer_link(authority.id, contract_id, actor, why)
    session.execute(
        insert(ContractSpendLink),
        [link | {"spend_line_id": line_id, "created_at": dt.datetime.now(dt.UTC)}],
    )
    session.add(
        AuditEntry(
            actor=actor,
            action="contract-link-settled",
            authority_id=authority.id,
            reason=why,
            details={
                "line": f"{batch_id}:{source_row}",
                "spend_line_id": line_id,
                "contract_id": contract_id,
                "candidates": [c.contract_id for c in payment.candidates],
            },
        )
    )
    session.flush()
    return payment
