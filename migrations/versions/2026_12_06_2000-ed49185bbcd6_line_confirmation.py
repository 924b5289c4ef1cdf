"""line confirmation

line_confirmation records an officer's confirmation of a classification decision (the
sign-off review, docs/classification-policy.md): keyed by the lines' classification
inputs (class_key) or by one spend line, with the decision confirmed, so that a line
whose decision later differs shows "needs re-confirming".

Revision ID: ed49185bbcd6
Revises: 4e1f0c2d9a7b
Create Date: 2026-12-06 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ed49185bbcd6"
down_revision: str | None = "4e1f0c2d9a7b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "line_confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("class_key", sa.String(length=32), nullable=True),
        sa.Column("spend_line_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=True),
        sa.Column("factor_code", sa.String(length=32), nullable=True),
        sa.Column("exclusion", sa.Text(), nullable=True),
        sa.Column("method", sa.String(length=32), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("confirmed_by", sa.String(length=200), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(class_key IS NULL) <> (spend_line_id IS NULL)",
            name=op.f("ck_line_confirmation_class_or_line"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_line_confirmation_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["spend_line_id"],
            ["spend_line.id"],
            name=op.f("fk_line_confirmation_spend_line_id_spend_line"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_confirmation")),
        sa.UniqueConstraint(
            "authority_id", "class_key", name=op.f("uq_line_confirmation_authority_id_class_key")
        ),
        sa.UniqueConstraint("spend_line_id", name=op.f("uq_line_confirmation_spend_line_id")),
    )


def downgrade() -> None:
    op.drop_table("line_confirmation")
