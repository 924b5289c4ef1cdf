"""The emissions of each spend line in each inventory run."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    and_,
    join,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column

# The tables the two below refer to, defined first: mapping a class to a join resolves
# the joined tables' foreign keys at once.
from tracker.models import factors as _factors  # noqa: F401
from tracker.models import inventory as _inventory  # noqa: F401
from tracker.models import spend as _spend  # noqa: F401
from tracker.models.base import Base


class LineEmissionKey(Base):
    """What every line of one key of a run shares: its outcome, classification, factor,
    price indices, deflator, exchange rate and data quality. A run's lines are costed by
    key (tracker.services.inventory.keys), so these are stored once per key, not once per
    line; ``LineEmission`` reads them with each line."""

    __tablename__ = "line_emission_key"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("inventory_run.id", ondelete="CASCADE"), primary_key=True
    )
    key_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(16))  # "mapped" | "unmapped" | "excluded"
    scope3_category: Mapped[int | None]  # 1 purchased goods and services, 2 capital goods
    confidence: Mapped[str | None] = mapped_column(String(8))
    # GHG Protocol data-quality scores 1-5: technology, time, geography, completeness,
    # reliability, as five digits (e.g. "31123"); None for unmapped and excluded lines.
    dq: Mapped[str | None] = mapped_column(String(5))
    method: Mapped[str | None] = mapped_column(String(32))  # e.g. "sic"
    match_level: Mapped[str | None] = mapped_column(String(32))
    matched_code: Mapped[str | None] = mapped_column(String(100))
    # Who wrote the rule, supplier default or override that classified the line (None:
    # the shipped tables and library, or a line computed before this was recorded).
    decided_by: Mapped[str | None] = mapped_column(String(200))
    # Evidence that disagreed with the classification and lost ("conflict: …" when the
    # disagreement lowered its confidence); None where nothing disagreed.
    overruled: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    category_code: Mapped[str | None] = mapped_column(String(32))
    factor_id: Mapped[int | None] = mapped_column(ForeignKey("factor.id"))
    factor_set_id: Mapped[int | None] = mapped_column(ForeignKey("factor_set.id"))
    factor_year: Mapped[int | None]
    factor_value: Mapped[Decimal | None] = mapped_column(Numeric(24, 12))
    price_index_key: Mapped[str | None] = mapped_column(String(64))
    price_index_spend_year: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    price_index_factor_year: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    deflator: Mapped[Decimal | None] = mapped_column(Numeric(24, 12))
    # Spend currency -> factor currency, annual average of the spend year (None: same).
    fx_rate: Mapped[Decimal | None] = mapped_column(Numeric(18, 8))
    supplier_factor_id: Mapped[int | None] = mapped_column(ForeignKey("supplier_factor.id"))


# One row per line of a run: its key and its two amounts. The run and key are one foreign
# key (to line_emission_key, which cascades from the run), so PostgreSQL checks two keys
# per line, not five.
line_emission_table = Table(
    "line_emission",
    Base.metadata,
    Column("run_id", Integer, primary_key=True),
    Column("spend_line_id", ForeignKey("spend_line.id", ondelete="CASCADE"), primary_key=True),
    Column("key_id", Integer, nullable=False),
    Column("spend_in_factor_year", Numeric(24, 6)),
    Column("kgco2e", Numeric(24, 6), nullable=False),
    ForeignKeyConstraint(
        ["run_id", "key_id"],
        ["line_emission_key.run_id", "line_emission_key.key_id"],
        ondelete="CASCADE",
    ),
    Index("ix_line_emission_spend_line", "spend_line_id"),
)
_key_table = LineEmissionKey.__table__


class LineEmission(Base):
    """Emissions of one spend line in one run, with everything needed to recompute them:
    the line's row of ``line_emission`` joined to its key's row of ``line_emission_key``.

    kgco2e = spend_in_factor_year * factor_value, where
    spend_in_factor_year = amount * fx_rate * deflator and
    deflator = index(factor_year) / index(spend_year).
    """

    __table__ = join(
        line_emission_table,
        _key_table,
        and_(
            line_emission_table.c.run_id == _key_table.c.run_id,
            line_emission_table.c.key_id == _key_table.c.key_id,
        ),
    )
    run_id = column_property(line_emission_table.c.run_id, _key_table.c.run_id)
    key_id = column_property(line_emission_table.c.key_id, _key_table.c.key_id)
    if TYPE_CHECKING:  # mapped from the two tables' columns
        spend_line_id: Mapped[int]
        status: Mapped[str]
        scope3_category: Mapped[int | None]
        confidence: Mapped[str | None]
        dq: Mapped[str | None]
        method: Mapped[str | None]
        match_level: Mapped[str | None]
        matched_code: Mapped[str | None]
        decided_by: Mapped[str | None]
        overruled: Mapped[str | None]
        reason: Mapped[str | None]
        category_code: Mapped[str | None]
        factor_id: Mapped[int | None]
        factor_set_id: Mapped[int | None]
        factor_year: Mapped[int | None]
        factor_value: Mapped[Decimal | None]
        price_index_key: Mapped[str | None]
        price_index_spend_year: Mapped[Decimal | None]
        price_index_factor_year: Mapped[Decimal | None]
        deflator: Mapped[Decimal | None]
        fx_rate: Mapped[Decimal | None]
        supplier_factor_id: Mapped[int | None]
        spend_in_factor_year: Mapped[Decimal | None]
        kgco2e: Mapped[Decimal]
