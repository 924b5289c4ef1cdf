"""authority alias

Other names an authority publishes its spend under ("Salford CC"), one row each, read by
the organisation check on import (issue 16).

Revision ID: a41c7e9d5b20
Revises: 3b7e91c4d2a8
Create Date: 2026-12-06 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a41c7e9d5b20"
down_revision: str | None = "3b7e91c4d2a8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "authority_alias",
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_authority_alias_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("authority_id", "name", name=op.f("pk_authority_alias")),
    )


def downgrade() -> None:
    op.drop_table("authority_alias")
