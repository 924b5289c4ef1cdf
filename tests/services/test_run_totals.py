"""The per-run summary rows equal the line-level sums they replace (both databases).

One run, computed by the real pipeline from a small file: a SIC-classified purchase and
its credit note, a line classified from its expense type, an excluded grant and an
unclassified line. Hand-worked: in-scope mapped spend 1,000 − 100 + 500 = 1,400 over three
lines, excluded 250 (one line), unmapped 400 (one line); Road Co's net kgCO2e is
900 × 0.26547 (Defra SIC 42110 → 42.1-2, 2023) = 238.923.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import (
    LineEmission,
    RunCategoryTotal,
    RunDepartmentTotal,
    RunQualityTotal,
    RunSupplierTotal,
    SpendLine,
    Supplier,
)
from tracker.queries import breakdowns
from tracker.queries.breakdowns import (
    NO_DEPARTMENT,
    department_breakdown,
    scope3_breakdown,
    supplier_breakdown,
)
from tracker.services.authorities import add_authority
from tracker.services.imports import import_spend_file
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.inventory.totals import summarise_stored_lines
from tracker.services.reference import load_shipped_reference_data

SPEND = (
    "Date,Supplier,Amount,SIC,Expense Type,Cost Centre\n"
    "15/05/2023,Road Co,1000.00,42110,Road works,Highways\n"
    "16/05/2023,Road Co,-100.00,42110,Road works, Highways \n"
    "17/05/2023,Ashcombe Solicitors,500.00,,Legal fees,Legal\n"
    "18/05/2023,Hope Trust,250.00,,Grant to voluntary body,\n"
    "19/05/2023,Zed Markings,400.00,,Zebra crossings paint,Highways\n"
)


def _rows(session: Session, stmt: Any) -> set[tuple[Any, ...]]:
    """Result rows with every number made a Decimal (SQLite sums come back as floats)."""
    return {tuple(_num(v) for v in r) for r in session.execute(stmt)}


def _category_rows(session: Session, run_id: int) -> set[tuple[Any, ...]]:
    t = RunCategoryTotal
    return _rows(
        session,
        select(
            t.status, t.category_code, t.method, t.factor_id, t.factor_year,
            t.supplier_specific, t.lines, t.spend, t.kgco2e,
        ).where(t.run_id == run_id),
    )  # fmt: skip


def _supplier_rows(session: Session, run_id: int) -> set[tuple[Any, ...]]:
    t = RunSupplierTotal
    return _rows(
        session,
        select(t.supplier_id, t.supplier_name, t.status, t.lines, t.spend, t.kgco2e).where(
            t.run_id == run_id
        ),
    )


def _department_and_quality_rows(session: Session, run_id: int) -> set[tuple[Any, ...]]:
    """kg² to 1e-6: SQLite multiplies in binary floating point when summing stored lines."""
    d, q = RunDepartmentTotal, RunQualityTotal
    quality = _rows(
        session,
        select(q.category_code, q.dq, q.lines, q.spend, q.abs_spend, q.kgco2e, q.kg2).where(
            q.run_id == run_id
        ),
    )
    return _rows(
        session,
        select(d.department, d.status, d.lines, d.spend, d.kgco2e).where(d.run_id == run_id),
    ) | {(*r[:-1], r[-1].quantize(Decimal("1e-6"))) for r in quality}


def test_summaries_equal_line_sums(session: Session, tmp_path: Path) -> None:
    load_shipped_reference_data(session)
    code = "S" + uuid.uuid4().hex[:6].upper()
    authority = add_authority(session, code=code, name="Summaries", fy_start_month=1)
    path = tmp_path / "spend.csv"
    path.write_text(SPEND.replace("Road Co", f"Road Co {code}"), encoding="utf-8")
    import_spend_file(session, authority=authority, path=path, data_dir=tmp_path)
    run = ensure_inventory(session, authority=authority, year=2023)

    # Per status, hand-worked (see the module docstring).
    by_status = {
        s: (n, Decimal(str(v)))
        for s, n, v in session.execute(
            select(RunCategoryTotal.status, func.sum(RunCategoryTotal.lines), func.sum(
                RunCategoryTotal.spend
            ))
            .where(RunCategoryTotal.run_id == run.id)
            .group_by(RunCategoryTotal.status)
        )
    }  # fmt: skip
    assert by_status == {
        "mapped": (3, Decimal("1400")),
        "excluded": (1, Decimal("250")),
        "unmapped": (1, Decimal("400")),
    }
    road = session.execute(
        select(RunSupplierTotal.lines, RunSupplierTotal.spend, RunSupplierTotal.kgco2e)
        .join(Supplier, Supplier.id == RunSupplierTotal.supplier_id)
        .where(RunSupplierTotal.run_id == run.id, Supplier.name == f"Road Co {code}")
    ).one()
    assert (road[0], Decimal(str(road[1])), Decimal(str(road[2]))) == (
        2,
        Decimal("900"),
        Decimal("238.923"),
    )

    # The rows written while computing equal the line emissions summed in the database.
    def summary_rows() -> tuple[set[tuple[Any, ...]], ...]:
        return (
            _category_rows(session, run.id),
            _supplier_rows(session, run.id),
            _department_and_quality_rows(session, run.id),
        )

    written = summary_rows()
    assert written[2], "department and quality rows are written with the run"
    summarise_stored_lines(session, [run.id])
    assert summary_rows() == written

    # And the queries read from them give the line-level GROUP BY results.
    le, sl = LineEmission, SpendLine
    line_coverage = _rows(
        session,
        select(le.status, le.method, func.sum(sl.amount), func.count(), func.sum(le.kgco2e))
        .join(sl, sl.id == le.spend_line_id)
        .where(le.run_id == run.id)
        .group_by(le.status, le.method),
    )
    coverage = {
        (r.status, r.method, _num(r.spend), _num(r.lines), _num(r.kgco2e))
        for r in breakdowns.coverage(session, run_id=run.id, authority_id=authority.id)
    }
    assert coverage == {(s, m if s != "unmapped" else None, *rest) for s, m, *rest in line_coverage}
    scope3 = scope3_breakdown(session, run_id=run.id, authority_id=authority.id)
    assert [(r.category, _num(r.spend)) for r in scope3] == [(1, Decimal("1400"))]
    line_kg = session.scalar(
        select(func.sum(le.kgco2e)).where(le.run_id == run.id, le.status == "mapped")
    )
    assert _num(scope3[0].kgco2e) == _num(line_kg)
    line_suppliers = _rows(
        session,
        select(
            func.coalesce(Supplier.name, sl.supplier_name), func.sum(sl.amount), func.sum(le.kgco2e)
        )
        .join(sl, sl.id == le.spend_line_id)
        .outerjoin(Supplier, Supplier.id == sl.supplier_id)
        .where(le.run_id == run.id)
        .group_by(sl.supplier_id, func.coalesce(Supplier.name, sl.supplier_name)),
    )
    suppliers = supplier_breakdown(session, run_id=run.id, authority_id=authority.id, limit=None)
    assert {(r.supplier, _num(r.spend), _num(r.kgco2e)) for r in suppliers} == line_suppliers
    # Departments, by hand: Highways 1,000 − 100 + 400 (unclassified) = 1,300 over three
    # lines and Road Co's 238.923 kg; " Highways " is Highways; the grant has no cost centre.
    departments = department_breakdown(session, run_id=run.id, authority_id=authority.id)
    highways, *_ = departments
    assert (highways.department, highways.lines, _num(highways.spend)) == (
        "Highways", 3, Decimal("1300"),
    )  # fmt: skip
    assert _num(highways.kgco2e) == Decimal("238.923")
    none = next(r for r in departments if r.department == NO_DEPARTMENT)
    assert (_num(none.spend), _num(none.excluded_spend), _num(none.kgco2e)) == (
        Decimal("250"), Decimal("250"), 0,
    )  # fmt: skip
    assert {r.department for r in departments} == {"Highways", "Legal", NO_DEPARTMENT}


def _num(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return Decimal(str(value)).normalize()
