"""supplier identity and commitments

Suppliers as shared entities (issue 19): registry identifiers, climate commitments
(Carbon Reduction Plans, net-zero commitments, science-based targets), reported emissions
and revenue, the review of doubtful merges, and ``supplier.merged_into_id`` for a supplier
merged into another.

Revision ID: e262549ea400
Revises: 605cfd15efa6
Create Date: 2026-12-06 23:05:11
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e262549ea400"
down_revision: str | None = "605cfd15efa6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supplier_commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_supplier_commitment_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_commitment")),
        sa.UniqueConstraint(
            "supplier_id",
            "kind",
            "made_on",
            name=op.f("uq_supplier_commitment_supplier_id_kind_made_on"),
        ),
    )
    with op.batch_alter_table("supplier_commitment", schema=None) as batch_op:
        batch_op.create_index("ix_supplier_commitment_supplier", ["supplier_id"], unique=False)

    op.create_table(
        "supplier_identifier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_supplier_identifier_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_identifier")),
        sa.UniqueConstraint("scheme", "value", name=op.f("uq_supplier_identifier_scheme_value")),
    )
    with op.batch_alter_table("supplier_identifier", schema=None) as batch_op:
        batch_op.create_index("ix_supplier_identifier_supplier", ["supplier_id"], unique=False)

    op.create_table(
        "supplier_merge_candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["supplier.id"],
            name=op.f("fk_supplier_merge_candidate_candidate_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_supplier_merge_candidate_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_merge_candidate")),
        sa.UniqueConstraint(
            "supplier_id",
            "candidate_id",
            name=op.f("uq_supplier_merge_candidate_supplier_id_candidate_id"),
        ),
    )
    with op.batch_alter_table("supplier_merge_candidate", schema=None) as batch_op:
        batch_op.create_index("ix_supplier_merge_candidate_status", ["status"], unique=False)

    op.create_table(
        "supplier_disclosure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("scope1_tco2e", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("scope2_tco2e", sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column("scope3_tco2e", sa.Numeric(precision=18, scale=3), nullable=True),
        sa.Column("revenue", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("supplier_factor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["supplier_factor_id"],
            ["supplier_factor.id"],
            name=op.f("fk_supplier_disclosure_supplier_factor_id_supplier_factor"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["supplier.id"],
            name=op.f("fk_supplier_disclosure_supplier_id_supplier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_disclosure")),
        sa.UniqueConstraint(
            "supplier_id", "year", name=op.f("uq_supplier_disclosure_supplier_id_year")
        ),
    )
    with op.batch_alter_table("supplier", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_supplier_merged_into_id_supplier"),
            "supplier",
            ["merged_into_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("supplier", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_supplier_merged_into_id_supplier"), type_="foreignkey"
        )
        batch_op.drop_column("merged_into_id")

    op.drop_table("supplier_disclosure")
    with op.batch_alter_table("supplier_merge_candidate", schema=None) as batch_op:
        batch_op.drop_index("ix_supplier_merge_candidate_status")

    op.drop_table("supplier_merge_candidate")
    with op.batch_alter_table("supplier_identifier", schema=None) as batch_op:
        batch_op.drop_index("ix_supplier_identifier_supplier")

    op.drop_table("supplier_identifier")
    with op.batch_alter_table("supplier_commitment", schema=None) as batch_op:
        batch_op.drop_index("ix_supplier_commitment_supplier")

    op.drop_table("supplier_commitment")
