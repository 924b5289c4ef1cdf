"""capital cost-centre classes

A line booked to a capital cost centre ("CAPITAL", "Capital Schemes") is Scope 3
category 2 (tracker/domain/capital.py, docs/classification-policy.md §13), so its
classification key now marks the cost centre (tracker.domain.classify.class_key) and a
class never merges capital and revenue lines. Data only: the keys of lines whose cost
centre may name capital are cleared, and the next classification gives them their key
again (line_classes._backfill_keys, with the cost centre); line_class is a cache of the
classification of each key, emptied so that the next classification fills it under the
new category order. Downgrade clears the same keys for the older code to recompute.

Revision ID: 7c3a9e51d2b4
Revises: 9a4f7c2e1b63
Create Date: 2026-12-06 21:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "7c3a9e51d2b4"
down_revision: str | None = "9a4f7c2e1b63"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every cost centre capital.capital_cost_centre() can match contains "capital".
_CLEAR_KEYS = "UPDATE spend_line SET class_key = NULL WHERE lower(cost_centre) LIKE '%capital%'"


def upgrade() -> None:
    op.execute(_CLEAR_KEYS)
    op.execute("DELETE FROM line_class")


def downgrade() -> None:
    op.execute(_CLEAR_KEYS)
    op.execute("DELETE FROM line_class")
