"""Shared fixtures: migrated databases on SQLite and (when configured) PostgreSQL.

Every test database is built by running the Alembic migrations, never ``create_all``.
PostgreSQL tests use ``TRACKER_TEST_POSTGRES_URL`` (a server URL, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``); the run creates its own
database and drops it at the end. Without that variable they skip, except under CI
(``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import TrackerCli, migrated_cli
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tracker import migrate
from tracker.db import make_engine

REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    env = os.environ.get("TRACKER_SHARED_DIR")
    return Path(env) if env else REPO_ROOT.parent / "shared"


#: The publisher of each real spend file (shared/data/spend/README.md), the name an
#: authority importing it carries: its organisation column must name that body.
SPEND_PUBLISHERS = {
    "uk-leeds-2020-06.csv": "Leeds City Council",
    "uk-lambeth-2012-06.csv": "London Borough of Lambeth",
    "uk-oxford-2014-q1.csv": "Oxford City Council",
    "uk-trafford-2014-09.csv": "Trafford Council",
    "uk-tameside-2014-09.csv": "Tameside MBC",
    "uk-manchester-2014-09.xls": "Manchester City Council",
    "uk-stockport-2014-09.xls": "Stockport Metropolitan Borough Council",
    "uk-birmingham-pcard-2019-11.xls": "Birmingham City Council",
    "uk-birmingham-pcard-2020-02.xls": "Birmingham City Council",
    "uk-trafford-pcard-2025-26.csv": "Trafford Council",
    "uk-salford-2019-sic-enriched.csv": "Salford City Council",
    "us-phoenix-2018-03.csv": "City of Phoenix",
}


def shared_file(*parts: str) -> Path:
    """A file from ../shared/data, or skip the test cleanly when it is absent."""
    path = shared_dir().joinpath("data", *parts)
    if not path.exists():
        pytest.skip(f"reference file not available: {path}")
    return path


def _postgres_server_url() -> str | None:
    url = os.environ.get("TRACKER_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but TRACKER_TEST_POSTGRES_URL is not set")
        return None
    return url


# Tests that drive the CLI (or otherwise commit) write to the shared PostgreSQL test
# database for good; the others run inside a transaction that is rolled back and assume
# they see only their own authorities. So the committing tests run last, in their own
# order: a test module that uses the ``tracker`` fixture or builds a CLI with cli_helpers.
COMMITTING_HELPERS = ("migrated_cli", "cli_for", "cli_with_authority")


def _commits(item: pytest.Item) -> bool:
    module = getattr(item, "module", None)
    uses_cli = module is not None and any(hasattr(module, n) for n in COMMITTING_HELPERS)
    return uses_cli or "tracker" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_commits)  # stable: each group keeps its collection order


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


def _postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server, dropped afterwards."""
    server = _postgres_server_url()
    if server is None:
        pytest.skip("PostgreSQL tests need TRACKER_TEST_POSTGRES_URL (see README)")
    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL unreachable at {server}: {exc}")
        pytest.skip(f"PostgreSQL unreachable at {server}: {exc}")
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'tracker.db'}"


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def db_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def private_db_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own, for a test that reads every authority in it (such as
    ``tracker compare``): a file under ``tmp_path`` for SQLite, a new PostgreSQL database
    (dropped afterwards) instead of the shared one."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'private.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test."""
    with engine.connect() as conn:
        trans = conn.begin()
        sess = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield sess
        finally:
            sess.close()
            trans.rollback()


@pytest.fixture
def tracker(db_url: str, tmp_path: Path) -> TrackerCli:
    """The ``tracker`` CLI run in-process on an upgraded database: a file of the test's own
    under ``tmp_path`` for SQLite, else the shared PostgreSQL test database."""
    return migrated_cli(db_url, tmp_path)
