"""Reading never writes: with the database connection made read-only (SQLite ``PRAGMA
query_only``, PostgreSQL ``SET TRANSACTION READ ONLY``), every page with its data
callbacks (posted as the browser does, interactions included), the report download and
the comparison download still answer (or refuse a viewer the upload page) — nothing on
those paths writes. A write on that connection is refused, so the check has teeth."""

from __future__ import annotations

from collections.abc import Iterator

import dash
import pytest
from dash_seed_data import PASSWORD, SeedUsers
from factories import DashSeed
from flask.testing import FlaskClient
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from test_access_matrix import PAGES, _browse
from web import login

from tracker.reports.inventory import build_inventory_report
from tracker.services.recalculate import refresh_inventories
from tracker.services.reference import load_shipped_reference_data

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _read_only(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA query_only=ON")
    else:  # allowed mid-transaction when it makes the transaction read-only
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")


@pytest.fixture
def read_only(session: Session) -> Iterator[Connection]:
    """The test's connection, for ``_read_only``; SQLite's flag is reset afterwards (the
    connection goes back to the pool)."""
    conn = session.connection()
    yield conn
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA query_only=OFF")


def _signed_in(app: dash.Dash, email: str) -> FlaskClient:
    client = app.server.test_client()
    assert login(client, email, PASSWORD).status_code == 302  # a log-in writes: before
    return client


@pytest.mark.parametrize("who", ["admin", "alpha_officer", "alpha_viewer"])
def test_pages_callbacks_and_downloads_never_write(
    app: dash.Dash,
    dash_seed: DashSeed,
    users: SeedUsers,
    session: Session,
    read_only: Connection,
    who: str,
) -> None:
    load_shipped_reference_data(session)
    # Inventories computed the way an import computes them (the seed's runs name a test
    # factor family the report cannot describe); then the reads begin.
    refresh_inventories(session, authority=dash_seed.alpha)
    client = _signed_in(app, getattr(users, who).email)
    code = dash_seed.alpha.code
    _read_only(read_only)
    for path in (*PAGES, f"/authority/{code}"):
        _received, statuses = _browse(client, path)
        assert all(status in (200, 204, 403) for status in statuses), (path, statuses)
    report = client.get(f"/reports/download?authority={code}&year=2023")
    assert (report.status_code, report.mimetype) == (200, XLSX)
    compare = client.get("/compare/download?year=2023")
    assert (compare.status_code, compare.mimetype) == (200, XLSX)
    assert build_inventory_report(session, code=code, year=2023).year == 2023
    with pytest.raises(DBAPIError), session.begin_nested():  # the connection refuses writes
        session.execute(text("UPDATE authority SET name = name"))
