"""SQL helpers shared by the query modules: typed sums, run-scoped SELECTs, Decimal coercion."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    Numeric,
    Select,
    any_,
    bindparam,
    func,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import QueryableAttribute, Session

from tracker.models import (
    InventoryRun,
    LineEmission,
    RunCategoryTotal,
    RunDepartmentTotal,
    RunQualityTotal,
    RunSupplierTotal,
    SpendLine,
)

ZERO = Decimal(0)


MONEY = Numeric(18, 2)


KG = Numeric(24, 6)


def among(session: Session, column: Any, ids: Sequence[int]) -> ColumnElement[bool]:
    """``column IN ids`` for a long list of integer ids: on PostgreSQL one array parameter
    (``= ANY(:ids)``), so the statement's text stays the same whatever the ids and neither
    SQLAlchemy nor the driver renders and parses a placeholder per id (for 400 ids, most of
    the client's time in a query that returns a few hundred rows); elsewhere ``IN``."""
    if session.get_bind().dialect.name == "postgresql":
        array = bindparam(None, list(ids), type_=ARRAY(Integer))
        return type_coerce(column == any_(array), Boolean)
    return type_coerce(column.in_(list(ids)), Boolean)


def ratio(num: Decimal, den: Decimal) -> Decimal | None:
    return None if den == 0 else num / den


def dec(value: Any) -> Decimal:
    """A SQL sum as a Decimal (NULL, the sum of nothing, is 0)."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def select_run_lines(*columns: Any) -> Select[Any]:
    """SELECT over one run's line emissions joined to their run and spend lines."""
    return (
        select(*columns)
        .select_from(LineEmission)
        .join(InventoryRun, InventoryRun.id == LineEmission.run_id)
        .join(SpendLine, SpendLine.id == LineEmission.spend_line_id)
    )


def run_scope(run_id: int, authority_id: int) -> tuple[ColumnElement[bool], ...]:
    """The run, and the authority checked on both the run and each line, so that no
    query can return another authority's lines (defence in depth)."""
    return (
        LineEmission.run_id == run_id,
        InventoryRun.authority_id == authority_id,
        SpendLine.authority_id == authority_id,
    )


def select_run_totals(
    table: type[RunCategoryTotal]
    | type[RunSupplierTotal]
    | type[RunDepartmentTotal]
    | type[RunQualityTotal],
    run_id: int,
    authority_id: int,
    *columns: Any,
) -> Select[Any]:
    """SELECT over one run's summary rows (``tracker.models.summary``), the run checked
    to belong to the authority."""
    return (
        select(*columns)
        .select_from(table)
        .join(InventoryRun, InventoryRun.id == table.run_id)
        .where(table.run_id == run_id, InventoryRun.authority_id == authority_id)
    )


def typed_sum(
    column: QueryableAttribute[Decimal] | ColumnElement[Any], type_: Numeric[Decimal]
) -> ColumnElement[Decimal]:
    return type_coerce(func.sum(column), type_)
