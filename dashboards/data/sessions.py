"""The database sessions of the dashboards: ``create_app`` registers the session factory
here, and every module of ``dashboards.data`` opens its sessions through
:func:`read_session` and :func:`write_session`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from tracker.db import declare_read_only, declare_write
from tracker.domain.plausibility import DEFAULT_LIMITS, Limits

_factory: sessionmaker[Session] | None = None
_limits: Limits = DEFAULT_LIMITS


def configure(factory: sessionmaker[Session], limits: Limits = DEFAULT_LIMITS) -> None:
    """Set the session factory the dashboards read through, and the limits implausible
    years are flagged beyond (``Settings.plausibility``); called by ``create_app``."""
    global _factory, _limits
    _factory = factory
    _limits = limits


def plausibility_limits() -> Limits:
    """The limits implausible years are flagged beyond, as configured."""
    return _limits


def _new_session() -> Session:
    if _factory is None:
        raise RuntimeError("dashboards.data is not configured; build the app with create_app()")
    return _factory()


@contextmanager
def read_session() -> Iterator[Session]:
    """A short session that never writes: its transaction is read-only in the database
    (``tracker.db.READ_ONLY``: a write fails) and is rolled back at the end."""
    session = _new_session()
    try:
        declare_read_only(session)
        yield session
    finally:
        session.rollback()
        session.close()


@contextmanager
def write_session() -> Iterator[Session]:
    """One unit of work: committed on success, rolled back on any error."""
    session = _new_session()
    try:
        declare_write(session)
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
