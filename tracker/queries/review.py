"""The review queue: unclassified and low-confidence spend of a run, grouped, and its
descriptions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    false,
    func,
    select,
)
from sqlalchemy.orm import Session

from tracker.domain.codes import LineStatus
from tracker.models import (
    LineEmission,
    SpendLine,
)
from tracker.queries.sql import KG, MONEY, ZERO, dec, run_scope, select_run_lines, typed_sum


@dataclass(frozen=True)
class ReviewGroup:
    supplier: str | None
    expense_type: str | None
    spend: Decimal
    lines: int
    status: str  # unmapped, or mapped or excluded with low confidence
    kgco2e: Decimal = ZERO  # the group's own (classified lines only)
    category: str | None = None  # the group a low-confidence mapped group went to


def _in_review() -> ColumnElement[bool]:
    """Lines the review queue lists: unclassified, or classified or excluded with low
    confidence."""
    low = LineEmission.status.in_((LineStatus.MAPPED, LineStatus.EXCLUDED)) & (
        LineEmission.confidence == "low"
    )
    return (LineEmission.status == LineStatus.UNMAPPED) | low


def review_queue(
    session: Session,
    *,
    run_id: int,
    authority_id: int,
    limit: int | None = 50,
    offset: int = 0,
) -> list[ReviewGroup]:
    """Unclassified spend, and spend classified or excluded with low confidence, grouped by
    supplier, expense type and the category decided (if any), largest first, so that
    reviewing the top groups covers most of it (``limit`` None: every group; ``offset``
    groups skipped first, for paging)."""
    spend = typed_sum(SpendLine.amount, MONEY)
    stmt = (
        select_run_lines(
            SpendLine.supplier_name,
            SpendLine.expense_type,
            LineEmission.status,
            LineEmission.category_code,
            spend,
            func.count(),
            typed_sum(LineEmission.kgco2e, KG),
        )
        .where(
            *run_scope(run_id, authority_id),
            _in_review(),
        )
        .group_by(
            SpendLine.supplier_name,
            SpendLine.expense_type,
            LineEmission.status,
            LineEmission.category_code,
        )
        .order_by(
            func.abs(spend).desc(),
            SpendLine.supplier_name,
            SpendLine.expense_type,
            LineEmission.status,
            LineEmission.category_code,
        )
        .limit(limit)
        .offset(offset)
    )
    return [
        ReviewGroup(
            supplier=s,
            expense_type=e,
            spend=dec(v),
            lines=n,
            status=st,
            kgco2e=dec(k),
            category=c,
        )
        for s, e, st, c, v, n, k in session.execute(stmt)
    ]


def review_group_count(session: Session, *, run_id: int, authority_id: int) -> int:
    """How many groups :func:`review_queue` would list without a limit."""
    groups = (
        select_run_lines(SpendLine.supplier_name)
        .where(*run_scope(run_id, authority_id), _in_review())
        .group_by(
            SpendLine.supplier_name,
            SpendLine.expense_type,
            LineEmission.status,
            LineEmission.category_code,
        )
        .subquery()
    )
    return int(session.execute(select(func.count()).select_from(groups)).scalar_one())


def review_descriptions(
    session: Session,
    *,
    run_id: int,
    authority_id: int,
    groups: Sequence[ReviewGroup],
    per_group: int = 10,
) -> dict[tuple[str | None, str | None], list[str]]:
    """The line descriptions of each review group (supplier, expense type) of one run,
    largest spend first, at most ``per_group`` each."""
    wanted = {(g.supplier, g.expense_type) for g in groups}
    suppliers = {s for s, _ in wanted if s is not None}
    if not wanted:
        return {}
    spend = typed_sum(func.abs(SpendLine.amount), MONEY)
    supplier_in: ColumnElement[bool] = (
        SpendLine.supplier_name.in_(suppliers) if suppliers else false()
    )
    if any(s is None for s, _ in wanted):
        supplier_in = supplier_in | SpendLine.supplier_name.is_(None)
    stmt = (
        select_run_lines(SpendLine.supplier_name, SpendLine.expense_type, SpendLine.description)
        .add_columns(spend)
        .where(
            *run_scope(run_id, authority_id),
            supplier_in,
            SpendLine.description.is_not(None),
            _in_review(),
        )
        .group_by(SpendLine.supplier_name, SpendLine.expense_type, SpendLine.description)
        .order_by(spend.desc())
    )
    out: dict[tuple[str | None, str | None], list[str]] = {}
    for supplier, expense_type, text, _spend in session.execute(stmt):
        found = out.setdefault((supplier, expense_type), [])
        if (supplier, expense_type) in wanted and len(found) < per_group:
            found.append(text)
    return {k: v for k, v in out.items() if v}
