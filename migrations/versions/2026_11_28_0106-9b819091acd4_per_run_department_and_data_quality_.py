"""per-run department and data-quality totals

Summary rows written with each inventory run for the department breakdown and the
per-category data quality and uncertainty, read instead of every line emission. Runs
computed before this revision are backfilled from their line emissions.

Revision ID: 9b819091acd4
Revises: a78b19a2c76d
Create Date: 2026-11-28 01:06:05.059377
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9b819091acd4"
down_revision: str | None = "a78b19a2c76d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL_DEPARTMENTS = """
INSERT INTO run_department_total (run_id, department, status, lines, spend, kgco2e)
SELECT le.run_id, NULLIF(TRIM(sl.cost_centre), ''), le.status, count(*), sum(sl.amount),
    sum(le.kgco2e)
FROM line_emission le JOIN spend_line sl ON sl.id = le.spend_line_id
GROUP BY le.run_id, NULLIF(TRIM(sl.cost_centre), ''), le.status
"""

BACKFILL_QUALITY = """
INSERT INTO run_quality_total (
    run_id, category_code, dq, lines, spend, abs_spend, kgco2e, kg2
)
SELECT le.run_id, le.category_code, le.dq, count(*), sum(sl.amount), sum(abs(sl.amount)),
    sum(le.kgco2e), sum(le.kgco2e * le.kgco2e)
FROM line_emission le JOIN spend_line sl ON sl.id = le.spend_line_id
WHERE le.status = 'mapped'
GROUP BY le.run_id, le.category_code, le.dq
"""


def upgrade() -> None:
    op.create_table(
        "run_department_total",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("spend", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("kgco2e", sa.Numeric(precision=24, scale=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["inventory_run.id"],
            name=op.f("fk_run_department_total_run_id_inventory_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_department_total")),
    )
    with op.batch_alter_table("run_department_total", schema=None) as batch_op:
        batch_op.create_index("ix_run_department_total_run", ["run_id"], unique=False)

    op.create_table(
        "run_quality_total",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=True),
        sa.Column("dq", sa.String(length=5), nullable=True),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("spend", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("abs_spend", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("kgco2e", sa.Numeric(precision=24, scale=6), nullable=False),
        sa.Column("kg2", sa.Numeric(precision=36, scale=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["inventory_run.id"],
            name=op.f("fk_run_quality_total_run_id_inventory_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_quality_total")),
    )
    with op.batch_alter_table("run_quality_total", schema=None) as batch_op:
        batch_op.create_index("ix_run_quality_total_run", ["run_id"], unique=False)

    op.execute(BACKFILL_DEPARTMENTS)
    op.execute(BACKFILL_QUALITY)


def downgrade() -> None:
    with op.batch_alter_table("run_quality_total", schema=None) as batch_op:
        batch_op.drop_index("ix_run_quality_total_run")

    op.drop_table("run_quality_total")
    with op.batch_alter_table("run_department_total", schema=None) as batch_op:
        batch_op.drop_index("ix_run_department_total_run")

    op.drop_table("run_department_total")
