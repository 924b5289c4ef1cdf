"""Schema migrations: run Alembic from the tracker, and refuse to work on an outdated schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from tracker.errors import SchemaOutdatedError

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = alembic_config(engine)
    with _migrating(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config(engine)
    with _migrating(engine) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for migrations. On SQLite, foreign keys are off
    meanwhile (SQLite's own procedure for altering tables): a batch migration copies a
    table and drops the old one, and with foreign keys enforced that drop deletes every
    row that refers to it with ON DELETE CASCADE (an import batch's lines, a run's line
    emissions). Before committing, ``PRAGMA foreign_key_check`` must find nothing."""
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with conn.begin():
                yield conn
            return
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")  # no effect inside a transaction: before it
        try:
            with conn.begin():
                yield conn
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(
                        f"migration left rows whose foreign keys refer to nothing: {broken[:5]}"
                    )
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def check_schema(engine: Engine) -> None:
    """Raise SchemaOutdatedError unless the database is at the latest migration."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    where = engine.url.render_as_string(hide_password=True)
    if current is None:
        raise SchemaOutdatedError(
            f"The database {where} has no tracker schema yet. Run `tracker db upgrade` first."
        )
    raise SchemaOutdatedError(
        f"The database {where} is at schema revision {current}, but this version of the "
        f"tracker needs {head}. Run `tracker db upgrade` first."
    )
