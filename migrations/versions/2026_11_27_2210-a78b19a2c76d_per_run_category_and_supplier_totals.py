"""per-run category and supplier totals

Summary rows written with each inventory run, read by the dashboard, comparison and
collaboration queries instead of the line emissions. Runs computed before this revision
are backfilled from their line emissions.

Revision ID: a78b19a2c76d
Revises: 9d6475460b9a
Create Date: 2026-11-27 22:10:39.582625
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a78b19a2c76d"
down_revision: str | None = "9d6475460b9a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL_CATEGORIES = """
INSERT INTO run_category_total (
    run_id, status, category_code, scope3_category, method, factor_id, factor_set_id,
    factor_year, supplier_specific, lines, spend, kgco2e
)
SELECT le.run_id, le.status, le.category_code, le.scope3_category, le.method, le.factor_id,
    le.factor_set_id, le.factor_year, le.supplier_factor_id IS NOT NULL, count(*),
    sum(sl.amount), sum(le.kgco2e)
FROM line_emission le JOIN spend_line sl ON sl.id = le.spend_line_id
GROUP BY le.run_id, le.status, le.category_code, le.scope3_category, le.method,
    le.factor_id, le.factor_set_id, le.factor_year, le.supplier_factor_id IS NOT NULL
"""

BACKFILL_SUPPLIERS = """
INSERT INTO run_supplier_total (
    run_id, supplier_id, supplier_name, status, lines, spend, kgco2e
)
SELECT le.run_id, sl.supplier_id,
    CASE WHEN sl.supplier_id IS NULL THEN sl.supplier_name END, le.status, count(*),
    sum(sl.amount), sum(le.kgco2e)
FROM line_emission le JOIN spend_line sl ON sl.id = le.spend_line_id
GROUP BY le.run_id, sl.supplier_id,
    CASE WHEN sl.supplier_id IS NULL THEN sl.supplier_name END, le.status
"""


def upgrade() -> None:
    op.create_table(
        "run_category_total",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=True),
        sa.Column("scope3_category", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=32), nullable=True),
        sa.Column("factor_id", sa.Integer(), nullable=True),
        sa.Column("factor_set_id", sa.Integer(), nullable=True),
        sa.Column("factor_year", sa.Integer(), nullable=True),
        sa.Column("supplier_specific", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("spend", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("kgco2e", sa.Numeric(precision=24, scale=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["factor_id"], ["factor.id"], name=op.f("fk_run_category_total_factor_id_factor")
        ),
        sa.ForeignKeyConstraint(
            ["factor_set_id"],
            ["factor_set.id"],
            name=op.f("fk_run_category_total_factor_set_id_factor_set"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["inventory_run.id"],
            name=op.f("fk_run_category_total_run_id_inventory_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_category_total")),
    )
    with op.batch_alter_table("run_category_total", schema=None) as batch_op:
        batch_op.create_index(
            "ix_run_category_total_run", ["run_id", "status", "category_code"], unique=False
        )

    op.create_table(
        "run_supplier_total",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("supplier_name", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("spend", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("kgco2e", sa.Numeric(precision=24, scale=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["inventory_run.id"],
            name=op.f("fk_run_supplier_total_run_id_inventory_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_run_supplier_total_supplier_id_supplier"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_supplier_total")),
    )
    with op.batch_alter_table("run_supplier_total", schema=None) as batch_op:
        batch_op.create_index("ix_run_supplier_total_run", ["run_id", "supplier_id"], unique=False)

    op.execute(BACKFILL_CATEGORIES)
    op.execute(BACKFILL_SUPPLIERS)


def downgrade() -> None:
    with op.batch_alter_table("run_supplier_total", schema=None) as batch_op:
        batch_op.drop_index("ix_run_supplier_total_run")

    op.drop_table("run_supplier_total")
    with op.batch_alter_table("run_category_total", schema=None) as batch_op:
        batch_op.drop_index("ix_run_category_total_run")

    op.drop_table("run_category_total")
