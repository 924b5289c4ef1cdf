"""Factor sets, factors and price indices, each carrying its provenance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow


class FactorSet(Base):
    """One published table of factors for one data year of one edition."""

    __tablename__ = "factor_set"
    __table_args__ = (UniqueConstraint("family", "edition", "data_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family: Mapped[str] = mapped_column(String(64))  # e.g. "defra-uk-sic"
    edition: Mapped[str] = mapped_column(String(32))  # e.g. "to-2023"
    data_year: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(64))  # e.g. "kgCO2e per GBP"
    currency: Mapped[str] = mapped_column(String(3))
    price_basis: Mapped[str] = mapped_column(String(200))
    code_system: Mapped[str] = mapped_column(String(100))
    gwp: Mapped[str | None] = mapped_column(String(32))
    licence: Mapped[str] = mapped_column(String(200))
    source_url: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str] = mapped_column(String(300))
    source_sha256: Mapped[str] = mapped_column(String(64))
    table_sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    factors: Mapped[list[Factor]] = relationship(back_populates="factor_set")

    @property
    def label(self) -> str:
        return f"{self.family} {self.edition} ({self.data_year})"


class Factor(Base):
    __tablename__ = "factor"
    __table_args__ = (UniqueConstraint("factor_set_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    factor_set_id: Mapped[int] = mapped_column(ForeignKey("factor_set.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300))
    value: Mapped[Decimal] = mapped_column(Numeric(24, 12))
    # The code(s) of the commodity price index that deflates spend to this factor's
    # currency year (EPA: the Reference USEEIO Code); None for an economy-wide index.
    price_index_code: Mapped[str | None] = mapped_column(String(64))

    factor_set: Mapped[FactorSet] = relationship(back_populates="factors")


class PriceIndexSeries(Base):
    __tablename__ = "price_index_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # e.g. "ons-cpi-d7bt"
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(200))
    base: Mapped[str] = mapped_column(String(64))  # e.g. "2015=100"
    licence: Mapped[str] = mapped_column(String(200))
    source_url: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str] = mapped_column(String(300))
    source_sha256: Mapped[str] = mapped_column(String(64))
    table_sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PriceIndexValue(Base):
    __tablename__ = "price_index_value"
    __table_args__ = (UniqueConstraint("series_id", "code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("price_index_series.id", ondelete="CASCADE"))
    # Commodity code for commodity-specific indices; "" for an economy-wide index.
    code: Mapped[str] = mapped_column(String(32), default="")
    year: Mapped[int]
    value: Mapped[Decimal] = mapped_column(Numeric(18, 6))


class ExchangeRate(Base):
    """Annual average market exchange rate: 1 unit of ``base`` = ``rate`` units of ``quote``."""

    __tablename__ = "exchange_rate"
    __table_args__ = (UniqueConstraint("base", "quote", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    base: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    year: Mapped[int]
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 8))
    source: Mapped[str] = mapped_column(String(300))
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SupplierFactor(Base):
    """A supplier's own emissions intensity (GHG Protocol hybrid method).

    kgCO2e per unit of the supplier's revenue in ``currency`` of ``year``; overrides the
    sector factor for spend with that supplier. ``authority_id`` None = shared by all.
    """

    __tablename__ = "supplier_factor"
    __table_args__ = (UniqueConstraint("supplier_id", "authority_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"))
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    year: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    kgco2e_per_unit: Mapped[Decimal] = mapped_column(Numeric(24, 12))
    evidence_url: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
