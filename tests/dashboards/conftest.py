"""Fixtures for the dashboard tests: seeded authorities and a session factory for the app.

The app's session factory is bound to the test's own connection, with savepoints, so the
dashboards see the rows the test inserted and everything is rolled back afterwards, on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dash_seed_data import DashSeed, seed_two_authorities
from sqlalchemy.orm import Session, sessionmaker

from dashboards import data


@pytest.fixture
def session_factory(session: Session) -> Iterator[sessionmaker[Session]]:
    factory = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    previous = data._factory
    data.configure(factory)
    yield factory
    data._factory = previous


@pytest.fixture
def dash_seed(session: Session, session_factory: sessionmaker[Session]) -> DashSeed:
    return seed_two_authorities(session)
