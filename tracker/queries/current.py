"""The current inventory run of an authority's financial year: its run with the highest id.

Older runs are kept for audit but never shown. Every reader of "the current run" asks this
module: one run (``current_run``) or the ids of many (``current_run_ids``, a SELECT to
filter or join on); and the lock of a year (``lock_of``), whose run stays the version
shown until a restatement.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from tracker.models import InventoryRun, PeriodLock
from tracker.queries.sql import among


def current_run_ids(
    authority_ids: Sequence[int] | None = None, fy_year: int | None = None
) -> Select[Any]:
    """SELECT of the id (``run_id``) of the current run of each (authority, year): of the
    authorities ``authority_ids`` (every authority when None) and of ``fy_year`` (every year
    when None). Use it in ``.in_(...)`` or as ``.subquery()`` to join on ``run_id``."""
    stmt = select(func.max(InventoryRun.id).label("run_id")).group_by(
        InventoryRun.authority_id, InventoryRun.fy_year
    )
    if authority_ids is not None:
        stmt = stmt.where(among(InventoryRun.authority_id, authority_ids))
    if fy_year is not None:
        stmt = stmt.where(InventoryRun.fy_year == fy_year)
    return stmt


def current_run(session: Session, authority_id: int, year: int) -> InventoryRun | None:
    """The current run of one authority's financial year ``year``, or None before its first."""
    return session.scalar(
        select(InventoryRun)
        .where(InventoryRun.authority_id == authority_id, InventoryRun.fy_year == year)
        .order_by(InventoryRun.id.desc())
        .limit(1)
    )


def lock_of(session: Session, authority_id: int, year: int) -> PeriodLock | None:
    """The lock of one authority's financial year ``year`` (its locked run is the version
    shown until a restatement), or None when the year is open."""
    return session.scalar(
        select(PeriodLock).where(
            PeriodLock.authority_id == authority_id, PeriodLock.fy_year == year
        )
    )
