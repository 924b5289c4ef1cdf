"""Inventory runs, their locks, confirmations, pending years, audit and targets (the
emissions of each line of a run are in tracker.models.emissions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, utcnow


class InventoryRun(Base):
    """One computation of an authority's inventory for one financial year."""

    __tablename__ = "inventory_run"
    __table_args__ = (Index("ix_inventory_run_authority_year", "authority_id", "fy_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    fy_year: Mapped[int]
    # 1, 2, 3 … per authority and financial year; the highest is the current version.
    version: Mapped[int] = mapped_column(default=1)
    # Why this version exists when it restates a locked year.
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(200))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    factor_family: Mapped[str] = mapped_column(String(64))
    factor_edition: Mapped[str] = mapped_column(String(32))
    price_year_policy: Mapped[str] = mapped_column(String(32))
    price_index_key: Mapped[str] = mapped_column(String(64))
    tracker_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    line_count: Mapped[int]
    total_spend: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    mapped_spend: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    excluded_spend: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=0)
    # One standard deviation of the total (kgCO2e), from per-line data quality.
    sigma_kgco2e: Mapped[Decimal | None] = mapped_column(Numeric(24, 6))
    # Spend-weighted data-quality scores of mapped lines, and the share of emissions
    # from supplier-specific factors.
    data_quality: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    total_kgco2e: Mapped[Decimal] = mapped_column(Numeric(24, 6))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Distinct classified texts the run's suggestion evidence (run_evidence) was learned
    # from; NULL until that evidence is gathered (tracker.services.classification.evidence).
    evidence_texts: Mapped[int | None]


class PeriodLock(Base):
    """A financial year whose reported inventory is frozen until explicitly restated."""

    __tablename__ = "period_lock"
    __table_args__ = (UniqueConstraint("authority_id", "fy_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    fy_year: Mapped[int]
    run_id: Mapped[int] = mapped_column(ForeignKey("inventory_run.id"))
    locked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    locked_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)


class YearConfirmation(Base):
    """An officer's confirmation that a part year (fewer than 12 months with lines) is
    complete, so that it counts in status and trend (tracker.domain.completeness)."""

    __tablename__ = "year_confirmation"

    authority_id: Mapped[int] = mapped_column(
        ForeignKey("authority.id", ondelete="CASCADE"), primary_key=True
    )
    fy_year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    months_covered: Mapped[int]  # how many months had lines when it was confirmed
    confirmed_by: Mapped[str] = mapped_column(String(200))
    confirmed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text)


class InventoryPending(Base):
    """A financial year whose inventory could not be computed or brought up to date,
    and why, naming what to load ("No GBP→USD exchange rate for 2022. Load …"). Written
    by the refresh after an import or a change (tracker.services.recalculate) and removed
    once the year computes; reports and pages show the reason instead of the figures, or
    beside an older run's."""

    __tablename__ = "inventory_pending"

    authority_id: Mapped[int] = mapped_column(
        ForeignKey("authority.id", ondelete="CASCADE"), primary_key=True
    )
    fy_year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    reason: Mapped[str] = mapped_column(Text)
    noted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Who did what, when and why, to which authority's figures."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_authority", "authority_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    fy_year: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class Target(Base):
    """An authority's reduction target and the pathway to it."""

    __tablename__ = "target"

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(
        ForeignKey("authority.id", ondelete="CASCADE"), unique=True
    )
    baseline_years: Mapped[list[int]] = mapped_column(JSON)
    target_year: Mapped[int]
    reduction_pct: Mapped[Decimal] = mapped_column(Numeric(7, 3))
    net_zero_year: Mapped[int | None]
    pathway: Mapped[str] = mapped_column(String(16))
    interim: Mapped[list[list[Any]]] = mapped_column(JSON)  # [[year, pct], …]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The baseline the target was set against (mean kgCO2e of the baseline years) and the
    # inventory version of each baseline year then ({"2019": 3}). Progress and status use
    # this figure until it is restated with a reason (tracker target restate); NULL only
    # for a target set before baselines were recorded whose years had no inventory.
    baseline_kg: Mapped[Decimal | None] = mapped_column(Numeric(24, 6))
    baseline_versions: Mapped[dict[str, int] | None] = mapped_column(JSON)
    baseline_recorded_at: Mapped[dt.datetime | None]
    baseline_recorded_by: Mapped[str | None] = mapped_column(String(200))
    # A change of the baseline year's figures by at least this share (%) is significant
    # (GHG Protocol base-year recalculation policy); smaller changes are shown but need
    # not be restated.
    significance_pct: Mapped[Decimal] = mapped_column(
        Numeric(5, 2), default=Decimal(5), server_default="5"
    )
