"""accepted suggestions as rules of their own origin

Revision ID: 9d6475460b9a
Revises: 9ec893492ead
Create Date: 2026-11-27 21:18:21.781131
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9d6475460b9a"
down_revision: str | None = "9ec893492ead"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("classification_rule", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("origin", sa.String(length=16), server_default="rule", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("classification_rule", schema=None) as batch_op:
        batch_op.drop_column("origin")
