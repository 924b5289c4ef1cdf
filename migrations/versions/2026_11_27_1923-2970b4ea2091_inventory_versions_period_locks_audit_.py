"""inventory versions, period locks, audit log, targets

Revision ID: 2970b4ea2091
Revises: e90212390628
Create Date: 2026-11-27 19:23:39.048106
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2970b4ea2091"
down_revision: str | None = "e90212390628"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=True),
        sa.Column("fy_year", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_audit_entry_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_authority", ["authority_id", "at"], unique=False)

    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("baseline_years", sa.JSON(), nullable=False),
        sa.Column("target_year", sa.Integer(), nullable=False),
        sa.Column("reduction_pct", sa.Numeric(precision=7, scale=3), nullable=False),
        sa.Column("net_zero_year", sa.Integer(), nullable=True),
        sa.Column("pathway", sa.String(length=16), nullable=False),
        sa.Column("interim", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_target_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
        sa.UniqueConstraint("authority_id", name=op.f("uq_target_authority_id")),
    )
    op.create_table(
        "period_lock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("fy_year", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_period_lock_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["inventory_run.id"], name=op.f("fk_period_lock_run_id_inventory_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_lock")),
        sa.UniqueConstraint(
            "authority_id", "fy_year", name=op.f("uq_period_lock_authority_id_fy_year")
        ),
    )
    with op.batch_alter_table("inventory_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("created_by", sa.String(length=200), nullable=True))

    # Existing runs become versions 1, 2, … in the order they were computed.
    op.execute(
        "UPDATE inventory_run SET version = (SELECT COUNT(*) FROM inventory_run AS earlier "
        "WHERE earlier.authority_id = inventory_run.authority_id "
        "AND earlier.fy_year = inventory_run.fy_year AND earlier.id <= inventory_run.id)"
    )



def downgrade() -> None:
    with op.batch_alter_table("inventory_run", schema=None) as batch_op:
        batch_op.drop_column("created_by")
        batch_op.drop_column("reason")
        batch_op.drop_column("version")

    op.drop_table("period_lock")
    op.drop_table("target")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_authority")

    op.drop_table("audit_entry")
