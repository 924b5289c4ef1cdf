"""SQLite sessions that declare they will write take the write lock when they begin, so a
read-then-write unit of work (a log-in: read the user, record the attempt) waits for other
writers instead of failing at once with "database is locked"."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tracker.db import declare_write, make_engine


def test_write_session_holds_the_lock_from_its_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    other = make_engine(url)
    with Session(engine) as writer:
        declare_write(writer)
        writer.execute(text("SELECT count(*) FROM t"))  # only a read so far…
        with other.connect() as conn:
            conn.exec_driver_sql("PRAGMA busy_timeout=0")
            with pytest.raises(OperationalError, match="locked"):
                conn.exec_driver_sql("INSERT INTO t VALUES (1)")  # …yet the lock is taken
        writer.execute(text("INSERT INTO t VALUES (2)"))
        writer.commit()
    with Session(engine) as reader:
        reader.execute(text("SELECT count(*) FROM t"))
        with other.begin() as conn:  # a session that only reads does not block writers
            conn.exec_driver_sql("PRAGMA busy_timeout=0")
            conn.exec_driver_sql("INSERT INTO t VALUES (3)")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT x FROM t ORDER BY x").scalars().all() == [2, 3]
    engine.dispose()
    other.dispose()
