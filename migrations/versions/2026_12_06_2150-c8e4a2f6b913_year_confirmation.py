"""year confirmation

An officer may confirm that a part year (fewer than twelve months with spend lines) is
complete, with who, when and why; until then the year is left out of status and trend.

Revision ID: c8e4a2f6b913
Revises: 5e8b2d4f6a17
Create Date: 2026-12-06 21:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c8e4a2f6b913"
down_revision: str | None = "5e8b2d4f6a17"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "year_confirmation",
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("fy_year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("months_covered", sa.Integer(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=200), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_year_confirmation_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("authority_id", "fy_year", name=op.f("pk_year_confirmation")),
    )


def downgrade() -> None:
    op.drop_table("year_confirmation")
