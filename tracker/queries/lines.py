"""The spend lines of one category of a run, a page at a time, with their confirmation state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    func,
)
from sqlalchemy.orm import Session

from tracker.domain.codes import LineStatus
from tracker.models import (
    Factor,
    LineEmission,
    SpendLine,
    Supplier,
)
from tracker.queries.confirmations import CONFIRMATION, CONFIRMED_BY, join_confirmations
from tracker.queries.sql import dec, run_scope, select_run_lines


@dataclass(frozen=True)
class LineRow:
    spend_line_id: int
    date: dt.date
    supplier: str | None
    description: str | None
    expense_type: str | None
    amount: Decimal
    kgco2e: Decimal
    method: str | None = None  # how it was classified: sic, library, rule, override, ...
    rule: str | None = None  # the code, rule id or supplier that decided
    decided_by: str | None = None  # who wrote that rule, default or override
    overruled: str | None = None  # evidence that disagreed and lost
    confidence: str | None = None  # high, medium, low (None: unclassified)
    confirmation: str | None = None  # "confirmed", "needs re-confirming" or None
    confirmed_by: str | None = None


def category_lines(
    session: Session,
    *,
    run_id: int,
    authority_id: int,
    category_code: str | None,
    offset: int = 0,
    limit: int = 25,
) -> tuple[int, list[LineRow]]:
    """The spend lines behind one category of a run (``None``: the unmapped lines),
    largest emissions then spend first: (how many there are, one page of them)."""
    if category_code is None:
        which = LineEmission.status == LineStatus.UNMAPPED
    else:
        which = (LineEmission.status == LineStatus.MAPPED) & (
            LineEmission.category_code == category_code
        )
    scope = (*run_scope(run_id, authority_id), which)
    total = session.scalar(select_run_lines(func.count()).where(*scope)) or 0
    stmt = (
        select_run_lines(
            SpendLine.id,
            SpendLine.transaction_date,
            func.coalesce(Supplier.name, SpendLine.supplier_name),
            SpendLine.description,
            SpendLine.expense_type,
            SpendLine.amount,
            LineEmission.kgco2e,
            LineEmission.method,
            LineEmission.matched_code,
            LineEmission.decided_by,
            LineEmission.overruled,
            LineEmission.confidence,
            CONFIRMATION,
            CONFIRMED_BY,
        )
        .outerjoin(Supplier, Supplier.id == SpendLine.supplier_id)
        .outerjoin(Factor, Factor.id == LineEmission.factor_id)
    )
    stmt = (
        join_confirmations(stmt)
        .where(*scope)
        .order_by(LineEmission.kgco2e.desc(), SpendLine.amount.desc(), SpendLine.id)
        .offset(max(offset, 0))
        .limit(max(min(limit, 200), 1))
    )
    rows = [
        LineRow(i, d, s, desc, e, dec(a), dec(k), m, rule, who, lost, conf, state, by)
        for i, d, s, desc, e, a, k, m, rule, who, lost, conf, state, by in session.execute(stmt)
    ]
    return total, rows
