"""What every CLI command module shares: a checked session, JSON output, error reporting."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import click
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tracker import migrate
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory, read_only_session, session_scope
from tracker.domain.periods import parse_fy
from tracker.errors import TrackerError
from tracker.importers import ImportFileError
from tracker.storage import dbfaults

FORMATS = ("table", "json", "csv")


@contextmanager
def open_session(
    settings: Settings, *, check: bool = True, read_only: bool = False
) -> Iterator[Session]:
    """One unit of work on the configured database, refusing an outdated schema;
    ``read_only`` for commands that only read (reports, exports): the database refuses any
    write in it (``tracker.db.read_only_session``)."""
    engine = make_engine(settings.database_url)
    try:
        if check:
            check_database(engine)
        scope = read_only_session if read_only else session_scope
        with scope(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def check_database(engine: Engine) -> None:
    """Refuse an outdated schema; a database that cannot be opened is a one-line error."""
    try:
        migrate.check_schema(engine)
    except DBAPIError as exc:
        explained = dbfaults.explain(exc)
        if explained is None:
            raise
        raise explained from exc


def json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def echo_notes(notes: list[str]) -> None:
    """Notes of a refresh (a year not computed, and what to load for it)."""
    for note in notes:
        click.echo(f"note: {note}")


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, default=json_default, indent=2, ensure_ascii=False))


class TrackerGroup(click.Group):
    """A click group that reports user errors as one line on stderr and exits with 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (TrackerError, ImportFileError) as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            ctx.exit(2)


class FinancialYear(click.ParamType):  # type: ignore[type-arg]
    """A financial year given by its start year (``2023``) or its label (``2023/24``);
    the command receives the start year."""

    name = "YEAR"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_fy(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


FINANCIAL_YEAR = FinancialYear()


def year_change(reason_help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options of a command that changes one year of one authority for a recorded
    reason: ``--authority CODE --year YEAR --reason TEXT`` (all required), and the settings.
    The command receives ``(settings, code, year, reason)``."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in (
            click.pass_obj,
            click.option("--reason", required=True, help=reason_help),
            click.option("--year", type=FINANCIAL_YEAR, required=True),
            click.option("--authority", "code", required=True),
        ):
            command = option(command)
        return command

    return decorate
