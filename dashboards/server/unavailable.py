"""A plain 503 answer when the database cannot be reached during a request.

SQLAlchemy raises :class:`~sqlalchemy.exc.OperationalError` (server down, database gone,
SQLite file locked past its busy timeout) or :class:`~sqlalchemy.exc.InterfaceError`
(connection closed under us). Either one, from a page, a callback or the log-in check, gets
a short plain-text 503 with ``Retry-After`` instead of a stack trace; the server process
keeps running. The engine discards connections that failed (and PostgreSQL engines
pre-ping, see :func:`tracker.db.make_engine`), so the first request after the database
returns is served normally.
"""

from __future__ import annotations

import logging

from flask import Flask, Response
from sqlalchemy.exc import InterfaceError, OperationalError


class StorageUnavailable(Exception):
    """The server's disk cannot take a file just now (full, read-only): answered with
    :data:`STORAGE_MESSAGE` and a 503, like a database that cannot be reached."""


STORAGE_MESSAGE = (
    "The tracker cannot store the file just now (its disk is full or cannot be written). "
    "Nothing was changed. Please try again later, or tell the administrator."
)
MESSAGE = (
    "The tracker's database cannot be reached just now. Nothing was changed. "
    "Please try again in a minute."
)
RETRY_AFTER_SECONDS = 30

log = logging.getLogger(__name__)


def unavailable(error: Exception) -> Response:
    log.error("database unavailable: %s", error.__class__.__name__, exc_info=error)
    response = Response(MESSAGE, 503, mimetype="text/plain")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def storage_unavailable(error: Exception) -> Response:
    log.error("storage unavailable: %s", error)
    response = Response(STORAGE_MESSAGE, 503, mimetype="text/plain")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register_unavailable_handler(server: Flask) -> None:
    server.register_error_handler(OperationalError, unavailable)
    server.register_error_handler(InterfaceError, unavailable)
    server.register_error_handler(StorageUnavailable, storage_unavailable)
