"""A read-only session cannot write: the database refuses it (SQLite ``PRAGMA
query_only``, PostgreSQL ``BEGIN READ ONLY``), and the connection it used writes
again in the next, ordinary unit of work."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tracker.db import (
    declare_write,
    make_engine,
    make_session_factory,
    read_only_session,
    session_scope,
)


def test_read_only_session_refuses_writes_and_leaves_the_connection_writable(
    db_url: str,
) -> None:
    table = f"ro_{uuid.uuid4().hex[:8]}"
    # One pooled connection, so the read-only session and the writes after it share it.
    engine = make_engine(db_url, pool_size=1, max_overflow=0)
    factory = make_session_factory(engine)
    try:
        with session_scope(factory) as session:
            session.execute(text(f"CREATE TABLE {table} (x INTEGER)"))
            session.execute(text(f"INSERT INTO {table} VALUES (1)"))
        with read_only_session(factory) as session:
            assert session.execute(text(f"SELECT x FROM {table}")).scalars().all() == [1]
        with pytest.raises(DBAPIError) as refused, read_only_session(factory) as session:
            session.execute(text(f"INSERT INTO {table} VALUES (2)"))
        message = str(refused.value.orig).lower()
        assert "readonly database" in message or "read-only transaction" in message
        with session_scope(factory) as session:  # the same connection writes again
            session.execute(text(f"INSERT INTO {table} VALUES (3)"))
        with read_only_session(factory) as session:
            session.execute(text(f"SELECT x FROM {table}")).all()
        # ... also in a unit of work that declares its write first (SQLite: BEGIN
        # IMMEDIATE, refused while the connection was still query_only; the dashboard's
        # log-in, which records the attempt, failed so after any page had been read).
        with session_scope(factory) as session:
            declare_write(session)
            session.execute(text(f"INSERT INTO {table} VALUES (4)"))
        with read_only_session(factory) as session:
            rows = session.execute(text(f"SELECT x FROM {table} ORDER BY x")).scalars().all()
        assert rows == [1, 3, 4]
    finally:
        with session_scope(factory) as session:
            session.execute(text(f"DROP TABLE IF EXISTS {table}"))
        engine.dispose()
