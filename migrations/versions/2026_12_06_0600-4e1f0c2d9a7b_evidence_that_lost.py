"""evidence that lost

line_class and line_emission record the evidence that disagreed with a line's
classification and lost (``overruled``; "conflict: …" when the disagreement lowered the
decision's confidence and sent the line to review: docs/classification-policy.md §6).
line_class is a cache of the classification of each distinct set of inputs, so it is
emptied here: the next classification fills it again under the 2026.1 policy. Runs
computed earlier keep NULL.

Revision ID: 4e1f0c2d9a7b
Revises: b9c26e7fbde8
Create Date: 2026-12-06 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4e1f0c2d9a7b"
down_revision: str | None = "b9c26e7fbde8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE: SQLite adds (and, 3.35+, drops) a column in place.
    op.add_column("line_class", sa.Column("overruled", sa.String(length=200), nullable=True))
    op.add_column("line_emission", sa.Column("overruled", sa.String(length=200), nullable=True))
    op.execute("DELETE FROM line_class")


def downgrade() -> None:
    op.drop_column("line_emission", "overruled")
    op.drop_column("line_class", "overruled")
