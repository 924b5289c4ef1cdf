"""Link an authority's payments to its contracts (``tracker.domain.contract_links``).

Run after a contract import, after a spend import, or by ``tracker contracts link``;
never while a page is read. The authority's links are computed again from scratch each
time (a new contract or new spend can turn a linked payment ambiguous, or the reverse)
and replace the old ones in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from tracker.domain.contract_links import (
    AMBIGUOUS,
    LINKED,
    ContractTerms,
    Match,
    Party,
    Payment,
    match_payment,
)
from tracker.domain.suppliers import supplier_key
from tracker.models import (
    Contract,
    ContractLinkDecision,
    ContractParty,
    ContractSpendLink,
    SpendLine,
    Supplier,
    SupplierIdentifier,
)
from tracker.storage.bulk import bulk_insert

ZERO = Decimal(0)
#: ContractSpendLink.method of a payment an officer settled (ContractLinkDecision).
OFFICER = "officer"


@dataclass
class LinkReport:
    authority_id: int
    contracts: int = 0
    lines_with_contract_supplier: int = 0  # payments to a supplier that holds a contract
    spend_with_contract_supplier: Decimal = ZERO
    linked_lines: int = 0
    linked_spend: Decimal = ZERO
    ambiguous_lines: int = 0
    ambiguous_spend: Decimal = ZERO
    methods: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        share = (
            self.linked_spend / self.spend_with_contract_supplier
            if self.spend_with_contract_supplier
            else None
        )
        return {
            "contracts": self.contracts,
            "lines_with_contract_supplier": self.lines_with_contract_supplier,
            "spend_with_contract_supplier": self.spend_with_contract_supplier,
            "linked_lines": self.linked_lines,
            "linked_spend": self.linked_spend,
            "linked_share_of_supplier_spend": share,
            "ambiguous_lines": self.ambiguous_lines,
            "ambiguous_spend": self.ambiguous_spend,
            "methods": dict(sorted(self.methods.items())),
        }


def canonical_suppliers(session: Session) -> dict[int, int]:
    """Supplier id → the supplier it was merged into (followed to the end), for merged ones."""
    merged: dict[int, int] = {
        sid: into
        for sid, into in session.execute(
            select(Supplier.id, Supplier.merged_into_id).where(Supplier.merged_into_id.is_not(None))
        )
        if into is not None
    }
    out = {}
    for sid in merged:
        target = merged[sid]
        for _ in range(len(merged)):  # a chain is at most as long as the merges
            if target not in merged:
                break
            target = merged[target]
        out[sid] = target
    return out


def _identifiers(session: Session, authority_id: int) -> dict[int, frozenset[tuple[str, str]]]:
    """The registry identifiers of the suppliers the authority pays."""
    paid = select(SpendLine.supplier_id).where(SpendLine.authority_id == authority_id)
    found: dict[int, set[tuple[str, str]]] = {}
    rows = session.execute(
        select(
            SupplierIdentifier.supplier_id, SupplierIdentifier.scheme, SupplierIdentifier.value
        ).where(SupplierIdentifier.supplier_id.in_(paid.scalar_subquery()))
    )
    for sid, scheme, value in rows:
        found.setdefault(sid, set()).add((scheme, value))
    return {sid: frozenset(ids) for sid, ids in found.items()}


def contract_terms(
    session: Session, authority_id: int, canonical: dict[int, int] | None = None
) -> list[ContractTerms]:
    """The authority's contracts that payments may fall under (not cancelled ones)."""
    canonical = canonical or {}
    contracts = session.execute(
        select(
            Contract.id,
            Contract.start_date,
            Contract.end_date,
            Contract.value_amount,
        ).where(Contract.authority_id == authority_id, Contract.status != "cancelled")
    ).all()
    parties: dict[int, list[Party]] = {}
    rows = session.execute(
        select(
            ContractParty.contract_id,
            ContractParty.supplier_id,
            ContractParty.scheme,
            ContractParty.identifier,
            ContractParty.name,
        )
        .join(Contract, Contract.id == ContractParty.contract_id)
        .where(Contract.authority_id == authority_id, ContractParty.role == "supplier")
    )
    for cid, sid, scheme, ident, name in rows:
        ids = frozenset({(scheme, ident)}) if scheme and ident else frozenset()
        sid = canonical.get(sid, sid) if sid is not None else None
        parties.setdefault(cid, []).append(Party(sid, ids, supplier_key(name) or None))
    return [
        ContractTerms(
            cid,
            authority_id,
            start,
            end,
            None if value is None else Decimal(value),
            tuple(parties.get(cid, ())),
        )
        for cid, start, end, value in contracts
    ]


class ContractIndex:
    """Contracts by the supplier record and name key of their suppliers."""

    def __init__(self, contracts: Iterable[ContractTerms]) -> None:
        self.by_record: dict[int, list[ContractTerms]] = {}
        self.by_name: dict[str, list[ContractTerms]] = {}
        self.by_identifier: dict[tuple[str, str], list[ContractTerms]] = {}
        for c in contracts:
            for p in c.suppliers:
                for ident in p.identifiers:
                    self.by_identifier.setdefault(ident, []).append(c)
                if p.supplier_id is not None:
                    self.by_record.setdefault(p.supplier_id, []).append(c)
                if p.name_key:
                    self.by_name.setdefault(p.name_key, []).append(c)

    def candidates(self, payee: Party) -> list[ContractTerms]:
        found = {c.id: c for c in self.by_record.get(payee.supplier_id or -1, ())}
        for c in self.by_name.get(payee.name_key or "", ()):
            found.setdefault(c.id, c)
        for ident in payee.identifiers:
            for c in self.by_identifier.get(ident, ()):
                found.setdefault(c.id, c)
        return list(found.values())


def link_authority(session: Session, *, authority_id: int) -> LinkReport:
    """Replace the authority's links with those its contracts and spend give now."""
    report = LinkReport(authority_id)
    canonical = canonical_suppliers(session)
    contracts = contract_terms(session, authority_id, canonical)
    report.contracts = len(contracts)
    index = ContractIndex(contracts)
    session.execute(delete(ContractSpendLink).where(ContractSpendLink.authority_id == authority_id))
    if not contracts:
        return report
    lines = session.execute(
        select(
            SpendLine.id,
            SpendLine.transaction_date,
            SpendLine.amount,
            SpendLine.supplier_id,
            SpendLine.supplier_name,
            SpendLine.date_precision,
        ).where(SpendLine.authority_id == authority_id)
    )
    identifiers = _identifiers(session, authority_id)
    rows: list[dict[str, Any]] = []
    now = dt.datetime.now(dt.UTC)
    settled = _decisions(session, authority_id, {c.id for c in contracts})
    for lid, day, amount, sid, name, precision in lines:
        decided = settled.get(lid)
        if decided is not None:  # an officer chose the contract: honoured as it stands
            amount = Decimal(amount)
            report.lines_with_contract_supplier += 1
            report.spend_with_contract_supplier += amount
            report.linked_lines += 1
            report.linked_spend += amount
            report.methods[OFFICER] += 1
            rows.append(decided | {"spend_line_id": lid, "created_at": now})
            continue
        known = identifiers.get(sid, frozenset()) if sid is not None else frozenset()
        sid = canonical.get(sid, sid) if sid is not None else None
        known |= identifiers.get(sid, frozenset()) if sid is not None else frozenset()
        payee = Party(sid, known, supplier_key(name) if name else None)
        possible = index.candidates(payee)
        if not possible:
            continue
        amount = Decimal(amount)
        report.lines_with_contract_supplier += 1
        report.spend_with_contract_supplier += amount
        payment = Payment(lid, authority_id, day, amount, payee, precision or "day")
        match = match_payment(payment, possible)
        if match is not None:
            rows.extend(_rows(match, authority_id, now))
            _tally(report, match, amount)
    bulk_insert(session, cast(Table, ContractSpendLink.__table__), rows)
    return report


def officer_link(authority_id: int, contract_id: int, who: str, why: str) -> dict[str, Any]:
    """The link row (but its line and time) of an officer's decision."""
    return {
        "authority_id": authority_id,
        "contract_id": contract_id,
        "status": LINKED,
        "method": OFFICER,
        "score": Decimal(1),
        "notes": f"settled by {who}: {why}",
    }


def _decisions(
    session: Session, authority_id: int, standing: set[int]
) -> dict[int, dict[str, Any]]:
    """Spend line id -> the link row of an officer's decision (:func:`officer_link`), for
    the decisions whose contract stands (is among ``standing``, the authority's contracts
    that are not cancelled)."""
    return {
        lid: officer_link(authority_id, cid, who, why)
        for lid, cid, who, why in session.execute(
            select(
                ContractLinkDecision.spend_line_id,
                ContractLinkDecision.contract_id,
                ContractLinkDecision.decided_by,
                ContractLinkDecision.reason,
            ).where(ContractLinkDecision.authority_id == authority_id)
        )
        if cid in standing
    }


def _rows(match: Match, authority_id: int, now: dt.datetime) -> list[dict[str, Any]]:
    chosen = [match.chosen] if match.chosen is not None else list(match.candidates)
    return [
        {
            "authority_id": authority_id,
            "spend_line_id": match.payment_id,
            "contract_id": c.contract_id,
            "status": match.status,
            "method": c.method,
            "score": c.score,
            "notes": "; ".join(c.notes) or None,
            "created_at": now,
        }
        for c in chosen
    ]


def _tally(report: LinkReport, match: Match, amount: Decimal) -> None:
    if match.status == LINKED and match.chosen is not None:
        report.linked_lines += 1
        report.linked_spend += amount
        report.methods[match.chosen.method] += 1
    elif match.status == AMBIGUOUS:
        report.ambiguous_lines += 1
        report.ambiguous_spend += amount


def link_note(report: LinkReport) -> str | None:
    """One line for an import's notes, or None when the authority has no contracts."""
    if not report.contracts:
        return None
    text = f"Payments linked to contracts: {report.linked_lines:,}"
    if report.ambiguous_lines:
        text += f"; {report.ambiguous_lines:,} could belong to several contracts (not linked)"
    return text + "."
