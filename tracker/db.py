"""Engine and session factory. The only module that creates engines."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from tracker.storage import dbfaults

# Execution option for a session that will write: on SQLite its transaction starts with
# BEGIN IMMEDIATE, taking the write lock at once (waiting up to the busy timeout for it). A
# plain BEGIN reads first and then asks for the lock; if another process committed in
# between, SQLite refuses at once ("database is locked") instead of waiting. Other
# databases ignore the option.
WRITE_INTENT = "tracker_write_intent"
# Execution option for a session that only reads: the database itself refuses any write in
# its transaction (SQLite: PRAGMA query_only; PostgreSQL: BEGIN READ ONLY), so a
# read path that would write fails loudly instead of taking the write lock.
READ_ONLY = "tracker_read_only"
SQLITE_CACHE_KIB = 64 * 1024


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys enforced and its folder created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            _create_private(Path(parsed.database))
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so
            # that SAVEPOINTs and one-transaction imports behave as on PostgreSQL.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=10000")
            # A 64 MiB page cache per connection instead of SQLite's 2 MiB: a report
            # reads each of a year's lines several times (breakdowns, then the line
            # detail), and with the small cache most of those page reads went back to the
            # OS. The 200,000-line workbook took about 5 s less (of 18 s).
            cur.execute(f"PRAGMA cache_size={-SQLITE_CACHE_KIB}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            options = conn.get_execution_options()
            immediate = options.get(WRITE_INTENT, False)
            # query_only belongs to the connection, not the transaction, and pooled
            # connections are reused: every transaction sets it to what it needs, before
            # it begins (SQLite refuses BEGIN IMMEDIATE on a connection still query_only).
            read_only = bool(options.get(READ_ONLY, False))
            if conn.info.get(READ_ONLY, False) != read_only:
                conn.exec_driver_sql(f"PRAGMA query_only={'ON' if read_only else 'OFF'}")
                conn.info[READ_ONLY] = read_only
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "begin")
    def _read_only_begin(conn: Any) -> None:
        read_only = bool(conn.get_execution_options().get(READ_ONLY, False))
        try:
            # The driver begins the transaction READ ONLY itself (psycopg sends
            # "BEGIN READ ONLY" with the first statement): one round trip fewer than a
            # SET TRANSACTION after it, for every read (issue 18). Set for every
            # transaction, so a pooled connection never carries it into a write.
            conn.dialect.set_readonly(conn.connection.dbapi_connection, read_only)
        except NotImplementedError:  # a driver without the setting
            if read_only:
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")

    return engine


def _create_private(path: Path) -> None:
    """Create the SQLite file, if it is new, readable and writable by its owner only: it
    holds password hashes. (An empty file is an empty database to SQLite, which gives the
    ``-wal`` and ``-shm`` files beside it the same mode.) An existing file keeps its mode."""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, autoflush=False, expire_on_commit=False)


def declare_write(session: Session) -> None:
    """Mark a new session as one that will write (see ``WRITE_INTENT``); call it before the
    session's first query."""
    session.connection(execution_options={WRITE_INTENT: True})


def declare_read_only(session: Session) -> None:
    """Mark a new session as one that only reads (see ``READ_ONLY``); call it before the
    session's first query."""
    session.connection(execution_options={READ_ONLY: True})


@contextmanager
def read_only_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for reading: its transaction is read-only in the database (a write in it
    fails), and it is rolled back at the end. Reports, downloads and dashboard pages read
    through it, so reading never takes the write lock.

    A database fault is raised as the TrackerError that says so, as in ``session_scope``;
    a write refused by the read-only transaction is a bug of the read path and is raised
    as it is.
    """
    session = factory()
    try:
        declare_read_only(session)
        yield session
    except DBAPIError as exc:
        explained = None if dbfaults.is_refused_write(exc) else dbfaults.explain(exc)
        if explained is None:
            raise
        raise explained from exc
    finally:
        _rollback_quietly(session)
        session.close()


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error.

    A database fault (unreachable, connection lost, busy) is raised as the TrackerError
    that says so (see :mod:`tracker.storage.dbfaults`); the rollback itself may fail then too.
    """
    session = factory()
    try:
        yield session
        session.commit()
    except DBAPIError as exc:
        _rollback_quietly(session)
        explained = dbfaults.explain(exc)
        if explained is None:
            raise
        raise explained from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _rollback_quietly(session: Session) -> None:
    # When the connection is gone, the server has discarded the transaction already.
    with suppress(DBAPIError):
        session.rollback()
