"""run evidence for review suggestions

Per-run evidence that review suggestions learn from (classified spend per supplier key,
expense type and word), and the run's count of distinct classified texts. Runs computed
before this revision have NULL there; `tracker db upgrade` learns their evidence after
migrating (tracker.services.classification.evidence: the word evidence is learned in Python).

Revision ID: c296da1c0539
Revises: 9b819091acd4
Create Date: 2026-12-03 08:03:31.378513
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c296da1c0539"
down_revision: str | None = "9b819091acd4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "run_evidence",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("defra_group", sa.String(length=32), nullable=False),
        sa.Column("weight", sa.Numeric(precision=24, scale=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["inventory_run.id"],
            name=op.f("fk_run_evidence_run_id_inventory_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "run_id", "kind", "key", "defra_group", name=op.f("pk_run_evidence")
        ),
    )
    # Plain ALTER TABLE on both databases: SQLite adds and (3.35+) drops a column in place,
    # with no copy of inventory_run and its rows.
    op.add_column("inventory_run", sa.Column("evidence_texts", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("inventory_run", "evidence_texts")
    op.drop_table("run_evidence")
