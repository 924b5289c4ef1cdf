"""classification rules, supplier defaults, exclusions

Revision ID: d8e62d2222fd
Revises: 2970b4ea2091
Create Date: 2026-11-27 19:43:04.806460
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d8e62d2222fd"
down_revision: str | None = "2970b4ea2091"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "classification_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=True),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("pattern", sa.String(length=500), nullable=False),
        sa.Column("match", sa.String(length=8), nullable=False),
        sa.Column("defra_group", sa.String(length=32), nullable=True),
        sa.Column("exclude_reason", sa.String(length=32), nullable=True),
        sa.Column("if_included", sa.String(length=32), nullable=True),
        sa.Column("scope3_category", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_classification_rule_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_rule")),
        sa.UniqueConstraint(
            "authority_id", "rule_id", name=op.f("uq_classification_rule_authority_id_rule_id")
        ),
    )
    op.create_table(
        "supplier_default",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=True),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("defra_group", sa.String(length=32), nullable=True),
        sa.Column("exclude_reason", sa.String(length=32), nullable=True),
        sa.Column("scope3_category", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_supplier_default_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_supplier_default_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_default")),
        sa.UniqueConstraint(
            "authority_id", "supplier_id", name=op.f("uq_supplier_default_authority_id_supplier_id")
        ),
    )
    with op.batch_alter_table("authority", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("included_exclusions", sa.JSON(), nullable=False, server_default="[]")
        )

    with op.batch_alter_table("inventory_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "excluded_spend",
                sa.Numeric(precision=18, scale=2),
                nullable=False,
                server_default="0",
            )
        )

    with op.batch_alter_table("line_emission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope3_category", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confidence", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("line_emission", schema=None) as batch_op:
        batch_op.drop_column("confidence")
        batch_op.drop_column("scope3_category")

    with op.batch_alter_table("inventory_run", schema=None) as batch_op:
        batch_op.drop_column("excluded_spend")

    with op.batch_alter_table("authority", schema=None) as batch_op:
        batch_op.drop_column("included_exclusions")

    op.drop_table("supplier_default")
    op.drop_table("classification_rule")
