"""data quality and uncertainty

Revision ID: b36d574a1a76
Revises: d8e62d2222fd
Create Date: 2026-11-27 19:52:32.762020
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b36d574a1a76"
down_revision: str | None = "d8e62d2222fd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inventory_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sigma_kgco2e", sa.Numeric(precision=24, scale=6), nullable=True)
        )
        batch_op.add_column(sa.Column("data_quality", sa.JSON(), nullable=True))

    with op.batch_alter_table("line_emission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dq", sa.String(length=5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("line_emission", schema=None) as batch_op:
        batch_op.drop_column("dq")

    with op.batch_alter_table("inventory_run", schema=None) as batch_op:
        batch_op.drop_column("data_quality")
        batch_op.drop_column("sigma_kgco2e")
