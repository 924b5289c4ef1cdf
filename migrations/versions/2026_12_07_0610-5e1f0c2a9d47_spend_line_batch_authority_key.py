"""spend line batch and authority key

A spend line's two foreign keys to its batch and to its authority become one, to the pair
(import_batch.id, import_batch.authority_id), backed by a unique index on that pair: the
line must belong to a batch of its own authority, and deleting the authority (which deletes
its batches) or the batch deletes the line, as before. PostgreSQL checks each foreign key
of each inserted row apart, so an import of a million lines made a million checks fewer.

Revision ID: 5e1f0c2a9d47
Revises: c5d8e2f1a7b3
Create Date: 2026-12-07 06:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5e1f0c2a9d47"
down_revision: str | None = "c5d8e2f1a7b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PAIR = "fk_spend_line_batch_id_import_batch"  # the naming convention's name for either


def upgrade() -> None:
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index("ix_import_batch_id_authority", ["id", "authority_id"], unique=True)
    with op.batch_alter_table("spend_line", schema=None) as batch_op:
        batch_op.drop_constraint("fk_spend_line_authority_id_authority", type_="foreignkey")
        batch_op.drop_constraint(_PAIR, type_="foreignkey")
        batch_op.create_foreign_key(
            _PAIR,
            "import_batch",
            ["batch_id", "authority_id"],
            ["id", "authority_id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("spend_line", schema=None) as batch_op:
        batch_op.drop_constraint(_PAIR, type_="foreignkey")
        batch_op.create_foreign_key(
            "fk_spend_line_authority_id_authority",
            "authority",
            ["authority_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(_PAIR, "import_batch", ["batch_id"], ["id"], ondelete="CASCADE")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index("ix_import_batch_id_authority")
