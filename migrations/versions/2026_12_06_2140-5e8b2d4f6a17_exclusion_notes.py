"""exclusion notes

An authority that counts spend the policy excludes by default (``included_exclusions``,
e.g. its energy suppliers) records why, per reason, in ``exclusion_note``; the authority
page discloses it.

Revision ID: 5e8b2d4f6a17
Revises: 7c3a9e51d2b4
Create Date: 2026-12-06 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e8b2d4f6a17"
down_revision: str | None = "7c3a9e51d2b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exclusion_note",
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_exclusion_note_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("authority_id", "reason", name=op.f("pk_exclusion_note")),
    )


def downgrade() -> None:
    op.drop_table("exclusion_note")
