"""Dashboard users: add them, set passwords and roles, end their sessions, and check a
log-in with rate limiting.

Every attempt is recorded in ``login_attempt``. A log-in is refused without checking the
password when, in the last :data:`WINDOW`, the e-mail has had :data:`MAX_FAILURES_PER_EMAIL`
failures or the address :data:`MAX_FAILURES_PER_ADDRESS` (one guesser trying many
accounts). Kept in the database, the limit holds across server processes.

The limit holds for tries made at the same moment too: :func:`begin_login` counts the
recent failures and records the new try as a failure in one step that no other log-in can
interleave with (SQLite has one writer at a time; on PostgreSQL a transaction-scoped
advisory lock serialises it). Only then is the password checked (:func:`check_login`,
without writing, so the slow hash holds no lock), and :func:`record_login` marks the try a
success when it was one. So parallel wrong tries check at most the limit's number of
passwords; a try whose server stops between the two steps stays counted as a failure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from tracker.access import Viewer
from tracker.domain import passwords
from tracker.errors import NotFoundError, TrackerError
from tracker.models import Authority
from tracker.models.base import utcnow
from tracker.models.users import ROLES, LoginAttempt, User

WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 20


class LoginThrottled(TrackerError):
    """Too many recent failed log-ins for this e-mail or address."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _check_email(email: str) -> str:
    email = normalise_email(email)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 254 or any(c.isspace() for c in email):
        raise TrackerError(f"{email!r} is not an e-mail address.")
    return email


def _check_password(password: str, email: str) -> None:
    problem = passwords.check_strength(password, email=email)
    if problem:
        raise TrackerError(f"Password not accepted: {problem}.")


def _check_role(role: str, authority: Authority | None) -> None:
    if role not in ROLES:
        raise TrackerError(f"Role must be one of {', '.join(ROLES)}, not {role!r}.")
    if role == "admin" and authority is not None:
        raise TrackerError("An admin sees every authority; give no --authority.")
    if role != "admin" and authority is None:
        raise TrackerError(f"A {role} belongs to one authority: give --authority CODE.")


def add_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: str,
    authority: Authority | None = None,
) -> User:
    """A new user. Officers and viewers belong to one authority; admins to none."""
    email = _check_email(email)
    _check_role(role, authority)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise TrackerError(f"A user with the e-mail {email} already exists.")
    _check_password(password, email)
    user = User(
        email=email,
        password_hash=passwords.hash_password(password),
        role=role,
        authority_id=None if authority is None else authority.id,
        is_active=True,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFoundError(f"No user with the e-mail {normalise_email(email)}.")
    return user


def set_password(session: Session, *, email: str, password: str) -> User:
    """A new password; every session the user has open ends."""
    user = get_user(session, email)
    _check_password(password, user.email)
    user.password_hash = passwords.hash_password(password)
    end_sessions(session, user.id)
    return user


def set_role(session: Session, *, email: str, role: str, authority: Authority | None) -> User:
    """A new role (and authority: none for an admin); every session the user has open
    ends, so the change applies at once and nothing seen under the old role stays open."""
    user = get_user(session, email)
    _check_role(role, authority)
    user.role = role
    user.authority_id = None if authority is None else authority.id
    end_sessions(session, user.id)
    return user


def end_sessions(session: Session, user_id: int) -> None:
    """End every dashboard session of the user, on the server: the session version each
    carries no longer matches (one atomic UPDATE, so concurrent calls each count)."""
    session.flush()
    session.execute(
        update(User).where(User.id == user_id).values(session_version=User.session_version + 1)
    )
    session.flush()


def session_user(session: Session, user_id: int, session_version: int) -> User | None:
    """The active user a dashboard session belongs to, or None when the user is gone or
    inactive or the session was ended (its version is not the user's current one)."""
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.session_version != session_version:
        return None
    return user


def list_users(session: Session) -> list[tuple[User, str | None]]:
    """Every user with the code of their authority (None for admins), by e-mail."""
    rows = session.execute(
        select(User, Authority.code)
        .outerjoin(Authority, Authority.id == User.authority_id)
        .order_by(User.email)
    )
    return [(user, code) for user, code in rows]


def viewer_of(user: User) -> Viewer:
    return Viewer(user_id=user.id, email=user.email, role=user.role, authority_id=user.authority_id)


@dataclass(frozen=True)
class RecentFailures:
    email: int
    address: int

    @property
    def throttled(self) -> bool:
        return self.email >= MAX_FAILURES_PER_EMAIL or self.address >= MAX_FAILURES_PER_ADDRESS


def recent_failures(
    session: Session, *, email: str, remote_addr: str, now: dt.datetime
) -> RecentFailures:
    since = now - WINDOW
    failed = select(func.count()).where(LoginAttempt.succeeded.is_(False), LoginAttempt.at > since)
    by_email = session.scalar(failed.where(LoginAttempt.email == email)) or 0
    by_address = session.scalar(failed.where(LoginAttempt.remote_addr == remote_addr)) or 0
    return RecentFailures(email=by_email, address=by_address)


# Key of the PostgreSQL advisory lock that makes counting and recording a try one step
# (any fixed number; no other code takes this lock). Held only to the end of that
# transaction, never while a password is hashed.
LOGIN_LOCK_KEY = 0x7472_6B6C  # "trkl"
THROTTLED = (
    "Too many failed log-ins. Wait 15 minutes and try again, or ask an admin to reset your "
    "password."
)


@dataclass(frozen=True)
class PendingLogin:
    """A try that :func:`begin_login` let through and recorded (as a failure, for now)."""

    attempt_id: int
    email: str
    remote_addr: str
    at: dt.datetime


@dataclass(frozen=True)
class LoginCheck:
    """What checking a log-in found, to be recorded by :func:`record_login`."""

    attempt: PendingLogin
    user_id: int | None  # the user, when the password was right and the account active
    new_hash: str | None = None  # the password hashed afresh when its parameters are old


def _serialise_login_tries(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOGIN_LOCK_KEY})


def begin_login(
    session: Session, *, email: str, remote_addr: str, now: dt.datetime | None = None
) -> PendingLogin:
    """Let one try through, recording it as a failure until :func:`record_login` says
    otherwise; raises :class:`LoginThrottled` (recording nothing, so the window can run
    out) when the e-mail or address has had too many recent failures.

    Counting and recording are one step: call it in a session that will write (on SQLite,
    declared with ``tracker.db.declare_write``) and commit at once."""
    now = now or utcnow()
    email = normalise_email(email)[:254]
    remote_addr = (remote_addr or "unknown")[:64]
    _serialise_login_tries(session)
    if recent_failures(session, email=email, remote_addr=remote_addr, now=now).throttled:
        raise LoginThrottled(THROTTLED)
    attempt = LoginAttempt(email=email, remote_addr=remote_addr, at=now, succeeded=False)
    session.add(attempt)
    session.flush()
    return PendingLogin(attempt.id, email, remote_addr, now)


def check_login(session: Session, *, attempt: PendingLogin, password: str) -> LoginCheck:
    """Check the password of a try :func:`begin_login` let through, without writing
    anything, so that the slow password hash never holds a write lock (SQLite has one
    writer at a time). An unknown e-mail costs as much time as a wrong password, so the
    answer does not tell whether an account exists."""
    user = session.scalar(select(User).where(User.email == attempt.email))
    if user is None:
        passwords.dummy_verify(password)
        return LoginCheck(attempt, None)
    if not (passwords.verify_password(password, user.password_hash) and user.is_active):
        return LoginCheck(attempt, None)
    rehash = passwords.needs_rehash(user.password_hash)
    return LoginCheck(attempt, user.id, passwords.hash_password(password) if rehash else None)


def record_login(session: Session, check: LoginCheck) -> User | None:
    """Record the outcome of a checked try; the signed-in user, or None. A user
    deactivated between the check and now is refused."""
    user = session.get(User, check.user_id) if check.user_id is not None else None
    if user is None or not user.is_active:
        return None
    attempt = session.get(LoginAttempt, check.attempt.attempt_id)
    if attempt is not None:
        attempt.succeeded = True
    if check.new_hash is not None:
        user.password_hash = check.new_hash
    user.last_login_at = check.attempt.at
    session.flush()
    return user


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    remote_addr: str,
    now: dt.datetime | None = None,
) -> User | None:
    """Begin, check and record a log-in in one session: the active user with this e-mail
    and password, or None. Raises :class:`LoginThrottled` (recording nothing, so the
    window can run out) after too many recent failures."""
    attempt = begin_login(session, email=email, remote_addr=remote_addr, now=now)
    return record_login(session, check_login(session, attempt=attempt, password=password))
