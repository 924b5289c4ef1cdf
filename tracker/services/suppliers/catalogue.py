"""Finding suppliers and what is known of one, within what the viewer may see.

What is known of a supplier itself (names, identifiers, commitments, disclosures) is
shared by every authority. What authorities bought from it is authority data: only the
authorities whose lines the viewer may see (tracker.access.full_access_ids).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session

from tracker.access import Viewer, aggregate_access_ids, full_access_ids
from tracker.domain.codes import LineStatus
from tracker.domain.periods import fy_label
from tracker.domain.suppliers import supplier_key
from tracker.errors import NotFoundError
from tracker.models import (
    Authority,
    Contract,
    ContractParty,
    InventoryRun,
    RunSupplierTotal,
    Supplier,
    SupplierCommitment,
    SupplierDisclosure,
    SupplierFactor,
    SupplierIdentifier,
)
from tracker.models.suppliers import COMMITMENT_KINDS
from tracker.queries.current import current_run_ids
from tracker.services.suppliers.maintenance import find_supplier


@dataclass(frozen=True)
class SupplierListing:
    id: int
    name: str
    identifiers: tuple[str, ...]
    commitments: tuple[str, ...]  # kinds on record, in words

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "identifiers": list(self.identifiers),
            "commitments": list(self.commitments),
        }


def visible_to(session: Session, viewer: Viewer) -> ColumnElement[bool]:
    """Which suppliers a user may know of: an admin, all; others, those bought from or
    contracted by their own authority or by one that shares its figures (as supplier names
    are on /collaboration), and those with a commitment on record (maintained for all).
    A payee of an authority that does not share is never revealed, not even its name."""
    if viewer.is_admin:
        return true()
    ids = aggregate_access_ids(session, viewer)
    bought = (
        select(RunSupplierTotal.supplier_id)
        .join(InventoryRun, InventoryRun.id == RunSupplierTotal.run_id)
        .where(InventoryRun.authority_id.in_(ids), RunSupplierTotal.supplier_id.is_not(None))
    )
    contracted = (
        select(ContractParty.supplier_id)
        .join(Contract, Contract.id == ContractParty.contract_id)
        .where(Contract.authority_id.in_(ids), ContractParty.supplier_id.is_not(None))
    )
    committed = select(SupplierCommitment.supplier_id)
    # A merged supplier's old rows still name it in older runs: follow them to the survivor.
    merged_bought = select(Supplier.merged_into_id).where(Supplier.id.in_(bought))
    return or_(
        Supplier.id.in_(bought),
        Supplier.id.in_(merged_bought),
        Supplier.id.in_(contracted),
        Supplier.id.in_(committed),
    )


def search_suppliers(
    session: Session, viewer: Viewer, text: str = "", *, limit: int = 50
) -> list[SupplierListing]:
    """Surviving suppliers the viewer may know of whose name contains ``text`` (or whose
    identifier is it)."""
    key = supplier_key(text)
    stmt = select(Supplier).where(Supplier.merged_into_id.is_(None), visible_to(session, viewer))
    if key:
        ident_match = select(SupplierIdentifier.supplier_id).where(
            SupplierIdentifier.value == text.strip().upper()
        )
        stmt = stmt.where(or_(Supplier.name_key.contains(key, autoescape=True),
                              Supplier.id.in_(ident_match)))  # fmt: skip
    suppliers = list(
        session.scalars(stmt.order_by(Supplier.name_key).limit(max(1, min(limit, 500))))
    )
    ids = [s.id for s in suppliers]
    idents: dict[int, list[str]] = {}
    for sid, scheme, value in session.execute(
        select(SupplierIdentifier.supplier_id, SupplierIdentifier.scheme, SupplierIdentifier.value)
        .where(SupplierIdentifier.supplier_id.in_(ids))
        .order_by(SupplierIdentifier.scheme, SupplierIdentifier.value)
    ):
        idents.setdefault(sid, []).append(f"{scheme} {value}")
    kinds: dict[int, set[str]] = {}
    for sid, kind in session.execute(
        select(SupplierCommitment.supplier_id, SupplierCommitment.kind).where(
            SupplierCommitment.supplier_id.in_(ids)
        )
    ):
        kinds.setdefault(sid, set()).add(COMMITMENT_KINDS.get(kind, kind))
    return [
        SupplierListing(
            s.id, s.name, tuple(idents.get(s.id, ())), tuple(sorted(kinds.get(s.id, ())))
        )
        for s in suppliers
    ]


@dataclass(frozen=True)
class BuyerYear:
    authority_code: str
    authority_name: str
    fy_year: int
    year_label: str
    spend: Decimal
    kgco2e: Decimal
    currency: str = "GBP"  # the authority's, which ``spend`` is in


@dataclass(frozen=True)
class SupplierContract:
    contract_id: int
    authority_code: str
    title: str | None
    value: Decimal | None
    currency: str | None
    start_date: dt.date | None
    end_date: dt.date | None


@dataclass
class SupplierDetail:
    id: int
    name: str
    other_names: list[str]
    identifiers: list[dict[str, str]]
    commitments: list[dict[str, object]]
    disclosures: list[dict[str, object]]
    buyers: list[BuyerYear] = field(default_factory=list)
    contracts: list[SupplierContract] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "other_names": self.other_names,
            "identifiers": self.identifiers,
            "commitments": self.commitments,
            "disclosures": self.disclosures,
            "buyers": [b.__dict__ for b in self.buyers],
            "contracts": [c.__dict__ for c in self.contracts],
        }


def supplier_detail(session: Session, viewer: Viewer, ref: str) -> SupplierDetail:
    """A supplier (by name, #ID or GB-COH:NUMBER) and, within the viewer's scope, the
    authorities buying from it (current inventory runs, in-scope spend) and its contracts."""
    supplier = find_supplier(session, ref)
    allowed = session.scalar(
        select(Supplier.id).where(Supplier.id == supplier.id, visible_to(session, viewer))
    )
    if allowed is None:
        raise NotFoundError(f"No supplier {ref!r}.")
    merged = list(session.scalars(select(Supplier).where(Supplier.merged_into_id == supplier.id)))
    family = [supplier.id, *(m.id for m in merged)]
    detail = SupplierDetail(
        id=supplier.id,
        name=supplier.name,
        other_names=sorted({m.name for m in merged} - {supplier.name}),
        identifiers=[
            {"scheme": i.scheme, "value": i.value, "source": i.source}
            for i in session.scalars(
                select(SupplierIdentifier)
                .where(SupplierIdentifier.supplier_id == supplier.id)
                .order_by(SupplierIdentifier.scheme, SupplierIdentifier.value)
            )
        ],
        commitments=[
            {
                "kind": c.kind,
                "kind_label": COMMITMENT_KINDS.get(c.kind, c.kind),
                "made_on": c.made_on,
                "ended_on": c.ended_on,
                "source_url": c.source_url,
                "recorded_by": c.recorded_by,
            }
            for c in session.scalars(
                select(SupplierCommitment)
                .where(SupplierCommitment.supplier_id == supplier.id)
                .order_by(SupplierCommitment.made_on)
            )
        ],
        disclosures=[
            {
                "year": d.year,
                "scope1_tco2e": d.scope1_tco2e,
                "scope2_tco2e": d.scope2_tco2e,
                "scope3_tco2e": d.scope3_tco2e,
                "revenue": d.revenue,
                "currency": d.currency,
                "kgco2e_per_unit": None if f is None else f.kgco2e_per_unit,
                "source_url": d.source_url,
            }
            for d, f in session.execute(
                select(SupplierDisclosure, SupplierFactor)
                .outerjoin(
                    SupplierFactor, SupplierFactor.id == SupplierDisclosure.supplier_factor_id
                )
                .where(SupplierDisclosure.supplier_id == supplier.id)
                .order_by(SupplierDisclosure.year)
            )
        ],
    )
    ids = full_access_ids(session, viewer)
    if not ids:
        return detail
    latest = current_run_ids(ids).subquery("latest")
    t = RunSupplierTotal
    for code, name, month, currency, year, spend, kg in session.execute(
        select(Authority.code, Authority.name, Authority.fy_start_month, Authority.currency,
               InventoryRun.fy_year, func.sum(t.spend), func.sum(t.kgco2e))
        .select_from(t)
        .join(latest, latest.c.run_id == t.run_id)
        .join(InventoryRun, InventoryRun.id == t.run_id)
        .join(Authority, Authority.id == InventoryRun.authority_id)
        .where(t.supplier_id.in_(family), t.status != LineStatus.EXCLUDED)
        .group_by(Authority.code, Authority.name, Authority.fy_start_month, Authority.currency,
                  InventoryRun.fy_year)
        .order_by(Authority.code, InventoryRun.fy_year)
    ):  # fmt: skip
        detail.buyers.append(
            BuyerYear(
                code,
                name,
                year,
                fy_label(year, month),
                Decimal(spend or 0),
                Decimal(kg or 0),
                currency,
            )
        )
    for contract, code in session.execute(
        select(Contract, Authority.code)
        .join(Authority, Authority.id == Contract.authority_id)
        .where(Contract.authority_id.in_(ids))
        .where(Contract.id.in_(select(ContractParty.contract_id).where(ContractParty.supplier_id.in_(family))))
        .order_by(Contract.end_date.desc(), Contract.id)
        .limit(200)
    ):  # fmt: skip
        detail.contracts.append(
            SupplierContract(contract.id, code, contract.title, contract.value_amount,
                             contract.currency, contract.start_date, contract.end_date)
        )  # fmt: skip
    return detail
