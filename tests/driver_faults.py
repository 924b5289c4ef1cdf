"""A database fault raised by the driver itself, where the spend lines go in through the
driver's own COPY (PostgreSQL) or executemany (SQLite) rather than through SQLAlchemy."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from tracker.storage import bulk


def fail_bulk_inserts(monkeypatch: pytest.MonkeyPatch, dialect: str) -> None:
    """Make every bulk insert raise the driver's error for a lost server or a bad disk."""
    if dialect == "postgresql":
        import psycopg

        error: Exception = psycopg.OperationalError("server closed the connection unexpectedly")
        name = "_copy_postgres"
    else:
        error = sqlite3.OperationalError("disk I/O error")
        name = "_executemany_sqlite"

    def fail(*args: Any, **kwargs: Any) -> int:
        raise error

    monkeypatch.setattr(bulk, name, fail)
