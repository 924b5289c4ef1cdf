"""A year's lines costed as sets: every field of a line's result but its two amounts
depends on a small key (its classification, as line_class's ``decision`` number, NAICS
code, supplier when the supplier has its own factors, spend year and currency; a line with
an override is a key of its own). Each distinct key is costed once by the Calculator,
stored as the run's ``line_emission_key`` row and in a temporary table of what joins
lines to it, and one ``INSERT … SELECT`` per kind of key writes every line's
``line_emission`` row (its key and two amounts), with

    spend_in_factor_year = amount × fx × deflator,  kgco2e = that × factor

rounded to 6 places half to even, exactly as ``calculator.Product`` rounds them. Both
databases cost a line in floating point (whole pence × millionths per penny) only where
that cannot round differently from ``Product`` (``_float``); otherwise:

- SQLite calls ``Product`` itself, registered on the connection as a deterministic SQL
  function (ties and extreme values);
- PostgreSQL multiplies exactly (numeric) by the key's exact product and rounds half to
  even itself (its round() takes ties away from zero). Where Decimal's 28 significant
  digits could round a step of the Python product differently (a key with a long
  deflator), those lines are returned by the same statement and costed again by
  ``Product`` (a few, if any).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Float,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy import cast as cast_
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from tracker.domain.codes import LineStatus
from tracker.models import LineClass, LineOverride, SpendLine
from tracker.models.emissions import line_emission_table
from tracker.services.inventory.calculator import Calculator, Decision, Line, Product
from tracker.services.inventory.emission_rows import (
    KEY_COLUMNS,
    KEY_FIELDS,
    KEY_TABLE,
    LINE_COLUMNS,
)
from tracker.services.inventory.tallies import (
    CLASS_COLUMNS,
    OVERRIDE_COLUMNS,
    QualityTally,
    decision_of,
    override_decision,
)
from tracker.storage.bulk import bulk_insert_rows

AMOUNT_DIGITS = 18  # spend_line.amount is Numeric(18, 2)
DECIMAL_DIGITS = 28  # Decimal's default context
MICRO = Decimal(1_000_000)
FLOAT_ERROR, FLOAT_LIMIT = 1e-15, float(2**50)
PENCE_LIMIT = 10**15  # whole pence below it are exact in floating point (2⁵³ ≈ 9 × 10¹⁵)
MILLIONTH = Decimal("0.000001")
# PostgreSQL: from how many lines a run's new rows are analysed before they are summed (a
# sample of line_emission, about a second on a large table; smaller years join quickly
# enough line by line).
ANALYSED_FROM = 50_000
SPEND_FUNCTION, KG_FUNCTION = "tracker_line_spend", "tracker_line_kg"
# SQLite: a period's lines look their decision up in a temporary map of the authority's
# classes when the classes number at most this many times the lines (building the map
# costs about a third of what it saves per line: 0.55 against 1.8 µs, _hold_lines).
CLASS_MAP_LINES = 3


def key_table() -> Table:
    """The temporary table of one computation's keys: what joins lines to each key and
    what costs them (the fields the key's lines share are stored in line_emission_key
    only)."""
    table = Table(
        "inventory_key",
        MetaData(),
        Column("key_id", Integer, primary_key=True, autoincrement=False),
        Column("decision", Integer),  # line_class.decision; 0: no line_class row
        Column("spend_year", Integer),
        Column("currency", String(3)),
        Column("naics", String(32)),
        Column("supplier_id", Integer),
        Column("override_line", Integer),
        Column("costed", Integer),
        Column("inexact", Integer),
        Column("m_spend", Numeric),  # fx × deflator × 10⁶, exact (PostgreSQL only)
        Column("m_kg", Numeric),  # fx × deflator × factor × 10⁶, exact (PostgreSQL only)
        Column("f_spend", Float),  # fx × deflator × 10⁴ (millionths per penny; SQLite)
        Column("f_kg", Float),  # fx × deflator × factor × 10⁴ (SQLite)
        prefixes=["TEMPORARY"],
    )
    Index("ix_inventory_key_lines", table.c.decision, table.c.spend_year, table.c.currency,
          table.c.naics, table.c.supplier_id)  # fmt: skip
    Index("ix_inventory_key_override", table.c.override_line)
    return table


def _line_table() -> Table:
    """SQLite: the temporary table of a year's lines (those without an override) with
    what joins each to its key, and its amount."""
    return Table(
        "inventory_line",
        MetaData(),
        Column("line", Integer, primary_key=True, autoincrement=False),
        Column("decision", Integer),
        Column("spend_year", Integer),
        Column("currency", String(3)),
        Column("naics", String(32)),
        Column("supplier_id", Integer),
        Column("amount", Numeric(18, 2)),
        prefixes=["TEMPORARY"],
    )


def _digits(value: Decimal) -> int:
    return len(value.normalize().as_tuple().digits)  # trailing zeros round exactly


def _exact(*factors: Decimal) -> Decimal:
    """The exact product of ``factors`` and 10⁶ (precision enough for any three)."""
    with localcontext() as ctx:
        ctx.prec = 4 * DECIMAL_DIGITS
        out = MICRO
        for f in factors:
            out *= f
        return out


@dataclass
class Keys:
    """The distinct keys of a year's lines, each with its row fields and Product."""

    calculator: Calculator
    rows: list[dict[str, Any]] = field(default_factory=list)
    products: dict[int, Product] = field(default_factory=dict)
    _costed: dict[tuple[Any, ...], tuple[dict[str, Any], Product | None]] = field(
        default_factory=dict
    )

    def add(self, join: dict[str, Any], line: Line, cache: tuple[Any, ...] | None) -> None:
        """A key: its join columns and a line standing for all of its lines (``cache``:
        what the costing depends on, when other keys may share it)."""
        found = None if cache is None else self._costed.get(cache)
        if found is None:
            found = self.calculator.costing(line)
            if cache is not None:
                self._costed[cache] = found
        fields, product = found
        key_id = len(self.rows) + 1
        row: dict[str, Any] = dict.fromkeys(KEY_FIELDS)
        row |= {k: v for k, v in fields.items() if k in KEY_FIELDS}
        row |= join | {"key_id": key_id, "costed": int(product is not None), "inexact": 0}
        if product is not None:
            self.products[key_id] = product
            spend_digits = _digits(product.fx) + _digits(product.deflator) + AMOUNT_DIGITS
            row["inexact"] = int(spend_digits + _digits(product.factor) > DECIMAL_DIGITS)
            row["m_spend"] = _exact(product.fx, product.deflator)
            row["m_kg"] = _exact(product.fx, product.deflator, product.factor)
            row["f_spend"] = float(row["m_spend"] / 100)
            row["f_kg"] = float(row["m_kg"] / 100)
        self.rows.append(row)


def _half_even(t: ColumnElement[Any]) -> ColumnElement[Any]:
    """``t`` (millionths) rounded to a whole number half to even, in millionths → units."""
    return case((func.abs(t - func.trunc(t)) == 0.5, 2 * func.round(t / 2)), else_=func.round(t))


def cost_lines(
    session: Session,
    calculator: Calculator,
    quality: QualityTally,
    run_id: int,
    start: dt.date,
    end: dt.date,
) -> None:
    """Write the line emissions (keys and lines) of the authority's lines from ``start``
    to ``end`` (both included) for run ``run_id``."""
    authority = calculator.authority
    sl = SpendLine
    in_period = (sl.authority_id == authority.id, sl.transaction_date.between(start, end))
    year = cast_(func.extract("year", sl.transaction_date), Integer)
    naics = func.coalesce(sl.naics, "") if calculator.tables.is_naics else literal("")
    with_factors = sorted(calculator.supplier_factors)
    supplier = (
        func.coalesce(case((sl.supplier_id.in_(with_factors), sl.supplier_id)), 0)
        if with_factors
        else literal(0)
    )
    keys = Keys(calculator)
    overridden = session.execute(
        select(
            sl.id,
            year,
            sl.currency,
            naics,
            supplier,
            sl.capital_or_revenue,
            sl.cost_centre,
            *OVERRIDE_COLUMNS,
        )
        .join(LineOverride, LineOverride.spend_line_id == sl.id)
        .where(*in_period)
    ).all()
    for line_id, spend_year, currency, code, sup, flag, centre, *override in overridden:
        decision: Decision | None = override_decision(tuple(override), flag, centre)
        join = {"override_line": line_id, "spend_year": spend_year}
        keys.add(join, _line(line_id, spend_year, currency, code, sup, decision), None)
    not_overridden = (
        ~exists().where(LineOverride.spend_line_id == sl.id) if overridden else literal(True)
    )
    decided = func.coalesce(LineClass.decision, 0)
    grouped = (decided, year, sl.currency, naics, supplier)
    connection = session.connection()
    held: Table | None = None
    if connection.dialect.name == "sqlite":
        # The lines' key columns read once into a temporary table, which both the
        # grouping below and the writing of lines then scan.
        held = _hold_lines(session, authority.id, in_period, not_overridden, grouped[1:])
        h = held.c
        group = (h.decision, h.spend_year, h.currency, h.naics, h.supplier_id)
        distinct = session.execute(
            select(*group, func.min(h.line), func.count()).group_by(*group)
        ).all()
    else:
        distinct = session.execute(
            _classed(select(*grouped, func.min(sl.id), func.count()))
            .where(*in_period, not_overridden)
            .group_by(*grouped)
        ).all()
    decisions = _decisions_by_number(session, authority.id, [row[0] for row in distinct])
    lines = len(overridden) + sum(row[-1] for row in distinct)
    for number, spend_year, currency, code, sup, first_id, _ in distinct:
        join = {"decision": number, "spend_year": spend_year, "currency": currency,
                "naics": code, "supplier_id": sup}  # fmt: skip
        line = _line(first_id, spend_year, currency, code, sup, decisions.get(number))
        keys.add(join, line, None)
    for row in keys.rows:
        if row["status"] == LineStatus.MAPPED:
            row["dq"] = quality.score(row, row["spend_year"] or 0)[1]
    stored = ((run_id, *(r[name] for name in KEY_COLUMNS[1:])) for r in keys.rows)
    bulk_insert_rows(session, KEY_TABLE, KEY_COLUMNS, stored)
    table = key_table()
    table.create(connection)
    try:
        names = [c.name for c in table.columns]
        bulk_insert_rows(session, table, names, (tuple(map(r.get, names)) for r in keys.rows))
        if connection.dialect.name == "postgresql":  # a temporary table has no statistics
            connection.execute(text(f"ANALYZE {table.name}"))
        k = table.c
        columns = list(LINE_COLUMNS)
        near: list[tuple[int, Decimal, int]] = []
        if connection.dialect.name == "postgresql":
            by_key = and_(
                k.decision == decided,
                k.spend_year == year,
                k.currency == sl.currency,
                k.naics == naics,
                k.supplier_id == supplier,
            )
            joins: list[tuple[ColumnElement[Any], ColumnElement[Any]]] = [(by_key, not_overridden)]
            if overridden:  # else a scan of the year's lines that joins none
                joins.append((k.override_line == sl.id, literal(True)))
            amounts = _postgres_amounts(k)
            for on, where in joins:
                joined = _classed(select()).join(table, on).where(*in_period, where)
                near += _write_postgres(connection, table, run_id, columns, amounts, joined)
        else:
            assert held is not None
            h = held.c
            on_key = and_(
                k.decision == h.decision,
                k.spend_year == h.spend_year,
                k.currency == h.currency,
                k.naics == h.naics,
                k.supplier_id == h.supplier_id,
            )
            # In line order (the temporary table's rowid): the line_emission indexes
            # grow at their ends.
            spend, kg = _sqlite_amounts(session, keys.products, k, h.amount)
            costed = select(literal(run_id), h.line, k.key_id, spend, kg)
            rows = costed.join_from(held, table, on_key)
            connection.execute(insert(line_emission_table).from_select(columns, rows))
            if overridden:
                spend, kg = _sqlite_amounts(session, keys.products, k, sl.amount)
                rows = (
                    select(literal(run_id), sl.id, k.key_id, spend, kg)
                    .join(table, k.override_line == sl.id)
                    .where(*in_period)
                )
                connection.execute(insert(line_emission_table).from_select(columns, rows))
        if near:
            _mend(session, keys.products, run_id, near)
        if connection.dialect.name == "postgresql" and lines >= ANALYSED_FROM:
            # The run's rows are new: without statistics the planner takes the run for a
            # few rows, and the run sums and evidence join them line by line.
            connection.execute(text("ANALYZE line_emission (run_id, spend_line_id)"))
    finally:
        table.drop(connection)
        if held is not None:
            held.drop(connection)


def _hold_lines(
    session: Session,
    authority_id: int,
    in_period: tuple[ColumnElement[bool], ...],
    where: ColumnElement[bool],
    grouped: tuple[Any, ...],
) -> Table:
    """SQLite: the temporary table of the period's lines (``where``) with their decision
    number and the rest of their key (``grouped``), and their amount.

    The period's line ids are taken from the date index first and the lines then read by
    id, in rowid order: read in date order instead, each line was a lookup at a random
    place of the table, and the table of lines (keyed by line) grew at random places too
    (issue 18: 2.9 s → 1.5 s for 333,548 lines whose ids are not in date order). When the
    period has lines enough for the authority's classes (``CLASS_MAP_LINES``), each
    line's decision is looked up in a temporary map of class key to decision number
    instead of in line_class, whose lookup reads its index by (authority, class key) and
    then its wide row (the 333,548 lines against 129,568 classes: 1.1 s of lookups →
    0.07 s to build the map and 0.5 s of lookups)."""
    connection = session.connection()
    sl, lc = SpendLine, LineClass
    ids = select(sl.id).where(*in_period)
    lines = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    classes = session.scalar(select(func.count()).where(lc.authority_id == authority_id)) or 0
    if lines * CLASS_MAP_LINES >= classes:
        classed = Table(
            "inventory_class",
            MetaData(),
            Column("class_key", String(32), primary_key=True),
            Column("decision", Integer),
            prefixes=["TEMPORARY"],
            sqlite_with_rowid=False,
        )
        classed.create(connection)
        connection.execute(
            insert(classed).from_select(
                ["class_key", "decision"],
                select(lc.class_key, lc.decision).where(lc.authority_id == authority_id),
            )
        )
        m = classed.c
        lines_with = select(sl.id, func.coalesce(m.decision, 0), *grouped, sl.amount).outerjoin(
            classed, m.class_key == sl.class_key
        )
    else:
        classed = None
        lines_with = _classed(select(sl.id, func.coalesce(lc.decision, 0), *grouped, sl.amount))
    held = _line_table()
    held.create(connection)
    connection.execute(
        insert(held).from_select(
            [c.name for c in held.columns],
            lines_with.where(sl.id.in_(ids.scalar_subquery()), where),
        )
    )
    if classed is not None:
        classed.drop(connection)
    return held


def _classed(stmt: Select[Any]) -> Select[Any]:
    """``stmt`` over the spend lines with their line_class rows (if any)."""
    sl, lc = SpendLine, LineClass
    return stmt.select_from(sl).outerjoin(
        lc, and_(lc.authority_id == sl.authority_id, lc.class_key == sl.class_key)
    )


def _line(
    line_id: int, year: int, currency: str, naics: str, supplier: int, decision: Decision | None
) -> Line:
    return Line(
        id=line_id, day=dt.date(year, 1, 1), amount=Decimal(0), currency=currency,
        supplier_id=supplier or None, sic=None, naics=naics or None, decision=decision,
    )  # fmt: skip


def _decisions_by_number(
    session: Session, authority_id: int, numbers: Sequence[int]
) -> dict[int, Decision]:
    """The decision numbered each of ``numbers`` in the authority's line_class rows (0: a
    line that was not classified, none). Rows with one number decide alike
    (tracker.services.classification.line_classes.DECIDED), so any one of them tells."""
    out: dict[int, Decision] = {}
    wanted = sorted({n for n in numbers if n})
    lc = LineClass
    for start in range(0, len(wanted), 5000):
        first = (
            select(func.min(lc.class_key))
            .where(lc.authority_id == authority_id, lc.decision.in_(wanted[start : start + 5000]))
            .group_by(lc.decision)
        )
        rows = session.execute(
            select(lc.decision, *CLASS_COLUMNS).where(
                lc.authority_id == authority_id, lc.class_key.in_(first)
            )
        ).all()
        for number, *values in rows:
            out[number] = decision_of(*values)
    return out


def _sqlite_amounts(
    session: Session, products: dict[int, Product], k: Any, amount: Any
) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """SQLite: the SQL of a line's spend_in_factor_year and kgco2e from its ``amount``
    and key."""
    _register(session, products)
    spend = _float(k.f_spend, getattr(func, SPEND_FUNCTION)(amount, k.key_id), amount)
    kg = _float(k.f_kg, getattr(func, KG_FUNCTION)(amount, k.key_id), amount)
    return case((k.costed == 1, spend)), case((k.costed == 1, kg), else_=0)


def _postgres_amounts(k: Any) -> tuple[ColumnElement[Any], ...]:
    """PostgreSQL: a line's spend_in_factor_year and kgco2e from its amount and key, and
    whether Product must cost it again. Whole pence × millionths per penny in floating
    point (exact pence below 10¹⁵, then the argument of ``_float``), rounded to whole
    millionths, where that cannot differ from the exact product's rounding; near a tie or
    for extreme values, the exact numeric product rounded half to even. A line of an
    inexact key (Product rounds its steps to 28 digits) that took the exact branch is
    costed again by Product (``_mend``): only then can the two differ."""
    sl = SpendLine
    pence = cast_(sl.amount * 100, Float)
    extreme = func.abs(sl.amount) >= PENCE_LIMIT / 100

    def amount(per_penny: Any, exact: Any) -> tuple[ColumnElement[Any], ColumnElement[bool]]:
        t = pence * per_penny
        hard = _near_float_tie(t, func.trunc(t)) | (func.abs(t) >= FLOAT_LIMIT) | extreme
        value = case(
            (hard, _half_even(sl.amount * exact) * MILLIONTH),
            else_=cast_(func.round(t), BigInteger) * MILLIONTH,
        )
        return value, hard

    spend, hard_spend = amount(k.f_spend, k.m_spend)
    kg, hard_kg = amount(k.f_kg, k.m_kg)
    again = (k.inexact == 1) & (hard_spend | hard_kg)
    return case((k.costed == 1, spend)), case((k.costed == 1, kg), else_=0), again


def _write_postgres(
    connection: Connection,
    table: Table,
    run_id: int,
    columns: list[str],
    amounts: tuple[ColumnElement[Any], ...],
    lines: Select[Any],
) -> list[tuple[int, Decimal, int]]:
    """PostgreSQL: write the line_emission rows of ``lines`` (joined to their keys) in one
    statement that costs each line once (a materialised CTE) and returns the lines Product
    must cost again: (line id, amount, key id)."""
    sl, k = SpendLine, table.c
    spend, kg, again = amounts
    costed = lines.add_columns(
        sl.id.label("line"), sl.amount.label("amount"), k.key_id.label("key"),
        spend.label("spend"), kg.label("kg"), again.label("again"),
    ).cte("costed").prefix_with("MATERIALIZED")  # fmt: skip
    c = costed.c
    rows = select(literal(run_id), c.line, c.key, c.spend, c.kg).select_from(costed)
    written = insert(line_emission_table).from_select(columns, rows)
    found = connection.execute(
        select(c.line, c.amount, c.key).where(c.again).add_cte(written.cte("written"))
    )
    return [(line, Decimal(amount), key) for line, amount, key in found]


def _near_float_tie(t: ColumnElement[Any], whole: ColumnElement[Any]) -> ColumnElement[bool]:
    """Whether float ``t`` lies within its own rounding error of a tie (``whole``: t
    without its fraction)."""
    return func.abs(func.abs(t - whole) - 0.5) <= func.abs(t) * FLOAT_ERROR


def _float(per_penny: Any, exact: ColumnElement[Any], amount: Any) -> ColumnElement[Any]:
    """SQLite: whole pence × millionths per penny in floating point, rounded to whole
    millionths, when that cannot differ from Product's rounding: the float product is
    within 2.3e-16 of the exact one relatively (two roundings to 53 bits), Product's within
    1.5e-27, so a value farther than 1e-15 of it from a tie and below 2⁵⁰ rounds alike and
    n / 10⁶ is the float SQLAlchemy stores for that Decimal (both correctly rounded). Other
    lines, and every tie, are Product's own (``exact``, a registered function)."""
    t = func.round(amount * 100) * per_penny
    near = _near_float_tie(t, cast_(t, Integer))
    return case((near | (func.abs(t) >= FLOAT_LIMIT), exact), else_=func.round(t) / 1e6)


def _register(session: Session, products: dict[int, Product]) -> None:
    """SQLite: the two products as SQL functions of (amount, key id). The amount arrives
    as the float SQLite stores and is read as SQLAlchemy reads Numeric(18, 2); the result
    is the float SQLAlchemy would store for the Decimal."""

    def maker(step: Callable[[Product, Decimal], Decimal]) -> Callable[[Any, int], float]:
        def run(amount: Any, key_id: int) -> float:
            return float(step(products[key_id], Decimal(f"{amount:.2f}")))

        return run

    raw = cast(Any, session.connection().connection).driver_connection
    raw.create_function(SPEND_FUNCTION, 2, maker(Product.spend), deterministic=True)
    raw.create_function(KG_FUNCTION, 2, maker(Product.kg), deterministic=True)


def _mend(
    session: Session, products: dict[int, Product], run_id: int,
    found: Sequence[tuple[int, Decimal, int]],
) -> None:  # fmt: skip
    """Store Product's amounts for the lines ``found`` (line id, amount, key id)."""
    le = line_emission_table
    session.execute(
        update(le)
        .where(le.c.run_id == run_id, le.c.spend_line_id == bindparam("line"))
        .values(spend_in_factor_year=bindparam("spend"), kgco2e=bindparam("kg")),
        list(_mended(products, found)),
    )


def _mended(
    products: dict[int, Product], found: Sequence[tuple[int, Decimal, int]]
) -> Iterator[dict[str, Any]]:
    for line_id, amount, key_id in found:
        p = products[key_id]
        yield {"line": line_id, "spend": p.spend(amount), "kg": p.kg(amount)}
