"""A line's confirmation (``line_confirmation``) as SQL columns, for the line listings.

A line is confirmed by a confirmation of that line, else by one of its classification
inputs (``class_key``). Its state is "confirmed" while the decision confirmed is still
the line's, "needs re-confirming" once it differs -- the SQL form of
tracker.domain.signoff.confirmation_state: status, category, factor code and exclusion
count, who decided does not.

Use ``join_confirmations`` on a SELECT that already joins ``SpendLine``, ``LineEmission``
and (outer) ``Factor``, then the column expressions below.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, func
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from tracker.domain.codes import LineStatus
from tracker.domain.signoff import CONFIRMED, RECONFIRM
from tracker.models import Factor, LineConfirmation, LineEmission, SpendLine

_LINE = aliased(LineConfirmation, name="confirmed_line")
_CLASS = aliased(LineConfirmation, name="confirmed_class")


def join_confirmations(stmt: Select[Any]) -> Select[Any]:
    """``stmt`` outer-joined to the line's own confirmation and its class's."""
    same_class = and_(
        _CLASS.authority_id == SpendLine.authority_id, _CLASS.class_key == SpendLine.class_key
    )
    return stmt.outerjoin(_LINE, _LINE.spend_line_id == SpendLine.id).outerjoin(_CLASS, same_class)


def _pick(name: str) -> ColumnElement[Any]:
    """The line's confirmation's ``name``, else its class's."""
    return case((_LINE.id.is_not(None), getattr(_LINE, name)), else_=getattr(_CLASS, name))


def _same(confirmed: ColumnElement[Any], current: Any) -> ColumnElement[bool]:
    return func.coalesce(confirmed, "") == func.coalesce(current, "")


_EXCLUSION = case((LineEmission.status == LineStatus.EXCLUDED, LineEmission.reason))
_UNCHANGED = and_(
    _pick("status") == LineEmission.status,
    _same(_pick("category_code"), LineEmission.category_code),
    _same(_pick("factor_code"), Factor.code),
    _same(_pick("exclusion"), _EXCLUSION),
)
CONFIRMATION: ColumnElement[Any] = case(
    (_pick("id").is_(None), None), (_UNCHANGED, CONFIRMED), else_=RECONFIRM
)
CONFIRMED_BY: ColumnElement[Any] = _pick("confirmed_by")
CONFIRMED_ON: ColumnElement[Any] = _pick("confirmed_at")
