"""inventory pending

A financial year whose inventory could not be computed after an import or a change (a
missing exchange rate or factor), with the reason naming what to load; removed once the
year computes.

Revision ID: b7d41e9a3c25
Revises: a41c7e9d5b20
Create Date: 2026-12-06 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7d41e9a3c25"
down_revision: str | None = "a41c7e9d5b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inventory_pending",
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("fy_year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("noted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_inventory_pending_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("authority_id", "fy_year", name=op.f("pk_inventory_pending")),
    )


def downgrade() -> None:
    op.drop_table("inventory_pending")
