"""naics targets

A US authority's rules, supplier defaults and line overrides (and shared ones) may name
the EPA NAICS-6 commodity itself (``naics_code``), not only a Defra group; line_class
records the code of the target that decided. Existing rows named none, so NULL is right
for them.

Revision ID: 7a3c5e9b1d24
Revises: 7b3e9d1c5a20
Create Date: 2026-12-06 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a3c5e9b1d24"
down_revision: str | None = "7b3e9d1c5a20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("classification_rule", "supplier_default", "line_override", "line_class")


def upgrade() -> None:
    # Plain ALTER TABLE: SQLite adds (and, 3.35+, drops) a column in place.
    for table in TABLES:
        op.add_column(table, sa.Column("naics_code", sa.String(length=6), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_column(table, "naics_code")
