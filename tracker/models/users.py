"""People who sign in to the dashboard, and the log-in attempts that rate-limit them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, CreatedAtMixin, utcnow

ROLES = ("admin", "officer", "viewer")


class User(CreatedAtMixin, Base):
    """A dashboard user. Admins see every authority; officers and viewers see their own.

    ``password_hash`` is a salted scrypt hash (tracker.domain.passwords); the password
    itself is never stored. ``session_version`` is written into each dashboard session at
    log-in and compared on every request: raising it (at log-out, a password change or a
    change of role or authority) ends every session the user has open.
    """

    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'officer', 'viewer')", name="role_known"),
        CheckConstraint("role = 'admin' OR authority_id IS NOT NULL", name="scoped_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id", ondelete="CASCADE"))
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[dt.datetime | None]
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")


class LoginAttempt(Base):
    """One try at signing in; recent failures per e-mail and per address are throttled.

    Kept in the database (not in process memory) so that the limit holds across workers.
    """

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_email_at", "email", "at"),
        Index("ix_login_attempt_addr_at", "remote_addr", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    remote_addr: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool]
