"""Fixtures for the dashboard tests: seeded authorities, users of each role, a session
factory for the app, and an app with a test client that can sign in.

The app's session factory is bound to the test's own connection, with savepoints, so the
dashboards see the rows the test inserted and everything is rolled back afterwards, on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dash
import pytest
from dash_seed_data import TEST_SECRET_KEY, SeedUsers, seed_users
from factories import DashSeed, seed_two_authorities
from sqlalchemy.orm import Session, sessionmaker

from dashboards.app import create_app
from dashboards.data import sessions
from tracker.config import Settings


@pytest.fixture
def session_factory(session: Session) -> Iterator[sessionmaker[Session]]:
    factory = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    previous = sessions._factory
    sessions.configure(factory)
    yield factory
    sessions._factory = previous


@pytest.fixture
def dash_seed(session: Session, session_factory: sessionmaker[Session]) -> DashSeed:
    return seed_two_authorities(session)


@pytest.fixture
def users(session: Session, dash_seed: DashSeed) -> SeedUsers:
    return seed_users(session, dash_seed)


@pytest.fixture
def dash_settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url="sqlite://",
        data_dir=tmp_path / "files",
        max_upload_bytes=1024 * 1024,
        home=tmp_path / "home",
        secret_key=TEST_SECRET_KEY,
    )


@pytest.fixture
def app(session_factory: sessionmaker[Session], dash_settings: Settings) -> dash.Dash:
    return create_app(session_factory, settings=dash_settings)
