"""SQL helpers shared by the query modules: typed sums, run-scoped SELECTs, Decimal coercion."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BindParameter,
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
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

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


class _Among(ColumnElement[bool]):
    """``column IN ids``, written for the database it is sent to (see ``among``).

    It carries the ids twice, as an expanding ``IN`` parameter and as one array parameter,
    so that a statement compiled once (SQLAlchemy caches compiled statements by their
    shape, not their values) takes each later call's ids through either; each dialect
    renders one of the two and the other is never sent."""

    inherit_cache = True
    type = Boolean()
    _traverse_internals = [  # noqa: RUF012 (SQLAlchemy declares it a list)
        ("column", InternalTraversal.dp_clauseelement),
        ("as_list", InternalTraversal.dp_clauseelement),
        ("as_array", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], ids: Sequence[int]) -> None:
        values = [int(i) for i in ids]
        self.column = column
        self.as_list: BindParameter[Any] = bindparam(None, values, expanding=True)
        self.as_array: BindParameter[Any] = bindparam(None, values, type_=ARRAY(Integer))


@compiles(_Among)
def _compile_among(element: _Among, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column.in_(element.as_list), **kw)


@compiles(_Among, "postgresql")
def _compile_among_postgresql(element: _Among, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column == any_(element.as_array), **kw)


def among(column: Any, ids: Sequence[int]) -> ColumnElement[bool]:
    """``column IN ids`` for a long list of integer ids: on PostgreSQL one array parameter
    (``= ANY(:ids)``), so the statement's text stays the same whatever the ids and neither
    SQLAlchemy nor the driver renders and parses a placeholder per id (for an admin's 400
    authorities, 13-27 KB of statement text that psycopg does not keep prepared); elsewhere
    ``IN``. It needs no session: the database it is compiled for chooses."""
    return _Among(column.expression if hasattr(column, "expression") else column, ids)


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
