"""Authorities: the tenant that every query is scoped by."""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.domain.codes import PriceYearPolicy
from tracker.models.base import Base, CreatedAtMixin


class Authority(CreatedAtMixin, Base):
    __tablename__ = "authority"
    __table_args__ = (
        CheckConstraint("fy_start_month BETWEEN 1 AND 12", name="fy_start_month_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), default="GB")
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    population: Mapped[int | None]
    fy_start_month: Mapped[int] = mapped_column(default=4)
    # Factor set used for this authority's inventories (key of FactorSet.family).
    default_factor_family: Mapped[str] = mapped_column(String(64), default="defra-uk-sic")
    default_factor_edition: Mapped[str] = mapped_column(String(32), default="to-2023")
    # "matched": each year's spend with that year's factor (later years deflated to the
    # latest); "fixed": every year deflated to one factor year (fixed_vintage_year).
    price_year_policy: Mapped[str] = mapped_column(String(16), default=PriceYearPolicy.MATCHED)
    fixed_vintage_year: Mapped[int | None]
    # Exclusion reasons this authority has switched off (e.g. ["energy_own"] to count its
    # own energy purchases with their sector factor instead of leaving them to Scope 1/2).
    included_exclusions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Whether other authorities may see this one's aggregates in comparisons and in the
    # collaboration views (never its lines). Off unless the authority opts in.
    share_in_comparisons: Mapped[bool] = mapped_column(default=False)


class ExclusionNote(CreatedAtMixin, Base):
    """Why an authority counts spend the policy excludes for ``reason`` (one of its
    ``included_exclusions``), disclosed on the authority page."""

    __tablename__ = "exclusion_note"

    authority_id: Mapped[int] = mapped_column(
        ForeignKey("authority.id", ondelete="CASCADE"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(String(64), primary_key=True)
    note: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))


class AuthorityAlias(CreatedAtMixin, Base):
    """Another name an authority publishes its spend under ("Salford CC" for Salford City
    Council), so that a file naming it passes the organisation check on import
    (tracker.domain.organisation). Set with ``tracker authority alias add``."""

    __tablename__ = "authority_alias"

    authority_id: Mapped[int] = mapped_column(
        ForeignKey("authority.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_by: Mapped[str] = mapped_column(String(200))
