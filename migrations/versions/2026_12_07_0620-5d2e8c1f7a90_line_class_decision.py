"""line class decision

Each line_class row gets ``decision``: its decision (status, group, NAICS code, method,
rule, confidence, Scope 3 category, exclusion, who decided, evidence that lost) as a number
within its authority, equal for equal decisions and different otherwise, so that an
inventory groups and joins a year's lines on one integer instead of ten columns. Rows
already cached are numbered here by rank of their decision within their authority; the
classification numbers the rows it writes from then on.

Revision ID: 5d2e8c1f7a90
Revises: 5e1f0c2a9d47
Create Date: 2026-12-07 06:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d2e8c1f7a90"
down_revision: str | None = "5e1f0c2a9d47"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DECIDED = (
    "status", "defra_group", "naics_code", "method", "rule_ref", "confidence",
    "scope3_category", "exclude_reason", "decided_by", "overruled",
)  # fmt: skip


def upgrade() -> None:
    op.add_column("line_class", sa.Column("decision", sa.Integer(), nullable=True))
    # Equal decisions are peers in the ranking (NULLs sort together), so they share a rank.
    op.execute(
        "UPDATE line_class SET decision = ranked.n FROM (SELECT authority_id AS a,"
        " class_key AS k, dense_rank() OVER (PARTITION BY authority_id ORDER BY "
        + ", ".join(DECIDED)
        + ") AS n FROM line_class) AS ranked"
        " WHERE line_class.authority_id = ranked.a AND line_class.class_key = ranked.k"
    )
    with op.batch_alter_table("line_class") as batch:
        batch.alter_column("decision", existing_type=sa.Integer(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("line_class") as batch:
        batch.drop_column("decision")
