"""contract spend link

Payments linked to the contract they fall under (issue 19): one row per spend line and
contract, linked or ambiguous, with the match method and score.

Revision ID: 3b7e91c4d2a8
Revises: e262549ea400
Create Date: 2026-12-06 23:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b7e91c4d2a8"
down_revision: str | None = "e262549ea400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contract_spend_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("spend_line_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Numeric(precision=4, scale=3), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_contract_spend_link_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
            name=op.f("fk_contract_spend_link_contract_id_contract"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["spend_line_id"],
            ["spend_line.id"],
            name=op.f("fk_contract_spend_link_spend_line_id_spend_line"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_spend_link")),
        sa.UniqueConstraint(
            "spend_line_id",
            "contract_id",
            name=op.f("uq_contract_spend_link_spend_line_id_contract_id"),
        ),
    )
    with op.batch_alter_table("contract_spend_link", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contract_spend_link_contract", ["contract_id", "status"], unique=False
        )
        batch_op.create_index("ix_contract_spend_link_authority", ["authority_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contract_spend_link", schema=None) as batch_op:
        batch_op.drop_index("ix_contract_spend_link_authority")
        batch_op.drop_index("ix_contract_spend_link_contract")
    op.drop_table("contract_spend_link")
