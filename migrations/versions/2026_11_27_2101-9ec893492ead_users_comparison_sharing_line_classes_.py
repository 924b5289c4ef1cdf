"""users, comparison sharing, line classes and overrides

Spend lines imported before this revision have no class_key; the classification service
computes it for them the first time it runs (tracker.services.classify_lines).

Revision ID: 9ec893492ead
Revises: b36d574a1a76
Create Date: 2026-11-27 21:01:42.558218
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9ec893492ead"
down_revision: str | None = "b36d574a1a76"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.create_index("ix_login_attempt_addr_at", ["remote_addr", "at"], unique=False)
        batch_op.create_index("ix_login_attempt_email_at", ["email", "at"], unique=False)

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role = 'admin' OR authority_id IS NOT NULL", name=op.f("ck_app_user_scoped_role")
        ),
        sa.CheckConstraint(
            "role IN ('admin', 'officer', 'viewer')", name=op.f("ck_app_user_role_known")
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_app_user_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("email", name=op.f("uq_app_user_email")),
    )
    op.create_table(
        "line_class",
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("class_key", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("defra_group", sa.String(length=32), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=True),
        sa.Column("rule_ref", sa.String(length=100), nullable=False),
        sa.Column("confidence", sa.String(length=16), nullable=True),
        sa.Column("scope3_category", sa.Integer(), nullable=True),
        sa.Column("exclude_reason", sa.String(length=32), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_line_class_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("authority_id", "class_key", name=op.f("pk_line_class")),
    )
    op.create_table(
        "line_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spend_line_id", sa.Integer(), nullable=False),
        sa.Column("authority_id", sa.Integer(), nullable=False),
        sa.Column("defra_group", sa.String(length=32), nullable=True),
        sa.Column("exclude_reason", sa.String(length=32), nullable=True),
        sa.Column("scope3_category", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(defra_group IS NULL) <> (exclude_reason IS NULL)",
            name=op.f("ck_line_override_group_or_exclusion"),
        ),
        sa.ForeignKeyConstraint(
            ["authority_id"],
            ["authority.id"],
            name=op.f("fk_line_override_authority_id_authority"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["spend_line_id"],
            ["spend_line.id"],
            name=op.f("fk_line_override_spend_line_id_spend_line"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_override")),
        sa.UniqueConstraint("spend_line_id", name=op.f("uq_line_override_spend_line_id")),
    )
    with op.batch_alter_table("line_override", schema=None) as batch_op:
        batch_op.create_index("ix_line_override_authority", ["authority_id"], unique=False)

    with op.batch_alter_table("authority", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "share_in_comparisons", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )

    with op.batch_alter_table("spend_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("class_key", sa.String(length=32), nullable=True))
        batch_op.create_index(
            "ix_spend_line_authority_class_key", ["authority_id", "class_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("spend_line", schema=None) as batch_op:
        batch_op.drop_index("ix_spend_line_authority_class_key")
        batch_op.drop_column("class_key")

    with op.batch_alter_table("authority", schema=None) as batch_op:
        batch_op.drop_column("share_in_comparisons")

    with op.batch_alter_table("line_override", schema=None) as batch_op:
        batch_op.drop_index("ix_line_override_authority")

    op.drop_table("line_override")
    op.drop_table("line_class")
    op.drop_table("app_user")
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempt_email_at")
        batch_op.drop_index("ix_login_attempt_addr_at")

    op.drop_table("login_attempt")
