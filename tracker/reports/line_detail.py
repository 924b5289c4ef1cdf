"""Every line of an inventory run, as the workbook's "Lines" sheet and the lines CSV show it.

One Core SELECT reads the line detail as plain rows in ``LINE_COLUMNS`` order -- each
line's id, source file and row, date, supplier, spend, classification rule and who
decided it, its confidence and confirmation, factor, exchange rate, deflator and kgCO2e --
in chunks, so that no per-line object is built and the writers never hold more than a
chunk of rows.

Figures come as ``Decimal`` (``exact=True``, for the CSV's numbers in full) or as
``float`` cast by the database (``exact=False``, for the workbook, which stores IEEE
doubles in any case).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Float, and_, case, cast, func, select
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from tracker.domain.codes import Method
from tracker.models import Factor, FactorSet, ImportBatch, LineEmission, SpendLine
from tracker.queries.confirmations import (
    CONFIRMATION,
    CONFIRMED_BY,
    CONFIRMED_ON,
    join_confirmations,
)
from tracker.reports.cells import DATE, FACTOR, KG, MONEY

Kind = Literal["integer", "text", "date", "number"]
CHUNK_ROWS = 5000

# "sic (class)": the method and, when it has one, the level it matched at.
_RULE = case(
    (
        and_(LineEmission.method != "", LineEmission.match_level != ""),
        LineEmission.method + " (" + LineEmission.match_level + ")",
    ),
    else_=LineEmission.method,
)
CODE_METHODS = (Method.SIC, Method.NAICS, Method.PROCLASS, Method.MCC, Method.CPV, Method.UNSPSC)
# Who decided: the person who wrote the rule, supplier default or line override, else
# the shipped tables the decision came from (or the supplier's own factor).
DECIDED_BY = func.coalesce(
    LineEmission.decided_by,
    case(
        (LineEmission.method.in_(CODE_METHODS), "shipped code crosswalk"),
        (LineEmission.method == Method.LIBRARY, "shared rule library"),
        (LineEmission.method == Method.POLICY, "group-wide policy"),
        (LineEmission.method == Method.SUPPLIER, "supplier-specific factor"),
    ),
)


@dataclass(frozen=True)
class LineColumn:
    name: str  # the header
    kind: Kind  # what the column holds (None aside)
    expr: ColumnElement[Any] | QueryableAttribute[Any]
    fmt: str | None = None  # the number format in the workbook


LINE_COLUMNS: tuple[LineColumn, ...] = (
    LineColumn("Line id", "integer", SpendLine.id),
    LineColumn("Source file", "text", ImportBatch.file_name),
    LineColumn("Source row", "integer", SpendLine.source_row),
    LineColumn("Date", "date", SpendLine.transaction_date, DATE),
    LineColumn("Supplier", "text", SpendLine.supplier_name),
    LineColumn("Description", "text", SpendLine.description),
    LineColumn("Expense type", "text", SpendLine.expense_type),
    LineColumn("Department", "text", SpendLine.cost_centre),
    LineColumn("Spend (net of VAT)", "number", SpendLine.amount, MONEY),
    LineColumn("Status", "text", LineEmission.status),
    LineColumn("Scope 3 category", "integer", LineEmission.scope3_category),
    LineColumn("Code on the line", "text", LineEmission.matched_code),
    LineColumn("Category code", "text", LineEmission.category_code),
    LineColumn("Category", "text", Factor.name),
    LineColumn("Classified by (rule)", "text", _RULE),
    LineColumn("Decided by", "text", DECIDED_BY),
    LineColumn("Evidence that lost", "text", LineEmission.overruled),
    LineColumn("Confidence", "text", LineEmission.confidence),
    LineColumn("Confirmation", "text", CONFIRMATION),
    LineColumn("Confirmed by", "text", CONFIRMED_BY),
    LineColumn("Confirmed on", "date", CONFIRMED_ON, DATE),
    LineColumn("Factor set", "text", FactorSet.family),
    LineColumn("Edition", "text", FactorSet.edition),
    LineColumn("Factor year", "integer", LineEmission.factor_year),
    LineColumn("Factor (kgCO2e per unit)", "number", LineEmission.factor_value, FACTOR),
    LineColumn("Exchange rate", "number", LineEmission.fx_rate, FACTOR),
    LineColumn("Price index", "text", LineEmission.price_index_key),
    LineColumn("Deflator", "number", LineEmission.deflator, FACTOR),
    LineColumn("kgCO2e", "number", LineEmission.kgco2e, KG),
    LineColumn("Note", "text", LineEmission.reason),
)


def line_chunks(
    session: Session, *, run_id: int, authority_id: int, exact: bool
) -> Iterator[Sequence[Sequence[Any]]]:
    """The lines of run ``run_id`` (an inventory of ``authority_id``) by date then id, in
    lists of up to ``CHUNK_ROWS`` rows whose values follow ``LINE_COLUMNS``; figures are
    ``Decimal`` when ``exact``, else float."""
    stmt = (
        join_confirmations(
            select(*(_read(c, exact=exact) for c in LINE_COLUMNS))
            .select_from(LineEmission)
            .join(SpendLine, SpendLine.id == LineEmission.spend_line_id)
            .join(ImportBatch, ImportBatch.id == SpendLine.batch_id)
            .outerjoin(Factor, Factor.id == LineEmission.factor_id)
            .outerjoin(FactorSet, FactorSet.id == LineEmission.factor_set_id)
        )
        .where(LineEmission.run_id == run_id, SpendLine.authority_id == authority_id)
        .order_by(SpendLine.transaction_date, SpendLine.id)
    )
    # Core, not the ORM: rows come straight from the cursor, built a chunk at a time. No
    # server-side cursor: PostgreSQL plans a cursor for its first rows (nested loops, no
    # parallel workers) and reads this one in about 4 s instead of 1.7 s, so the driver
    # holds the result (about 250 bytes a line) while rows are made from it per chunk.
    # SQLite steps through its result as the chunks are fetched.
    with session.connection().execute(stmt) as result:
        yield from result.partitions(CHUNK_ROWS)


def _read(column: LineColumn, *, exact: bool) -> ColumnElement[Any] | QueryableAttribute[Any]:
    if column.kind == "number" and not exact:
        return cast(column.expr, Float)
    return column.expr
