"""The database unreachable during a request: a plain 503, the server keeps answering, and
it serves normally again once the database is back. On both databases with a session
factory that fails on demand, and on PostgreSQL by taking the real database away (renamed,
its connections cut) and giving it back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from dash_seed_data import PASSWORD, SeedUsers
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from test_dashboard_app import year_payload
from web import login, post_callback

from dashboards.app import create_app
from dashboards.data import sessions
from dashboards.server.unavailable import MESSAGE
from tracker import migrate
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory, session_scope
from tracker.services.users import add_user


class Outage:
    """A session factory that raises the driver's connection error while ``down``."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory
        self.down = False

    def __call__(self, **kwargs: Any) -> Session:
        if self.down:
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))
        return self.factory(**kwargs)


def _assert_unavailable(response: Any) -> None:
    assert response.status_code == 503
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == MESSAGE
    assert response.headers["Retry-After"] == "30"


def test_outage_gives_503_then_recovers(
    session_factory: sessionmaker[Session],
    dash_settings: Settings,
    dash_seed: Any,
    users: SeedUsers,
) -> None:
    outage = Outage(session_factory)
    app = create_app(outage, settings=dash_settings)  # type: ignore[arg-type]
    client = app.server.test_client()
    assert login(client, users.alpha_viewer.email, PASSWORD).status_code == 302
    payload = year_payload(dash_seed.alpha.code, 2022)

    outage.down = True
    _assert_unavailable(client.get("/"))  # loading the signed-in user needs the database
    _assert_unavailable(post_callback(client, payload))
    _assert_unavailable(client.get("/"))  # still answering

    outage.down = False
    assert client.get("/").status_code == 200
    assert post_callback(client, payload).status_code == 200


@pytest.fixture
def keep_factory() -> Iterator[None]:
    previous = sessions._factory
    yield
    sessions._factory = previous


@pytest.fixture
def own_postgres_db(postgres_url: str) -> Iterator[str]:
    """A migrated PostgreSQL database of this test's own (it is renamed away and back)."""
    server = make_url(postgres_url).set(database="postgres")
    name = f"tracker_fault_{uuid.uuid4().hex[:12]}"
    admin = make_engine(server.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        for db in (name, f"{name}_away"):
            _cut_connections(conn, db)
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}"'))
    admin.dispose()


def _cut_connections(conn: Any, name: str) -> None:
    conn.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = :n AND pid <> pg_backend_pid()"
        ),
        {"n": name},
    )


@pytest.mark.postgres
def test_postgres_database_taken_away_and_back(
    own_postgres_db: str, dash_settings: Settings, keep_factory: None
) -> None:
    url = make_url(own_postgres_db)
    name = str(url.database)
    engine = make_engine(own_postgres_db)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        add_user(session, email="admin@fault.example", password=PASSWORD, role="admin")
    client: FlaskClient = create_app(factory, settings=dash_settings).server.test_client()
    assert login(client, "admin@fault.example", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200

    admin = make_engine(
        url.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    try:
        with admin.connect() as conn:
            _cut_connections(conn, name)
            conn.execute(text(f'ALTER DATABASE "{name}" RENAME TO "{name}_away"'))
        _assert_unavailable(client.get("/"))
        _assert_unavailable(client.get("/"))
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}_away" RENAME TO "{name}"'))
        assert client.get("/").status_code == 200
    finally:
        with admin.connect() as conn:  # give it back even if an assertion failed
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": f"{name}_away"}
            ).first()
            if exists:
                conn.execute(text(f'ALTER DATABASE "{name}_away" RENAME TO "{name}"'))
        admin.dispose()
        engine.dispose()
