"""batch month

The lines of each import batch per calendar month (how many, net spend), written by the
import and removed with the batch, so that completeness reads a few rows per batch
instead of scanning every spend line. Filled here for the batches already imported.

Revision ID: 9b9f943f199c
Revises: b7d41e9a3c25
Create Date: 2026-12-07 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9b9f943f199c"
down_revision: str | None = "b7d41e9a3c25"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_batch = sa.table("import_batch", sa.column("id"), sa.column("status"))
_line = sa.table(
    "spend_line",
    sa.column("batch_id"),
    sa.column("authority_id"),
    sa.column("transaction_date", sa.Date()),
    sa.column("amount", sa.Numeric(18, 2)),
)
_month = sa.table(
    "batch_month",
    sa.column("batch_id"),
    sa.column("year"),
    sa.column("month"),
    sa.column("authority_id"),
    sa.column("lines"),
    sa.column("amount"),
)


def _backfill() -> sa.Insert:
    """The live batches' lines per batch and calendar month (as the import writes them)."""
    year = sa.cast(sa.extract("year", _line.c.transaction_date), sa.Integer)
    month = sa.cast(sa.extract("month", _line.c.transaction_date), sa.Integer)
    per_month = (
        sa.select(
            _line.c.batch_id,
            year,
            month,
            _line.c.authority_id,
            sa.func.count(),
            sa.func.sum(_line.c.amount),
        )
        .join(_batch, _batch.c.id == _line.c.batch_id)
        .where(_batch.c.status == "imported")
        .group_by(_line.c.batch_id, year, month, _line.c.authority_id)
    )
    return _month.insert().from_select(
        ["batch_id", "year", "month", "authority_id", "lines", "amount"], per_month
    )


def upgrade() -> None:
    op.create_table(
        "batch_month",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("month", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_batch_month_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_batch_month_batch_id_import_batch"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("batch_id", "year", "month", name=op.f("pk_batch_month")),
    )
    with op.batch_alter_table("batch_month", schema=None) as batch_op:
        batch_op.create_index("ix_batch_month_authority", ["authority_id"], unique=False)
    op.execute(_backfill())


def downgrade() -> None:
    with op.batch_alter_table("batch_month", schema=None) as batch_op:
        batch_op.drop_index("ix_batch_month_authority")
    op.drop_table("batch_month")
