"""A run's figures and summary rows summed in the database from its stored lines, exactly:
amounts as whole pence and kgCO2e as whole millionths (integers on both databases, since
SQLite keeps Numeric as floating point), Σ kg² from three 18-bit parts of each line's
millionths so that no SQLite integer overflows. One GROUP BY over the run's lines
(``line_groups``, which the run's evidence is learned from too); the run's totals, data
quality and 95 % range, and its category, supplier, department and quality rows are
rolled up from its groups in Python (the same sums as ``tallies.RunTally`` adds line by
line)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from operator import add
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, case, cast, func, select
from sqlalchemy.orm import Session

from tracker.domain.calculate import category_totals
from tracker.domain.codes import LineStatus, Method
from tracker.domain.quality import DataQuality
from tracker.domain.uncertainty import grouped_sigma
from tracker.models import InventoryRun, LineEmissionKey, SpendLine, Supplier
from tracker.models.emissions import line_emission_table
from tracker.services.inventory.calculator import KG_PLACES
from tracker.services.inventory.tallies import quality_summary
from tracker.services.inventory.totals import RunTotals

PART = 18  # bits: a line's |millionths| below 2⁵⁴ (18 billion kg) splits in three parts
MASK = (1 << PART) - 1


def _whole(value: Any, scale: int) -> ColumnElement[int]:
    return cast(func.round(value * 10**scale), BigInteger)


def _parts(x: ColumnElement[int]) -> tuple[ColumnElement[Any], ...]:
    """Σ of the products of x's parts a, b, c (x = a·2³⁶ + b·2¹⁸ + c), each below 2³⁶."""
    a = x.op(">>")(2 * PART)
    b = x.op(">>")(PART).op("&")(MASK)
    c = x.op("&")(MASK)
    return tuple(func.sum(p * q) for p, q in ((a, a), (a, b), (a, c), (b, b), (b, c), (c, c)))


def _square_sum(aa: int, ab: int, ac: int, bb: int, bc: int, cc: int) -> int:
    return (
        (aa << 4 * PART) + (2 * ab << 3 * PART) + ((2 * ac + bb) << 2 * PART)
        + (2 * bc << PART) + cc
    )  # fmt: skip


def _decimal(whole: int | None, scale: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        return Decimal(whole or 0).scaleb(-scale)


class _Sums:
    """count, Σ pence, Σ |pence|, Σ millionths, Σ millionths²."""

    def __init__(self) -> None:
        self.values = [0, 0, 0, 0, 0]

    def add(self, *values: int) -> None:
        for i, v in enumerate(values):
            self.values[i] += v


def _rolled(groups: dict[tuple[Any, ...], _Sums], key: tuple[Any, ...]) -> _Sums:
    found = groups.get(key)
    if found is None:
        found = groups[key] = _Sums()
    return found


# What the GROUP BY of ``line_groups`` groups by, in order: the line's key, supplier (id,
# or name when it has none), department, supplier name key, expense type and description.
GROUPED = ("key_id", "supplier_id", "supplier_name", "department", "name_key",
           "expense_type", "description")  # fmt: skip
SUMMED = len(GROUPED)  # where the sums start: lines, Σ pence, Σ |pence|, Σ millionths, parts


@dataclass(frozen=True)
class LineGroups:
    """A run's lines read once (``line_groups``), kept in the two forms their readers sum:

    - ``sums``: by (key, supplier id, supplier name, department), the lines, Σ pence,
      Σ |pence|, Σ millionths and the six sums of Σ millionths²'s parts (``sum_run``);
    - ``evidence``: per group, (supplier name key, expense type, description, key, lines,
      Σ |pence|) (the run's evidence: evidence.decided_spend). Groups of the same four
      texts and key may repeat (they are also split by supplier and department); their
      sums add up exactly.

    Compact tuples of ints and shared texts, not the driver's rows: a run whose lines all
    have their own description has about as many groups as lines."""

    sums: dict[tuple[Any, ...], tuple[int, ...]]
    evidence: list[tuple[Any, ...]]


def line_groups(session: Session, run_id: int) -> LineGroups:
    """One GROUP BY of the run's lines by ``GROUPED``, with the sums ``sum_run`` adds up,
    streamed from the cursor into the two forms of ``LineGroups``, so that the run's lines
    are joined to spend_line and sorted once for both its sums and its evidence."""
    le, sl = line_emission_table.c, SpendLine
    pence = _whole(sl.amount, 2)
    micro = _whole(le.kgco2e, 6)
    department = func.nullif(func.trim(sl.cost_centre), "")
    keys = (
        le.key_id, sl.supplier_id, case((sl.supplier_id.is_(None), sl.supplier_name)),
        department, Supplier.name_key, sl.expense_type, sl.description,
    )  # fmt: skip
    stmt = (
        select(
            *keys,
            func.count(),
            func.sum(pence),
            func.sum(func.abs(pence)),
            func.sum(micro),
            *_parts(func.abs(micro)),
        )
        .select_from(line_emission_table)
        .join(sl, sl.id == le.spend_line_id)
        .outerjoin(Supplier, Supplier.id == sl.supplier_id)
        .where(le.run_id == run_id)
        .group_by(*keys)
    )
    sums: dict[tuple[Any, ...], tuple[int, ...]] = {}
    evidence: list[tuple[Any, ...]] = []
    texts: dict[Any, Any] = {}  # one copy of each repeated name key and expense type
    # Core rows straight from the cursor, one at a time. The sums are never NULL (a group
    # has lines, and amount and kgco2e are NOT NULL); PostgreSQL gives Σ of bigints as
    # numeric, made int here.
    for row in session.connection().execute(stmt):
        key_id, supplier, name, dept, name_key, expense, description = row[:SUMMED]
        values = tuple(map(int, row[SUMMED:]))
        found = sums.get(by := (key_id, supplier, name, dept))
        sums[by] = values if found is None else tuple(map(add, found, values))
        name_key = texts.setdefault(name_key, name_key)
        expense = texts.setdefault(expense, expense)
        evidence.append((name_key, expense, description, key_id, values[0], values[2]))
    return LineGroups(sums, evidence)


def sum_run(session: Session, run: InventoryRun, groups: LineGroups | None = None) -> None:
    """Set ``run``'s figures and write its summary rows from its stored line emissions,
    rolled up from ``line_groups`` (read unless given), each key's fields read once from
    its line_emission_key row."""
    summed = (line_groups(session, run.id) if groups is None else groups).sums
    k = LineEmissionKey
    fields = {
        key_id: tuple(rest)
        for key_id, *rest in session.execute(
            select(
                k.key_id, k.status, k.category_code, k.scope3_category, k.method, k.factor_id,
                k.factor_set_id, k.factor_year, k.supplier_factor_id.is_not(None), k.dq,
            ).where(k.run_id == run.id)
        )
    }  # fmt: skip
    categories: dict[tuple[Any, ...], _Sums] = {}
    suppliers: dict[tuple[Any, ...], _Sums] = {}
    departments: dict[tuple[Any, ...], _Sums] = {}
    quality: dict[tuple[Any, ...], _Sums] = {}
    for (key_id, supplier, name, dept), (n, p, ap, kg, *parts) in summed.items():
        status, code, scope3, method, fid, fsid, fyear, own, dq = fields[key_id]
        sums = (n, p, ap, kg, _square_sum(*parts))
        category = (status, code, scope3, method, fid, fsid, fyear, bool(own))
        _rolled(categories, category).add(*sums)
        _rolled(suppliers, (supplier, name, status)).add(*sums)
        _rolled(departments, (dept, status)).add(*sums)
        if status == LineStatus.MAPPED:
            _rolled(quality, (code, dq)).add(*sums)
    totals = RunTotals.of(
        categories=_three(categories),
        suppliers=_three(suppliers),
        departments=_three(departments),
        quality={
            key: [n, _decimal(p, 2), _decimal(ap, 2), _decimal(k, 6), _decimal(k2, 12)]
            for key, (n, p, ap, k, k2) in ((key, s.values) for key, s in quality.items())
        },
    )
    totals.write(session, run.id)
    _figures(run, categories, quality)


def _three(groups: dict[tuple[Any, ...], _Sums]) -> dict[tuple[Any, ...], list[Any]]:
    return {
        key: [s.values[0], _decimal(s.values[1], 2), _decimal(s.values[3], 6)]
        for key, s in groups.items()
    }


def _figures(
    run: InventoryRun,
    categories: dict[tuple[Any, ...], _Sums],
    quality: dict[tuple[Any, ...], _Sums],
) -> None:
    by_status: dict[tuple[Any, ...], _Sums] = {}
    per_code: dict[tuple[Any, ...], _Sums] = {}
    supplier_kg = 0
    for (status, code, _, method, *_), sums in categories.items():
        _rolled(by_status, (status,)).add(*sums.values)
        if status == LineStatus.MAPPED:
            _rolled(per_code, (code,)).add(*sums.values)
            if method == Method.SUPPLIER:
                supplier_kg += sums.values[3]
    run.line_count = sum(s.values[0] for s in by_status.values())
    run.total_spend = _decimal(sum(s.values[1] for s in by_status.values()), 2)
    run.mapped_spend = _decimal(_rolled(by_status, (LineStatus.MAPPED,)).values[1], 2)
    run.excluded_spend = _decimal(_rolled(by_status, (LineStatus.EXCLUDED,)).values[1], 2)
    weights: dict[str, int] = {}
    squares: dict[str, int] = {}
    for (_, dq), sums in quality.items():
        weights[dq] = weights.get(dq, 0) + sums.values[2]
        squares[dq] = squares.get(dq, 0) + sums.values[4]
    scores = {dq: DataQuality.from_digits(dq) for dq in weights}
    sigma = grouped_sigma((_decimal(k2, 12), scores[dq]) for dq, k2 in squares.items())
    run.sigma_kgco2e = sigma.quantize(KG_PLACES)
    mapped_kg = sum(s.values[3] for s in per_code.values())
    run.data_quality = quality_summary(
        ((scores[dq], _decimal(w, 2)) for dq, w in weights.items()),
        _decimal(supplier_kg, 6),
        _decimal(mapped_kg, 6),
    )
    per = [(code, _decimal(s.values[1], 2), _decimal(s.values[3], 6))
           for (code,), s in per_code.items()]  # fmt: skip
    kg = sum((c.kgco2e for c in category_totals(per)), Decimal(0))
    run.total_kgco2e = kg.quantize(KG_PLACES)
