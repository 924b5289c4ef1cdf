"""What is known of suppliers, shared by every authority: registry identifiers, climate
commitments, reported emissions, and the review of doubtful merges.

Maintained by the admin (the centre of excellence) once and used by all authorities. A
``Supplier`` itself lives with the spend (tracker.models.spend); a supplier merged into
another keeps its row with ``merged_into_id`` set, so that a later file spelling it the
old way still lands on the surviving supplier.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, utcnow

#: SupplierCommitment.kind values, with the words shown for them.
COMMITMENT_KINDS = {
    "carbon-reduction-plan": "Carbon Reduction Plan",
    "net-zero-commitment": "net-zero commitment",
    "science-based-target": "science-based target",
}

#: SupplierMergeCandidate.status values.
MERGE_STATUSES = ("pending", "accepted", "rejected")


class SupplierIdentifier(Base):
    """A registry identifier of a supplier (``GB-COH`` ``01628868``); one supplier each."""

    __tablename__ = "supplier_identifier"
    __table_args__ = (
        UniqueConstraint("scheme", "value"),
        Index("ix_supplier_identifier_supplier", "supplier_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"))
    scheme: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(64))
    # Where it was learnt: "contract file 12", "admin@…".
    source: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SupplierCommitment(Base):
    """A Carbon Reduction Plan, net-zero commitment or science-based target of a supplier,
    on record from ``made_on`` (until ``ended_on`` when it lapsed or was withdrawn)."""

    __tablename__ = "supplier_commitment"
    __table_args__ = (
        UniqueConstraint("supplier_id", "kind", "made_on"),
        Index("ix_supplier_commitment_supplier", "supplier_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # COMMITMENT_KINDS
    made_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    source_url: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SupplierDisclosure(Base):
    """A supplier's reported emissions and revenue for a year; it produces the shared
    supplier-specific factor (``supplier_factor``) the inventory uses."""

    __tablename__ = "supplier_disclosure"
    __table_args__ = (UniqueConstraint("supplier_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"))
    year: Mapped[int]
    scope1_tco2e: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    scope2_tco2e: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    scope3_tco2e: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    revenue: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3))
    source_url: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    supplier_factor_id: Mapped[int | None] = mapped_column(
        ForeignKey("supplier_factor.id", ondelete="SET NULL")
    )


class SupplierMergeCandidate(Base):
    """Two suppliers that may be one: kept apart until an admin accepts or rejects."""

    __tablename__ = "supplier_merge_candidate"
    __table_args__ = (
        UniqueConstraint("supplier_id", "candidate_id"),
        Index("ix_supplier_merge_candidate_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The supplier that came later, and the known one it may be.
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None]
