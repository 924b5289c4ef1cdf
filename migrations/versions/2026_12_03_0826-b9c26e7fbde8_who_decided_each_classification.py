"""who decided each classification

line_class and line_emission record who wrote the rule, supplier default or line override
that classified a line. line_class is a cache of the classification of each distinct set
of inputs, so it is emptied here: the next classification fills it again, with who decided
(the inventories themselves are not made stale by this). Runs computed earlier keep NULL.

Revision ID: b9c26e7fbde8
Revises: c296da1c0539
Create Date: 2026-12-03 08:26:11.070573
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b9c26e7fbde8"
down_revision: str | None = "c296da1c0539"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE: SQLite adds (and, 3.35+, drops) a column in place, without
    # copying every line_emission row.
    op.add_column("line_class", sa.Column("decided_by", sa.String(length=200), nullable=True))
    op.add_column("line_emission", sa.Column("decided_by", sa.String(length=200), nullable=True))
    op.execute("DELETE FROM line_class")


def downgrade() -> None:
    op.drop_column("line_emission", "decided_by")
    op.drop_column("line_class", "decided_by")
