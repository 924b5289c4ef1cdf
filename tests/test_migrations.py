"""The migration history is linear, reversible, and matches the models, on both databases."""

from __future__ import annotations

import ast
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from tracker import migrate
from tracker.db import make_engine
from tracker.errors import SchemaOutdatedError
from tracker.models import Base


def _revisions() -> list[tuple[str, str | None, str]]:
    out = []
    for path in sorted((migrate.MIGRATIONS_DIR / "versions").glob("*.py")):
        tree = ast.parse(path.read_text())
        values: dict[str, str | None] = {}
        for node in tree.body:
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.target.id in ("revision", "down_revision")
                and node.value is not None
            ):
                values[node.target.id] = ast.literal_eval(node.value)
        out.append((str(values["revision"]), values.get("down_revision"), path.name))
    return out


def test_history_is_linear_and_files_sort_by_date() -> None:
    revisions = _revisions()
    assert revisions, "no migrations"
    previous: str | None = None
    for revision, down, name in revisions:
        assert down == previous, f"{name} revises {down}, expected {previous}"
        assert name[:4].isdigit() and name[4] == "_", f"{name} is not date-named"
        previous = revision
    assert previous == migrate.head_revision()


@pytest.fixture
def fresh_engine(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An empty database of the parametrised kind."""
    if db_url.startswith("sqlite"):
        eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('mig') / 'fresh.db'}")
        yield eng
        eng.dispose()
        return
    eng = make_engine(db_url)
    with eng.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migtest CASCADE"))
        conn.execute(text("CREATE SCHEMA migtest"))
    eng.dispose()
    scoped = make_engine(db_url, connect_args={"options": "-csearch_path=migtest"})
    yield scoped
    scoped.dispose()
    cleanup = make_engine(db_url)
    with cleanup.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migtest CASCADE"))
    cleanup.dispose()


def test_upgrade_downgrade_upgrade(fresh_engine: Engine) -> None:
    with pytest.raises(SchemaOutdatedError, match="tracker db upgrade"):
        migrate.check_schema(fresh_engine)
    migrate.upgrade(fresh_engine)
    migrate.check_schema(fresh_engine)
    assert "spend_line" in inspect(fresh_engine).get_table_names()
    migrate.downgrade(fresh_engine, "base")
    assert set(inspect(fresh_engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(fresh_engine)
    migrate.check_schema(fresh_engine)


def test_models_match_migrated_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []
