"""``compare`` kept between calls, under a key naming everything it reads.

A comparison of 400 authorities reads their summary rows, targets, months covered and
years' figures: hundreds of milliseconds, on every visit to /compare, though the answer
changes only when one of those does. ``remembered_compare`` keeps each answer
(``tracker.storage.memo``) under:

* the database and the authorities the viewer may see as aggregates (their ids in code
  order): two viewers share an answer only when they see the same authorities, so no
  viewer is ever served an authority outside their scope;
* the year asked for, the warnings' method names and the plausibility limits;
* every row ``compare`` reads that can change: the authorities' codes, names, currencies,
  populations and year starts; their inventory runs (id and creation time: a run's figures
  and summary rows never change once stored, a recalculation is a new run); their live
  import batches (whose months are fixed, ``tracker.services.batch_months``); their
  targets and year confirmations, whole; and the factor sets' names.

So a new run, a changed target or population, a confirmation, an import or a deleted
batch is a new key, never a stale answer (the rows are held in the key as their SHA-256,
so a kept entry costs its answer, not thousands of rows). An answer is kept only if
nothing changed between reading its key and working it out: the session read both in one
snapshot (``same_snapshot``), or else the key, read again, is the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from tracker.access import Viewer, aggregate_access_ids
from tracker.domain.plausibility import DEFAULT_LIMITS, Limits
from tracker.models import (
    Authority,
    FactorSet,
    ImportBatch,
    InventoryRun,
    Target,
    YearConfirmation,
)
from tracker.queries.sql import among
from tracker.services.compare import Comparison, compare_among
from tracker.storage.memo import Memo, database_key


@dataclass(frozen=True)
class Options:
    """How ``compare`` words and flags its answer: the names of classification methods in
    the warnings, and the plausibility limits (both part of the key)."""

    method_label: Callable[[str], str] = str
    limits: Limits = DEFAULT_LIMITS


# One answer per (scope, year, inputs): an admin's and each sharing group's few years.
_COMPARISONS: Memo[Comparison] = Memo(size=64)


def remembered_compare(
    session: Session, viewer: Viewer, year: int | None, options: Options = Options()
) -> Comparison:
    """``compare(session, viewer, ...)``, the same answer, kept while its inputs stand."""
    mark = snapshot_mark(session)
    ids = tuple(aggregate_access_ids(session, viewer))
    key = (database_key(session), ids, year, options, digest(inputs(session, ids)))
    kept = _COMPARISONS.get(key)
    if kept is not None:
        return kept
    # the authorities of the key, not read again: a change of sharing meanwhile must not
    # put another authority's figures in an answer kept under these ids
    answer = compare_among(
        session, ids, year=year, method_label=options.method_label, limits=options.limits
    )
    if same_snapshot(session, mark) or (
        digest(inputs(session, ids)) == key[-1]
        and tuple(aggregate_access_ids(session, viewer)) == ids
    ):
        _COMPARISONS.put(key, answer)
    return answer


def snapshot_mark(session: Session) -> object:
    """What names the data the session reads from now on, for ``same_snapshot``: on
    SQLite the session's open transaction (one snapshot of the database from its first
    read to its end: ``tracker.db`` begins every transaction itself); on PostgreSQL the
    server's current snapshot (``pg_current_snapshot()``, PostgreSQL 13 or later: the
    transactions committed so far); elsewhere None."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return session.scalar(select(cast(func.pg_current_snapshot(), String)))
    if dialect == "sqlite":
        session.connection()  # begins the session's transaction (BEGIN) if not yet begun
        transaction = session.get_transaction()
        dbapi = session.connection().connection.dbapi_connection
        if transaction is not None and getattr(dbapi, "in_transaction", False):
            return transaction
    return None


def same_snapshot(session: Session, mark: object) -> bool:
    """Whether every read of the session since ``snapshot_mark`` gave ``mark`` saw the same
    data. SQLite: the same transaction is still open, so its reads shared one snapshot.
    PostgreSQL (whose reads each see what was committed when they began): the current
    snapshot is the same text, so no transaction committed in between (a commit leaves
    the list of transactions in progress or moves its bounds, and both only move on).
    When in doubt, False: the caller reads its key again."""
    if mark is None:
        return False
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return session.scalar(select(cast(func.pg_current_snapshot(), String))) == mark
    if dialect == "sqlite":
        dbapi = session.connection().connection.dbapi_connection
        return session.get_transaction() is mark and bool(getattr(dbapi, "in_transaction", False))
    return False


def inputs(session: Session, ids: Sequence[int]) -> tuple[object, ...]:
    """Every stored row ``compare`` reads for the authorities ``ids`` that can change (see
    the module's docstring)."""

    def where(column: Any) -> Any:
        return among(column, ids)

    return (
        _rows(
            session,
            select(
                Authority.id,
                Authority.code,
                Authority.name,
                Authority.currency,
                Authority.population,
                Authority.fy_start_month,
            )
            .where(where(Authority.id))
            .order_by(Authority.id),
        ),
        _rows(
            session,
            select(InventoryRun.id, _text(InventoryRun.created_at))
            .where(where(InventoryRun.authority_id))
            .order_by(InventoryRun.id),
        ),
        _rows(
            session,
            select(ImportBatch.id, ImportBatch.sha256, _text(ImportBatch.imported_at))
            .where(where(ImportBatch.authority_id), ImportBatch.status == "imported")
            .order_by(ImportBatch.id),
        ),
        _rows(
            session,
            select(*Target.__table__.columns).where(where(Target.authority_id)).order_by(Target.id),
        ),
        _rows(
            session,
            select(*YearConfirmation.__table__.columns)
            .where(where(YearConfirmation.authority_id))
            .order_by(YearConfirmation.authority_id, YearConfirmation.fy_year),
        ),
        _rows(
            session,
            select(FactorSet.id, FactorSet.family, FactorSet.edition, FactorSet.data_year).order_by(
                FactorSet.id
            ),
        ),
    )


def digest(rows: tuple[object, ...]) -> str:
    """The inputs as a SHA-256 of their text: a key of 64 characters rather than thousands
    of rows held per entry (two different inputs sharing one is not a practical risk)."""
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _text(column: Any) -> Any:
    """A timestamp as the database's text: the same identity, without parsing thousands."""
    return cast(column, String)


def _rows(session: Session, stmt: Any) -> tuple[tuple[object, ...], ...]:
    """The rows as plain tuples (a JSON column as the dict or list read: the same stored
    text reads back the same, so its digest is the same)."""
    return tuple(map(tuple, session.execute(stmt)))
