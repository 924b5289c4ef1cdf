"""contracts

Published contracts (issue 19): the imported files, the contracts of each authority with
their suppliers, and the mapping of published buyer names to authorities.

Revision ID: 605cfd15efa6
Revises: c8e4a2f6b913
Create Date: 2026-12-06 23:01:49
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "605cfd15efa6"
down_revision: str | None = "c8e4a2f6b913"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contract_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_file")),
    )
    with op.batch_alter_table("contract_file", schema=None) as batch_op:
        batch_op.create_index("ix_contract_file_sha256", ["sha256"], unique=False)

    op.create_table(
        "contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.String(length=300), nullable=False),
        sa.Column("ocid", sa.String(length=200), nullable=True),
        sa.Column("award_id", sa.String(length=200), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("buyer_name", sa.String(length=300), nullable=False),
        sa.Column("classification_scheme", sa.String(length=16), nullable=True),
        sa.Column("classification_code", sa.String(length=32), nullable=True),
        sa.Column("value_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("procurement_route", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_contract_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["contract_file.id"], name=op.f("fk_contract_file_id_contract_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
        sa.UniqueConstraint(
            "authority_id", "source_key", name=op.f("uq_contract_authority_id_source_key")
        ),
    )
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contract_authority_end_date", ["authority_id", "end_date"], unique=False
        )
        batch_op.create_index("ix_contract_file", ["file_id"], unique=False)
        batch_op.create_index("ix_contract_ocid", ["ocid"], unique=False)

    op.create_table(
        "contract_buyer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_contract_buyer_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_buyer")),
        sa.UniqueConstraint("name_key", name=op.f("uq_contract_buyer_name_key")),
    )
    op.create_table(
        "contract_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("scheme", sa.String(length=64), nullable=True),
        sa.Column("identifier", sa.String(length=100), nullable=True),
        sa.Column("sme", sa.Boolean(), nullable=True),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
            name=op.f("fk_contract_party_contract_id_contract"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["supplier.id"], name=op.f("fk_contract_party_supplier_id_supplier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_party")),
    )
    with op.batch_alter_table("contract_party", schema=None) as batch_op:
        batch_op.create_index("ix_contract_party_contract", ["contract_id"], unique=False)
        batch_op.create_index("ix_contract_party_supplier", ["supplier_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contract_party", schema=None) as batch_op:
        batch_op.drop_index("ix_contract_party_supplier")
        batch_op.drop_index("ix_contract_party_contract")

    op.drop_table("contract_party")
    op.drop_table("contract_buyer")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_index("ix_contract_ocid")
        batch_op.drop_index("ix_contract_file")
        batch_op.drop_index("ix_contract_authority_end_date")

    op.drop_table("contract")
    with op.batch_alter_table("contract_file", schema=None) as batch_op:
        batch_op.drop_index("ix_contract_file_sha256")

    op.drop_table("contract_file")
