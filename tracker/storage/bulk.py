"""Bulk row insertion inside the session's own transaction.

``bulk_insert`` is for many plain rows (spend lines): no ORM objects, no per-row statements.
It uses the connection the session already holds, so the rows belong to the caller's
transaction and disappear with it on rollback.

- PostgreSQL with psycopg 3: ``COPY ... FROM STDIN`` (text format, values adapted by psycopg);
- SQLite: the sqlite3 driver's ``executemany`` with one prepared ``INSERT``;
- anything else: SQLAlchemy Core ``insert`` executed with a list of parameter sets.

A driver error from the raw connection (the database gone mid-COPY, a locked SQLite file)
is raised as SQLAlchemy's matching ``DBAPIError`` (``OperationalError`` …), as any other
statement's would be, so that callers tell database faults apart the same way (the CLI's
message, the dashboard's 503).

Values are bound as SQLAlchemy Core would bind them for the same table (its per-type bind
conversions are applied on SQLite; psycopg adapts ``Decimal``, ``date``, ``str``, ``int`` and
``None`` itself for COPY), so rows read back exactly as Core-inserted ones do.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Column, Connection, Date, DateTime, Dialect, Table, insert
from sqlalchemy.engine import processors
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

DEFAULT_CHUNK = 10_000


def bulk_insert(
    session: Session,
    table: Table,
    rows: Iterable[dict[str, Any]],
    *,
    chunk: int = DEFAULT_CHUNK,
    columns: Sequence[str] | None = None,
) -> int:
    """Insert ``rows`` (dicts keyed by column name) into ``table``; return how many.

    The columns are ``columns`` when given, else those of the first row; a row's missing
    key is stored as NULL, and a key outside the columns is a ValueError. Rows are consumed
    ``chunk`` at a time, so a generator is never held in full. Pending ORM changes are
    flushed first (the rows may refer to them); Python-side column defaults are not
    applied, so pass every value you need. Nothing is committed: the caller's
    transaction decides.
    """
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    names = list(columns) if columns is not None else list(first)
    unknown = [n for n in names if n not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no column(s) {', '.join(unknown)}")
    values = _row_values(names)
    return bulk_insert_rows(
        session, table, names, (values(r) for r in itertools.chain([first], iterator)),
        chunk=chunk,
    )  # fmt: skip


def bulk_insert_rows(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    chunk: int = DEFAULT_CHUNK,
) -> int:
    """Insert ``rows`` (sequences of values in ``columns`` order) into ``table``; return
    how many. As :func:`bulk_insert` without a dict per row: for callers that build many
    rows of known columns (the spend import); a row of another width is refused by the
    driver."""
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    names = list(columns)
    unknown = [n for n in names if n not in table.c]
    if unknown:
        raise ValueError(f"{table.name} has no column(s) {', '.join(unknown)}")
    targets = [table.c[n] for n in names]
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    session.flush()
    all_rows = itertools.chain([first], iterator)
    connection = session.connection()
    dialect = connection.dialect.name
    driver = connection.dialect.driver
    if dialect == "postgresql" and driver == "psycopg":
        raw = connection.connection.driver_connection
        with _driver_errors(connection, f"COPY {table.name}"):
            return _copy_postgres(raw, table, names, all_rows)
    if dialect == "sqlite" and driver == "pysqlite":
        raw = connection.connection.driver_connection
        with _driver_errors(connection, f"INSERT INTO {table.name}"):
            return _executemany_sqlite(raw, connection.dialect, table, targets, all_rows, chunk)
    count = 0
    statement = insert(table)
    for batch in _batches(all_rows, chunk):
        connection.execute(statement, [dict(zip(names, r, strict=True)) for r in batch])
        count += len(batch)
    return count


@contextmanager
def _driver_errors(connection: Connection, statement: str) -> Iterator[None]:
    """Raise the driver's own errors as SQLAlchemy's, invalidating a lost connection."""
    dbapi = connection.dialect.loaded_dbapi
    try:
        yield
    except dbapi.Error as exc:
        lost = connection.dialect.is_disconnect(exc, connection.connection.dbapi_connection, None)
        if lost:
            connection.invalidate(exc)
        raise DBAPIError.instance(
            statement, None, exc, dbapi.Error, connection_invalidated=lost,
            dialect=connection.dialect,
        ) from exc  # fmt: skip


def _batches(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(itertools.islice(rows, size)):
        yield batch


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _copy_postgres(
    pg: Any, table: Table, names: Sequence[str], rows: Iterator[Sequence[Any]]
) -> int:
    target = _quote(table.name) if table.schema is None else f"{_quote(table.schema)}."
    if table.schema is not None:
        target += _quote(table.name)
    statement = f"COPY {target} ({', '.join(_quote(n) for n in names)}) FROM STDIN"
    count = 0
    with pg.cursor() as cursor, cursor.copy(statement) as copy:
        write_row = copy.write_row
        for row in rows:
            write_row(row)
            count += 1
    return count


def _executemany_sqlite(
    raw: Any,
    dialect: Dialect,
    table: Table,
    columns: Sequence[Column[Any]],
    rows: Iterator[Sequence[Any]],
    chunk: int,
) -> int:
    names = [c.name for c in columns]
    statement = (
        f"INSERT INTO {_quote(table.name)} ({', '.join(_quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' * len(names))})"
    )
    # SQLAlchemy's own bind conversions for this dialect (Date -> ISO text, Numeric ->
    # float as its SQLite dialect stores it), so rows read back exactly as Core-inserted ones.
    converters = [
        (position, _column_converter(processor, column.type))
        for position, column in enumerate(columns)
        if (processor := column.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    count = 0
    cursor = raw.cursor()
    try:
        for batch in _batches(rows, chunk):
            params: list[Sequence[Any]] = batch
            if converters:
                params = _convert_columns(batch, converters)
            cursor.executemany(statement, params)
            count += len(batch)
    finally:
        cursor.close()
    return count


def _column_converter(
    processor: Callable[[Any], Any], column_type: Any
) -> Callable[[list[Any]], list[Any]]:
    """Apply ``processor`` to a column's values (None kept as None), as fast as the type
    allows: a date column holds few distinct days, so each is converted once; SQLite's
    Numeric conversion is ``float`` itself."""
    if processor is processors.to_float:

        def floats(values: list[Any]) -> list[Any]:
            return [None if v is None else float(v) for v in values]

        return floats
    if isinstance(column_type, Date | DateTime):

        def distinct(values: list[Any]) -> list[Any]:
            done: dict[Any, Any] = {v: processor(v) for v in set(values) if v is not None}
            done[None] = None
            return list(map(done.__getitem__, values))

        return distinct

    def each(values: list[Any]) -> list[Any]:
        return [None if v is None else processor(v) for v in values]

    return each


def _convert_columns(
    rows: list[Sequence[Any]], converters: Sequence[tuple[int, Callable[[list[Any]], list[Any]]]]
) -> list[Sequence[Any]]:
    """The rows with the converted columns replaced, converting column by column."""
    columns: list[Any] = list(zip(*rows, strict=True))
    for position, convert in converters:
        columns[position] = convert(columns[position])
    return list(zip(*columns, strict=True))


def _row_values(names: Sequence[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A function giving a row's values in ``names`` order (None for a missing key); a
    key outside ``names`` is a ValueError, never silently dropped."""
    getter = operator.itemgetter(*names)
    known = frozenset(names)

    def values(row: dict[str, Any]) -> tuple[Any, ...]:
        try:
            found = getter(row)
        except KeyError:
            _check(row)
            return tuple(map(row.get, names))
        if len(row) > len(names):  # every name is present, so more keys are strays
            _check(row)
        return found if len(names) > 1 else (found,)

    def _check(row: dict[str, Any]) -> None:
        stray = sorted(row.keys() - known)
        if stray:
            raise ValueError(f"row has column(s) {', '.join(stray)} not in {', '.join(names)}")

    return values
