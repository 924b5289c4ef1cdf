"""treatments in run evidence

run_evidence also keeps how each run's decided lines of a supplier and of an expense type
were treated (kinds ``treat_supplier`` and ``treat_expense``: a category, or ``x:REASON``
when excluded), so that payees and expense types treated differently across authorities
can be listed (tracker.services.treatments). Runs learned before this have none, so their evidence
is deleted and every run's ``evidence_texts`` reset: `tracker db upgrade` (or the next
review) learns it again.

Revision ID: 9a4f7c2e1b63
Revises: 7d3e5b1c9f20
Create Date: 2026-12-06 21:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "9a4f7c2e1b63"
down_revision: str | None = "7d3e5b1c9f20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM run_evidence")
    op.execute("UPDATE inventory_run SET evidence_texts = NULL")


def downgrade() -> None:
    op.execute("DELETE FROM run_evidence WHERE kind IN ('treat_supplier', 'treat_expense')")
