"""user session version

app_user.session_version: written into each dashboard session at log-in and compared on
every request, so that log-out, a password change and a change of role or authority end
every session the user has open, on the server (issue 15, finding 3). Existing users start
at 0; sessions signed in before this revision carry no version and are refused, so
everyone signs in once more.

Revision ID: 3f6d2a9c41b7
Revises: ed49185bbcd6
Create Date: 2026-12-06 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f6d2a9c41b7"
down_revision: str | None = "ed49185bbcd6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE: SQLite adds (and, 3.35+, drops) a column in place.
    op.add_column(
        "app_user",
        sa.Column("session_version", sa.Integer(), server_default="0", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("app_user", "session_version")
