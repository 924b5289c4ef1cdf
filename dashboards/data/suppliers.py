"""Supplier figures and the admin's merge review for /suppliers, each in a short session
scoped by the viewer (``tracker.services.suppliers``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from dashboards.data.actions import actor_of
from dashboards.data.sessions import read_session, write_session
from tracker.access import AccessDenied, Viewer
from tracker.errors import NotFoundError, TrackerError
from tracker.models import Supplier, SupplierFactor
from tracker.models.suppliers import COMMITMENT_KINDS
from tracker.services.suppliers.catalogue import (
    SupplierDetail,
    SupplierListing,
    search_suppliers,
    supplier_detail,
)
from tracker.services.suppliers.kpis import (
    KpiRow,
    UnplannedContract,
    contracts_not_assessed,
    contracts_without_plan,
    supplier_kpis,
)
from tracker.services.suppliers.maintenance import (
    add_commitment,
    add_disclosure,
    decide_merge,
    find_supplier,
    pending_merges,
)

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class PendingMerge:
    id: int
    supplier_id: int
    supplier: str
    candidate_id: int
    candidate: str
    reasons: tuple[str, ...]


def kpis(viewer: Viewer) -> list[KpiRow]:
    with read_session() as session:
        return supplier_kpis(session, viewer)


def unplanned(viewer: Viewer, today: dt.date | None = None) -> list[UnplannedContract]:
    with read_session() as session:
        return contracts_without_plan(
            session, viewer, today=today or dt.datetime.now(dt.UTC).date()
        )


def not_assessed(viewer: Viewer, today: dt.date | None = None) -> int:
    """Contracts the PPN 006 list could not assess (no dates to annualise)."""
    with read_session() as session:
        return contracts_not_assessed(
            session, viewer, today=today or dt.datetime.now(dt.UTC).date()
        )


def search(viewer: Viewer, text: str) -> list[SupplierListing]:
    """The suppliers the viewer may know of (tracker.services.suppliers.catalogue)."""
    with read_session() as session:
        return search_suppliers(session, viewer, text[:200], limit=SEARCH_LIMIT)


def detail(viewer: Viewer, supplier_id: int) -> SupplierDetail | None:
    with read_session() as session:
        try:
            return supplier_detail(session, viewer, f"#{supplier_id}")
        except NotFoundError:
            return None


def pending(viewer: Viewer) -> list[PendingMerge]:
    """The doubtful merges waiting for review: the admin's only."""
    if not viewer.is_admin:
        return []
    with read_session() as session:
        out = []
        for c in pending_merges(session):
            names = dict(
                session.execute(
                    select(Supplier.id, Supplier.name).where(
                        Supplier.id.in_([c.supplier_id, c.candidate_id])
                    )
                ).all()
            )
            out.append(PendingMerge(c.id, c.supplier_id, names.get(c.supplier_id, "?"),
                                    c.candidate_id, names.get(c.candidate_id, "?"),
                                    tuple(str(r) for r in c.reasons)))  # fmt: skip
        return out


def decide(viewer: Viewer, candidate_id: int, accept: bool) -> str:
    """Accept or reject a doubtful merge (admins only); a message for the page."""
    if not viewer.is_admin:
        raise AccessDenied("Only an admin maintains the shared suppliers.")
    with write_session() as session:
        result = decide_merge(session, candidate_id, accept=accept, actor=actor_of(viewer))
        if result is None:
            return f"Kept apart (merge {candidate_id} rejected)."
        return (
            f"Merged supplier #{result.merged_id} into #{result.kept_id}: "
            f"{result.spend_lines:,} spend lines and {result.contract_parties:,} contract "
            "parties moved."
        )


def record_commitment(
    viewer: Viewer, supplier_id: int, kind: str, made_on: str, source_url: str
) -> str:
    """Record a supplier's commitment from the page (admins only); a message."""
    if not viewer.is_admin:
        raise AccessDenied("Only an admin maintains the shared suppliers.")
    try:
        day = dt.date.fromisoformat(made_on.strip())
    except ValueError:
        raise TrackerError(f"{made_on!r} is not a date: write it as 2024-03-31.") from None
    with write_session() as session:
        supplier = find_supplier(session, f"#{supplier_id}")
        add_commitment(
            session,
            supplier=supplier,
            kind=kind,
            made_on=day,
            source_url=source_url,
            actor=actor_of(viewer),
        )
        return f"Recorded: {COMMITMENT_KINDS[kind]} of {supplier.name} from {day:%d %b %Y}."


def _number(label: str, text: object, *, required: bool = True) -> Decimal | None:
    raw = str(text or "").replace(",", "").strip()
    if not raw:
        if required:
            raise TrackerError(f"Give the {label}.")
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise TrackerError(f"The {label} {raw!r} is not a number.") from None


def record_disclosure(
    viewer: Viewer,
    supplier_id: int,
    year: object,
    scope1: object,
    scope2: object,
    scope3: object,
    revenue: object,
    source_url: str,
) -> str:
    """Record a supplier's reported emissions and revenue (in pounds) from the page
    (admins only); it sets the supplier's shared factor for the year. A message."""
    if not viewer.is_admin:
        raise AccessDenied("Only an admin maintains the shared suppliers.")
    if not str(year or "").strip().isdigit():
        raise TrackerError("Give the reporting year, e.g. 2023.")
    s1, s2 = _number("scope 1 tonnes", scope1), _number("scope 2 tonnes", scope2)
    s3, rev = _number("scope 3 tonnes", scope3, required=False), _number("revenue", revenue)
    assert s1 is not None and s2 is not None and rev is not None
    with write_session() as session:
        supplier = find_supplier(session, f"#{supplier_id}")
        row = add_disclosure(
            session,
            supplier=supplier,
            year=int(str(year).strip()),
            scope1_t=s1,
            scope2_t=s2,
            scope3_t=s3,
            revenue=rev,
            currency="GBP",
            source_url=source_url,
            actor=actor_of(viewer),
        )
        factor = session.get_one(SupplierFactor, row.supplier_factor_id)
        return (
            f"Recorded {supplier.name}'s {row.year} disclosure: {factor.kgco2e_per_unit:.4f} "
            "kgCO2e per £, its factor once the inventories are recalculated."
        )
