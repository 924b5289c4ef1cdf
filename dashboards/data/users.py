"""Signing in and out: the log-in, and the viewer of a signed-in session."""

from __future__ import annotations

from dataclasses import dataclass

from dashboards.data.sessions import read_session, write_session
from tracker.access import Viewer
from tracker.services.users import (
    begin_login,
    check_login,
    record_login,
    session_user,
    viewer_of,
)
from tracker.services.users import end_sessions as end_user_sessions


@dataclass(frozen=True)
class SignedIn:
    """Who signed in, and the session version their session carries."""

    viewer: Viewer
    session_version: int


def login(email: str, password: str, remote_addr: str) -> SignedIn | None:
    """The signed-in user for these credentials, or None; the attempt is recorded either
    way. Raises ``LoginThrottled`` after too many failures (counting tries made at the same
    moment: ``begin_login`` counts and records in one step)."""
    with write_session() as session:
        attempt = begin_login(session, email=email, remote_addr=remote_addr)
    with read_session() as session:  # the slow password hash holds no write lock
        check = check_login(session, attempt=attempt, password=password)
    with write_session() as session:
        user = record_login(session, check)
        return None if user is None else SignedIn(viewer_of(user), user.session_version)


def load_viewer(user_id: int, session_version: int) -> Viewer | None:
    """The viewer for a signed-in session, read afresh on every request so that a changed
    role applies at once; None once the user is deactivated or deleted or the session was
    ended (log-out, new password, new role)."""
    with read_session() as session:
        user = session_user(session, user_id, session_version)
        return None if user is None else viewer_of(user)


def end_sessions(user_id: int) -> None:
    """End every session the user has open (at log-out)."""
    with write_session() as session:
        end_user_sessions(session, user_id)
