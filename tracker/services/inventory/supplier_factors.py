"""Supplier-specific emission factors (the GHG Protocol hybrid method)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.domain.suppliers import supplier_key
from tracker.errors import NotFoundError, TrackerError
from tracker.models import Authority, Supplier, SupplierFactor


def add_supplier_factor(
    session: Session,
    *,
    supplier_name: str,
    kgco2e_per_unit: Decimal,
    year: int,
    currency: str,
    evidence_url: str,
    authority: Authority | None = None,
    note: str | None = None,
) -> SupplierFactor:
    """Record a supplier's own intensity (kgCO2e per unit of its revenue in ``year``)."""
    supplier = session.scalar(
        select(Supplier).where(Supplier.name_key == supplier_key(supplier_name))
    )
    if supplier is None:
        raise NotFoundError(
            f"No supplier named {supplier_name!r} in any imported spend; import its spend first."
        )
    return set_supplier_factor(
        session,
        supplier_id=supplier.merged_into_id or supplier.id,
        kgco2e_per_unit=kgco2e_per_unit,
        year=year,
        currency=currency,
        evidence_url=evidence_url,
        authority=authority,
        note=note,
    )


def set_supplier_factor(
    session: Session,
    *,
    supplier_id: int,
    kgco2e_per_unit: Decimal,
    year: int,
    currency: str,
    evidence_url: str,
    authority: Authority | None = None,
    note: str | None = None,
) -> SupplierFactor:
    """Add or replace the supplier's factor for ``year`` (shared, or the authority's own):
    the one path by which supplier factors are written, by hand or from a disclosure."""
    if kgco2e_per_unit <= 0:
        raise TrackerError("A supplier intensity must be positive (kgCO2e per unit of revenue).")
    if not evidence_url.strip():
        raise TrackerError("Give the evidence for a supplier factor (report URL or reference).")
    factor = session.scalar(
        select(SupplierFactor).where(
            SupplierFactor.supplier_id == supplier_id,
            SupplierFactor.year == year,
            SupplierFactor.authority_id.is_(None)
            if authority is None
            else SupplierFactor.authority_id == authority.id,
        )
    )
    if factor is None:
        factor = SupplierFactor(
            supplier_id=supplier_id,
            authority_id=None if authority is None else authority.id,
            year=year,
        )
        session.add(factor)
    factor.currency = currency.upper()
    factor.kgco2e_per_unit = kgco2e_per_unit
    factor.evidence_url = evidence_url.strip()
    factor.note = note
    session.flush()
    return factor


def supplier_factors_for(session: Session, authority_id: int) -> dict[int, list[SupplierFactor]]:
    """Supplier id → its factors usable by this authority (own first, then shared)."""
    rows = session.scalars(
        select(SupplierFactor)
        .where(
            or_(SupplierFactor.authority_id == authority_id, SupplierFactor.authority_id.is_(None))
        )
        .order_by(SupplierFactor.authority_id.is_(None), SupplierFactor.year.desc())
    )
    out: dict[int, list[SupplierFactor]] = {}
    for row in rows:
        out.setdefault(row.supplier_id, []).append(row)
    return out


def pick_supplier_factor(factors: list[SupplierFactor], spend_year: int) -> SupplierFactor:
    """The factor closest in year to the spend (own factors before shared at equal distance)."""
    return min(factors, key=lambda f: (abs(f.year - spend_year), f.authority_id is None, -f.year))
