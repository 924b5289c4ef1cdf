"""Payees and expense types treated differently across the authorities a user may see
as aggregates (``tracker.access.aggregate_access_ids``: their own and those that share
their figures; every authority for an admin), for the review page, /collaboration and
``tracker collaboration``. The comparison is ``tracker.domain.treatments``; what each
run's decided lines say is learned with the run's suggestion evidence
(``tracker.services.classification.evidence.decided_spend``), so this reads a few rows per payee. It
only reads: a run computed before that was kept counts once `tracker db upgrade`, its
next inventory or a review has learned it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.access import Viewer, aggregate_access_ids
from tracker.domain.treatments import Difference, Row, differences
from tracker.models import Authority, InventoryRun, RunEvidence
from tracker.queries.sql import among
from tracker.services.classification.evidence import (
    TREAT_EXPENSE_TYPE,
    TREAT_SUPPLIER,
    current_runs,
)

FIELD_OF = {TREAT_SUPPLIER: "supplier", TREAT_EXPENSE_TYPE: "expense_type"}
DEFAULT_TOP = 20


def treatment_differences(
    session: Session, viewer: Viewer, *, year: int | None = None, top: int = DEFAULT_TOP
) -> list[Difference]:
    """The ``top`` payees and expense types whose main treatment differs between the
    authorities ``viewer`` may see as aggregates, in the current runs of ``year`` (of
    every year when None), largest decided spend first."""
    return treatment_differences_among(
        session, aggregate_access_ids(session, viewer), year=year, top=top
    )


def treatment_differences_among(
    session: Session, ids: Sequence[int], *, year: int | None = None, top: int = DEFAULT_TOP
) -> list[Difference]:
    """``treatment_differences`` between the authorities ``ids``: ``aggregate_access_ids``
    of the viewer, as the caller read them (collaboration keeps its answer under the very
    ids it read)."""
    runs = select(InventoryRun.id).where(
        InventoryRun.id.in_(current_runs()), among(InventoryRun.authority_id, ids)
    )
    if year is not None:
        runs = runs.where(InventoryRun.fy_year == year)
    kinds = (TREAT_SUPPLIER, TREAT_EXPENSE_TYPE)
    # Only keys treated in more than one way anywhere: few rows to read.
    mixed = (
        select(RunEvidence.kind, RunEvidence.key)
        .where(RunEvidence.kind.in_(kinds), RunEvidence.run_id.in_(runs))
        .group_by(RunEvidence.kind, RunEvidence.key)
        .having(func.count(func.distinct(RunEvidence.defra_group)) > 1)
        .subquery()
    )
    stmt = (
        select(
            RunEvidence.kind, RunEvidence.key, Authority.code, RunEvidence.defra_group,
            func.sum(RunEvidence.weight), func.sum(RunEvidence.lines),
        )
        .join(mixed, (mixed.c.kind == RunEvidence.kind) & (mixed.c.key == RunEvidence.key))
        .join(InventoryRun, InventoryRun.id == RunEvidence.run_id)
        .join(Authority, Authority.id == InventoryRun.authority_id)
        .where(RunEvidence.run_id.in_(runs))
        .group_by(RunEvidence.kind, RunEvidence.key, Authority.code, RunEvidence.defra_group)
    )  # fmt: skip
    rows: list[Row] = [
        (FIELD_OF[kind], key, code, treatment, Decimal(spend), int(lines))
        for kind, key, code, treatment, spend, lines in session.execute(stmt)
    ]
    return differences(rows)[:top]
