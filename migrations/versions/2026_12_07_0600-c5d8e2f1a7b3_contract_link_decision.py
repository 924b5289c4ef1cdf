"""contract link decision

An officer's decision of the contract an ambiguous payment falls under: one row per
spend line, honoured by linking each time it runs.

Revision ID: c5d8e2f1a7b3
Revises: 743ef73e8b9b
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5d8e2f1a7b3"
down_revision: str | None = "743ef73e8b9b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contract_link_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("spend_line_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_contract_link_decision_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
            name=op.f("fk_contract_link_decision_contract_id_contract"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["spend_line_id"],
            ["spend_line.id"],
            name=op.f("fk_contract_link_decision_spend_line_id_spend_line"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_link_decision")),
        sa.UniqueConstraint("spend_line_id", name=op.f("uq_contract_link_decision_spend_line_id")),
    )
    with op.batch_alter_table("contract_link_decision", schema=None) as batch_op:
        batch_op.create_index("ix_contract_link_decision_authority", ["authority_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contract_link_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_contract_link_decision_authority")
    op.drop_table("contract_link_decision")
