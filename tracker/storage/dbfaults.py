"""Database faults told apart: unreachable or lost connection, busy, or something else.

:func:`explain` turns a driver error into the :class:`TrackerError` a user can act on, or
returns None for an error that is a bug rather than a fault (it is then re-raised as is).
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from tracker.errors import DatabaseBusyError, DatabaseUnavailableError, TrackerError

#: SQLSTATE classes of a lost or refused connection: 08 connection exception, 57 operator
#: intervention (server shut down, backend terminated), 53 insufficient resources.
_UNAVAILABLE_CLASSES = ("08", "57", "53")
#: SQLSTATEs of a transaction that lost a race and may simply be tried again.
_BUSY_STATES = ("40001", "40P01", "55P03")
#: SQLSTATE of a write in a read-only transaction (read_only_sql_transaction).
_READ_ONLY_STATE = "25006"
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_SQLITE_UNREACHABLE = ("unable to open database file", "disk i/o error", "readonly database")


def explain(exc: DBAPIError) -> TrackerError | None:
    """The user-facing error for a database fault, or None when it is not one."""
    reason = " ".join(str(exc.orig).split())[:300] or type(exc.orig).__name__
    state = getattr(exc.orig, "sqlstate", None)
    lowered = reason.lower()
    if (state in _BUSY_STATES) or any(text in lowered for text in _SQLITE_BUSY):
        return DatabaseBusyError(
            "The database is busy with another change to the same data (for example "
            f"another import for the same authority) and this one was refused ({reason}). "
            "Nothing was stored: try again."
        )
    unavailable = (
        exc.connection_invalidated
        or (isinstance(state, str) and state[:2] in _UNAVAILABLE_CLASSES)
        or (state is None and _is_driver_connection_error(exc))
        or any(text in lowered for text in _SQLITE_UNREACHABLE)
    )
    if unavailable:
        return DatabaseUnavailableError(
            f"The database cannot be reached or the connection was lost ({reason}). "
            "The request did not complete: repeat it once the database is back."
        )
    return None


def is_refused_write(exc: DBAPIError) -> bool:
    """Whether the database refused a write because the transaction is read-only
    (``tracker.db.read_only_session``): SQLSTATE 25006 on PostgreSQL, ``query_only`` on
    SQLite."""
    if getattr(exc.orig, "sqlstate", None) == _READ_ONLY_STATE:
        return True
    return "attempt to write a readonly database" in str(exc.orig).lower()


def _is_driver_connection_error(exc: DBAPIError) -> bool:
    """psycopg raises OperationalError without a SQLSTATE when it cannot connect at all."""
    module = type(exc.orig).__module__
    return module.startswith("psycopg") and type(exc.orig).__name__ == "OperationalError"
