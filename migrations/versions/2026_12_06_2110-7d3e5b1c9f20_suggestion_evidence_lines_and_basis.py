"""suggestion evidence: lines and basis

run_evidence gains, for supplier and expense-type evidence, the number of classified
lines behind each (run, key, group) and the basis that decided most of their spend (the
method and rule or code, e.g. "rule R075"), so that a review suggestion can say what it
rests on. Lines decided with low confidence are no longer evidence. The stored evidence
was learned without either, so it is deleted here and every run's
``evidence_texts`` reset: `tracker db upgrade` (or the next review) learns it again.

Revision ID: 7d3e5b1c9f20
Revises: 7a3c5e9b1d24
Create Date: 2026-12-06 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d3e5b1c9f20"
down_revision: str | None = "7a3c5e9b1d24"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _forget() -> None:
    op.execute("DELETE FROM run_evidence")
    op.execute("UPDATE inventory_run SET evidence_texts = NULL")


def upgrade() -> None:
    _forget()
    op.add_column(
        "run_evidence", sa.Column("lines", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("run_evidence", sa.Column("basis", sa.String(length=140), nullable=True))


def downgrade() -> None:
    _forget()
    op.drop_column("run_evidence", "basis")
    op.drop_column("run_evidence", "lines")
