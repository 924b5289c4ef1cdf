"""`tracker db`: upgrade the schema, write the SQL of partitioned tables."""

from __future__ import annotations

import click

from tracker.cli.support import TrackerGroup
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory, session_scope
from tracker.errors import TrackerError


@click.group("db", cls=TrackerGroup)
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(settings: Settings) -> None:
    """Migrate the database to the current schema and load the shipped factor sets; learn
    the review-suggestion evidence of inventories computed before it was kept.

    \b
    Example:
        tracker db upgrade
    """
    from tracker import migrate
    from tracker.services.classification.evidence import gather_evidence
    from tracker.services.reference import load_shipped_reference_data

    engine = make_engine(settings.database_url)
    try:
        migrate.upgrade(engine)
        with session_scope(make_session_factory(engine)) as session:
            loaded = load_shipped_reference_data(session)
        with session_scope(make_session_factory(engine)) as session:
            learned = gather_evidence(session)
    finally:
        engine.dispose()
    where = engine.url.render_as_string(hide_password=True)
    click.echo(f"Database {where} is at revision {migrate.head_revision()}.")
    for line in loaded:
        click.echo(f"  {line}")
    if learned:
        click.echo(f"  learned review-suggestion evidence for {learned:,} inventory runs")


@db.command("partition-sql")
@click.option(
    "--by",
    "scheme",
    type=click.Choice(["authority", "year", "run"]),
    required=True,
    help="spend_line by authority (HASH) or year (RANGE); line_emission by run (HASH).",
)
@click.option("--partitions", type=int, default=16, show_default=True, help="HASH partitions.")
@click.option(
    "--years",
    default="2015-2030",
    show_default=True,
    help="Calendar years with their own partition (--by year), as FIRST-LAST.",
)
@click.option("--table", default=None, help="Name of the new table (default: SOURCE_by_SCHEME).")
def db_partition_sql(scheme: str, partitions: int, years: str, table: str | None) -> None:
    """Print the PostgreSQL DDL of a partitioned copy of spend_line or line_emission.

    For a DBA to review and run; see docs/scaling.md for the layout and how to adopt it.

    \b
    Example:
        tracker db partition-sql --by authority --partitions 32 | psql tracker
    """
    from tracker.storage.partitioning import partition_script

    first, _, last = years.partition("-")
    try:
        span = range(int(first), int(last or first) + 1)
        statements = partition_script(scheme, table=table, partitions=partitions, years=span)
    except ValueError as exc:
        raise TrackerError(f"partition-sql: {exc}") from None
    click.echo("BEGIN;")
    for statement in statements:
        click.echo(f"{statement};")
    click.echo("COMMIT;")
