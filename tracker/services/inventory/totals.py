"""The per-run summary rows (``run_category_total``, ``run_supplier_total``,
``run_department_total``, ``run_quality_total``): tallied from each line's calculated row
while a run is computed (``RunTotals``), or summed in the database from lines already
stored (``summarise_stored_lines``). Either way the run's compare figures
(``run_compare_figures``, ``tracker.services.inventory.run_figures``) are then summed from
its category rows in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.orm import Session

from tracker.domain.codes import LineStatus
from tracker.models import (
    LineEmission,
    RunCategoryTotal,
    RunDepartmentTotal,
    RunQualityTotal,
    RunSupplierTotal,
    SpendLine,
)
from tracker.services.inventory.collaboration_figures import record_collaboration_figures
from tracker.services.inventory.run_figures import record_run_figures

CATEGORY_KEY = (
    "status",
    "category_code",
    "scope3_category",
    "method",
    "factor_id",
    "factor_set_id",
    "factor_year",
    "supplier_specific",
)
SUPPLIER_KEY = ("supplier_id", "supplier_name", "status")
DEPARTMENT_KEY = ("department", "status")
QUALITY_KEY = ("category_code", "dq")


def department(cost_centre: str | None) -> str | None:
    """A line's department: its cost centre without surrounding spaces (as SQL's TRIM),
    or None when blank."""
    return (cost_centre or "").strip(" ") or None


class RunTotals:
    """Running sums of one run's lines per category key and per supplier key."""

    def __init__(self) -> None:
        self._categories: dict[tuple[Any, ...], list[Any]] = {}
        self._suppliers: dict[tuple[Any, ...], list[Any]] = {}
        self._departments: dict[tuple[Any, ...], list[Any]] = {}
        self._quality: dict[tuple[Any, ...], list[Any]] = {}

    @classmethod
    def of(
        cls,
        *,
        categories: dict[tuple[Any, ...], list[Any]],
        suppliers: dict[tuple[Any, ...], list[Any]],
        departments: dict[tuple[Any, ...], list[Any]],
        quality: dict[tuple[Any, ...], list[Any]],
    ) -> RunTotals:
        """Totals already summed: [lines, spend, kgco2e] per category, supplier and
        department key, [lines, spend, |spend|, kgco2e, kgco2e²] per quality key."""
        totals = cls()
        totals._categories, totals._suppliers = categories, suppliers
        totals._departments, totals._quality = departments, quality
        return totals

    def add(
        self,
        row: dict[str, Any],
        amount: Decimal,
        supplier_id: int | None,
        supplier: str | None,
        cost_centre: str | None = None,
    ) -> None:
        """Count one line: ``row`` is its line_emission row, ``amount`` its spend."""
        kg = row.get("kgco2e") or Decimal(0)
        _tally(self._departments, (department(cost_centre), row["status"]), amount, kg)
        if row["status"] == LineStatus.MAPPED:
            entry = self._quality.setdefault((row.get("category_code"), row.get("dq")), [0] * 5)
            entry[0] += 1
            entry[1] += amount
            entry[2] += abs(amount)
            entry[3] += kg
            entry[4] += kg * kg
        category = (
            row["status"],
            row.get("category_code"),
            row.get("scope3_category"),
            row.get("method"),
            row.get("factor_id"),
            row.get("factor_set_id"),
            row.get("factor_year"),
            row.get("supplier_factor_id") is not None,
        )
        _tally(self._categories, category, amount, kg)
        name = supplier if supplier_id is None else None
        _tally(self._suppliers, (supplier_id, name, row["status"]), amount, kg)

    def category_rows(self, run_id: int) -> list[dict[str, Any]]:
        return _rows(run_id, CATEGORY_KEY, self._categories)

    def supplier_rows(self, run_id: int) -> list[dict[str, Any]]:
        return _rows(run_id, SUPPLIER_KEY, self._suppliers)

    def department_rows(self, run_id: int) -> list[dict[str, Any]]:
        return _rows(run_id, DEPARTMENT_KEY, self._departments)

    def quality_rows(self, run_id: int) -> list[dict[str, Any]]:
        return [
            {"run_id": run_id, "category_code": code, "dq": dq}
            | {"lines": n, "spend": s, "abs_spend": a, "kgco2e": k, "kg2": k2}
            for (code, dq), (n, s, a, k, k2) in self._quality.items()
        ]

    def write(self, session: Session, run_id: int) -> None:
        """Insert the run's summary rows, and its compare and collaboration figures summed
        from them."""
        for model, rows in (
            (RunCategoryTotal, self.category_rows(run_id)),
            (RunSupplierTotal, self.supplier_rows(run_id)),
            (RunDepartmentTotal, self.department_rows(run_id)),
            (RunQualityTotal, self.quality_rows(run_id)),
        ):
            if rows:
                session.execute(insert(model), rows)
        record_run_figures(session, [run_id])
        record_collaboration_figures(session, [run_id])


def _tally(
    sums: dict[tuple[Any, ...], list[Any]], key: tuple[Any, ...], amount: Decimal, kg: Decimal
) -> None:
    entry = sums.get(key)
    if entry is None:
        sums[key] = [1, amount, kg]
    else:
        entry[0] += 1
        entry[1] += amount
        entry[2] += kg


def _rows(
    run_id: int, names: tuple[str, ...], sums: dict[tuple[Any, ...], list[Any]]
) -> list[dict[str, Any]]:
    return [
        {"run_id": run_id, **dict(zip(names, key, strict=True))}
        | {"lines": n, "spend": s, "kgco2e": k}
        for key, (n, s, k) in sums.items()
    ]


def summarise_stored_lines(
    session: Session, run_ids: Sequence[int], *, figures: bool = True
) -> None:
    """(Re)build the summary rows of runs from their stored line emissions (GROUP BY in
    the database), for lines written or changed other than by ``compute_inventory``, and
    with ``figures`` their compare and collaboration figures (False only for a database
    migrated to a revision before ``run_compare_figures`` or
    ``run_collaboration_figures``)."""
    if not run_ids:
        return
    for table in (RunCategoryTotal, RunSupplierTotal, RunDepartmentTotal, RunQualityTotal):
        session.execute(delete(table).where(table.run_id.in_(list(run_ids))))
    le, sl = LineEmission, SpendLine
    supplier_specific = le.supplier_factor_id.is_not(None)
    category_key = (
        le.run_id,
        le.status,
        le.category_code,
        le.scope3_category,
        le.method,
        le.factor_id,
        le.factor_set_id,
        le.factor_year,
        supplier_specific,
    )
    raw_name = case((sl.supplier_id.is_(None), sl.supplier_name))
    supplier_key = (le.run_id, sl.supplier_id, raw_name, le.status)
    sums = (func.count(), func.sum(sl.amount), func.sum(le.kgco2e))
    for table, names, key in (
        (RunCategoryTotal, ("run_id", *CATEGORY_KEY), category_key),
        (RunSupplierTotal, ("run_id", *SUPPLIER_KEY), supplier_key),
    ):
        lines = (
            select(*key, *sums)
            .join(sl, sl.id == le.spend_line_id)
            .where(le.run_id.in_(list(run_ids)))
            .group_by(*key)
        )
        columns = [*names, "lines", "spend", "kgco2e"]
        session.execute(insert(table).from_select(columns, lines))
    dept = func.nullif(func.trim(sl.cost_centre), "")
    by_department = (
        select(le.run_id, dept, le.status, *sums)
        .join(sl, sl.id == le.spend_line_id)
        .where(le.run_id.in_(list(run_ids)))
        .group_by(le.run_id, dept, le.status)
    )
    session.execute(
        insert(RunDepartmentTotal).from_select(
            ["run_id", *DEPARTMENT_KEY, "lines", "spend", "kgco2e"], by_department
        )
    )
    by_quality = (
        select(
            le.run_id,
            le.category_code,
            le.dq,
            func.count(),
            func.sum(sl.amount),
            func.sum(func.abs(sl.amount)),
            func.sum(le.kgco2e),
            func.sum(le.kgco2e * le.kgco2e),
        )
        .join(sl, sl.id == le.spend_line_id)
        .where(le.run_id.in_(list(run_ids)), le.status == LineStatus.MAPPED)
        .group_by(le.run_id, le.category_code, le.dq)
    )
    columns = ["run_id", *QUALITY_KEY, "lines", "spend", "abs_spend", "kgco2e", "kg2"]
    session.execute(insert(RunQualityTotal).from_select(columns, by_quality))
    if figures:
        record_run_figures(session, run_ids)
        record_collaboration_figures(session, run_ids)
