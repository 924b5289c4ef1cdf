"""Users: adding them, log-in checks, and the log-in rate limit (recorded attempts)."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import make_authority
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.errors import TrackerError
from tracker.models.users import LoginAttempt
from tracker.services import users
from tracker.services.users import LoginThrottled, add_user, authenticate

PASSWORD = "a long enough password"
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def _attempts(session: Session, email: str) -> list[bool]:
    return list(
        session.scalars(
            select(LoginAttempt.succeeded)
            .where(LoginAttempt.email == email)
            .order_by(LoginAttempt.id)
        )
    )


def test_add_user_rules(session: Session) -> None:
    authority = make_authority(session)
    user = add_user(
        session,
        email=" Officer@Example.ORG ",
        password=PASSWORD,
        role="officer",
        authority=authority,
    )
    assert user.email == "officer@example.org"
    assert user.password_hash.startswith("scrypt$") and PASSWORD not in user.password_hash
    with pytest.raises(TrackerError, match="already exists"):
        add_user(
            session,
            email="officer@example.org",
            password=PASSWORD,
            role="viewer",
            authority=authority,
        )
    with pytest.raises(TrackerError, match="belongs to one authority"):
        add_user(session, email="v@example.org", password=PASSWORD, role="viewer")
    with pytest.raises(TrackerError, match="no --authority"):
        add_user(
            session, email="a@example.org", password=PASSWORD, role="admin", authority=authority
        )
    with pytest.raises(TrackerError, match="at least"):
        add_user(session, email="b@example.org", password="short", role="admin")
    with pytest.raises(TrackerError, match="not an e-mail"):
        add_user(session, email="nobody", password=PASSWORD, role="admin")
    with pytest.raises(TrackerError, match="Role must be"):
        add_user(session, email="c@example.org", password=PASSWORD, role="root")


def test_passwords_from_the_users_own_context_are_refused(session: Session) -> None:
    """Issue 15, finding 7: a password equal to the e-mail was accepted."""
    for password in ("officer@example.org", "Officer.2026!", "password1234"):
        with pytest.raises(TrackerError, match="Password not accepted"):
            add_user(session, email="officer@example.org", password=password, role="admin")
    add_user(session, email="officer@example.org", password=PASSWORD, role="admin")
    with pytest.raises(TrackerError, match="contains your e-mail address"):
        users.set_password(session, email="officer@example.org", password="officer-example-org")


def test_authenticate_records_every_attempt(session: Session) -> None:
    add_user(session, email="admin@example.org", password=PASSWORD, role="admin")
    assert (
        authenticate(
            session,
            email="admin@example.org",
            password="wrong password!",
            remote_addr="10.0.0.1",
            now=NOW,
        )
        is None
    )
    user = authenticate(
        session, email="ADMIN@example.org", password=PASSWORD, remote_addr="10.0.0.1", now=NOW
    )
    assert user is not None and user.last_login_at is not None
    assert _attempts(session, "admin@example.org") == [False, True]
    # An unknown e-mail is refused the same way, and recorded too.
    assert (
        authenticate(
            session, email="ghost@example.org", password=PASSWORD, remote_addr="10.0.0.1", now=NOW
        )
        is None
    )
    assert _attempts(session, "ghost@example.org") == [False]


def test_inactive_user_cannot_log_in(session: Session) -> None:
    user = add_user(session, email="gone@example.org", password=PASSWORD, role="admin")
    user.is_active = False
    assert (
        authenticate(
            session, email="gone@example.org", password=PASSWORD, remote_addr="10.0.0.2", now=NOW
        )
        is None
    )


def test_five_failures_per_email_in_15_minutes_lock_the_email(session: Session) -> None:
    add_user(session, email="target@example.org", password=PASSWORD, role="admin")
    for i in range(users.MAX_FAILURES_PER_EMAIL):
        assert (
            authenticate(
                session,
                email="target@example.org",
                password=f"guess number {i}",
                remote_addr=f"10.1.0.{i}",
                now=NOW + dt.timedelta(minutes=i),
            )
            is None
        )
    # The 6th try is refused even with the right password, and is not recorded.
    with pytest.raises(LoginThrottled):
        authenticate(
            session,
            email="target@example.org",
            password=PASSWORD,
            remote_addr="10.1.0.9",
            now=NOW + dt.timedelta(minutes=5),
        )
    assert len(_attempts(session, "target@example.org")) == 5
    # 15 minutes after the first failure only 4 remain in the window: allowed again.
    later = NOW + users.WINDOW + dt.timedelta(seconds=1)
    assert (
        authenticate(
            session,
            email="target@example.org",
            password=PASSWORD,
            remote_addr="10.1.0.9",
            now=later,
        )
        is not None
    )


def test_twenty_failures_from_one_address_lock_the_address(session: Session) -> None:
    add_user(session, email="someone@example.org", password=PASSWORD, role="admin")
    for i in range(users.MAX_FAILURES_PER_ADDRESS):
        authenticate(
            session,
            email=f"user{i}@example.org",
            password="guess guess",
            remote_addr="10.9.9.9",
            now=NOW,
        )
    with pytest.raises(LoginThrottled):
        authenticate(
            session,
            email="someone@example.org",
            password=PASSWORD,
            remote_addr="10.9.9.9",
            now=NOW,
        )
    # Another address is not affected.
    assert (
        authenticate(
            session,
            email="someone@example.org",
            password=PASSWORD,
            remote_addr="10.9.9.8",
            now=NOW,
        )
        is not None
    )
    failed = session.scalar(select(func.count()).where(LoginAttempt.remote_addr == "10.9.9.9"))
    assert failed == users.MAX_FAILURES_PER_ADDRESS


def test_set_password(session: Session) -> None:
    add_user(session, email="p@example.org", password=PASSWORD, role="admin")
    users.set_password(session, email="p@example.org", password="another long password")
    assert (
        authenticate(
            session,
            email="p@example.org",
            password="another long password",
            remote_addr="x",
            now=NOW,
        )
        is not None
    )


def test_a_try_is_recorded_as_failed_before_its_password_is_checked(session: Session) -> None:
    """Counting and recording the try come first (one step), the slow password check
    writes nothing, and recording the outcome marks the try a success; a user deactivated
    in between is refused."""
    user = add_user(session, email="split@example.org", password=PASSWORD, role="admin")
    session.flush()
    attempt = users.begin_login(session, email="Split@Example.org", remote_addr="10.1.1.1", now=NOW)
    assert _attempts(session, "split@example.org") == [False]
    check = users.check_login(session, attempt=attempt, password=PASSWORD)
    assert check.user_id == user.id and not session.new and not session.dirty
    user.is_active = False
    assert users.record_login(session, check) is None
    assert _attempts(session, "split@example.org") == [False]
    user.is_active = True
    assert users.record_login(session, check) is user
    assert user.last_login_at == NOW
    assert _attempts(session, "split@example.org") == [True]


def test_password_and_role_changes_end_the_users_sessions(session: Session) -> None:
    """Issue 15, finding 3: each raises the session version the user's sessions carry."""
    authority = make_authority(session)
    user = add_user(session, email="s@example.org", password=PASSWORD, role="admin")
    assert user.session_version == 0
    assert users.session_user(session, user.id, 0) is user
    users.set_password(session, email="s@example.org", password="another long password")
    session.refresh(user)
    assert user.session_version == 1
    assert users.session_user(session, user.id, 0) is None
    assert users.session_user(session, user.id, 1) is user
    users.set_role(session, email="s@example.org", role="viewer", authority=authority)
    session.refresh(user)
    assert (user.role, user.authority_id, user.session_version) == ("viewer", authority.id, 2)
    users.end_sessions(session, user.id)  # log-out
    session.refresh(user)
    assert user.session_version == 3
    user.is_active = False
    assert users.session_user(session, user.id, 3) is None


def test_set_role_checks_the_role_and_authority(session: Session) -> None:
    authority = make_authority(session)
    add_user(session, email="r@example.org", password=PASSWORD, role="admin")
    with pytest.raises(TrackerError, match="belongs to one authority"):
        users.set_role(session, email="r@example.org", role="officer", authority=None)
    with pytest.raises(TrackerError, match="no --authority"):
        users.set_role(session, email="r@example.org", role="admin", authority=authority)
    with pytest.raises(TrackerError, match="Role must be"):
        users.set_role(session, email="r@example.org", role="root", authority=None)
    assert users.get_user(session, "r@example.org").session_version == 0
