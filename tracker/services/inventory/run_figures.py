"""What /compare reads of each run (``tracker.models.RunCompareFigures``): the classified
kgCO2e per category code, the classified spend per classification method and the factor
sets used, summed from the run's ``run_category_total`` rows.

``record_run_figures`` writes them right after the category rows, in the same transaction
(``RunTotals.write`` and ``summarise_stored_lines``), so they can never disagree with the
rows they sum: a run and its summary rows never change once stored, and a recalculation is
a new run. ``run_figures`` reads them back, one row per run; a run without its row (none
is expected: the migration that added the table filled it for every run) is summed from
its category rows the same way.

Sums are exact (Decimal, stored as text) over the values as stored, so a comparison gives
the same figures as one summing the category rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tracker.domain.codes import LineStatus
from tracker.models import RunCategoryTotal, RunCompareFigures
from tracker.queries.sql import among, dec

ZERO = Decimal(0)
UNKNOWN_METHOD = "unknown"

#: One ``run_category_total`` row as summed here: (status, category code, method,
#: factor set id, spend, kgCO2e).
CategoryRow = tuple[str, str | None, str | None, int | None, Decimal, Decimal]


@dataclass(frozen=True)
class RunFigures:
    """One run's figures as compare reads them."""

    category_kg: dict[str, Decimal]  # classified kgCO2e per category code
    method_spend: dict[str, Decimal]  # classified spend per method (UNKNOWN_METHOD: none)
    factor_set_ids: tuple[int, ...]  # factor sets any of its lines used, ascending


def figures_of(rows: Iterable[CategoryRow]) -> RunFigures:
    """Sum one run's category rows: classified (mapped) rows with a category count towards
    ``category_kg``, every mapped row towards ``method_spend``, and a row of any status
    with a factor set names it."""
    kg: dict[str, Decimal] = {}
    spend: dict[str, Decimal] = {}
    sets: set[int] = set()
    for status, code, method, factor_set_id, amount, kgco2e in rows:
        if factor_set_id is not None:
            sets.add(factor_set_id)
        if status != LineStatus.MAPPED:
            continue
        key = method or UNKNOWN_METHOD
        spend[key] = spend.get(key, ZERO) + amount
        if code is not None:
            kg[code] = kg.get(code, ZERO) + kgco2e
    return RunFigures(category_kg=kg, method_spend=spend, factor_set_ids=tuple(sorted(sets)))


def record_run_figures(session: Session, run_ids: Sequence[int]) -> None:
    """(Re)write the figures of runs ``run_ids`` from their stored category rows (call it
    once those are written, in the same transaction)."""
    if not run_ids:
        return
    session.execute(delete(RunCompareFigures).where(RunCompareFigures.run_id.in_(list(run_ids))))
    rows = _category_rows(session, run_ids)
    session.execute(
        insert(RunCompareFigures),
        [_stored(run_id, figures_of(rows.get(run_id, []))) for run_id in run_ids],
    )


@dataclass(frozen=True)
class StoredFigures:
    """One run's stored figures as stored: amounts as their exact decimal text, for a
    reader that sums them itself (``Decimal(text)`` is the stored amount exactly)."""

    category_kg: dict[str, str]
    method_spend: dict[str, str]
    factor_set_ids: tuple[int, ...]


def stored_figures(session: Session, run_ids: Sequence[int]) -> dict[int, StoredFigures]:
    """The stored figures of those of ``run_ids`` that have their row, by run id."""
    if not run_ids:
        return {}
    f = RunCompareFigures
    return {
        run_id: StoredFigures(category_kg, method_spend, tuple(factor_set_ids))
        for run_id, category_kg, method_spend, factor_set_ids in session.execute(
            select(f.run_id, f.category_kg, f.method_spend, f.factor_set_ids).where(
                among(f.run_id, run_ids)
            )
        )
    }


def run_figures(session: Session, run_ids: Sequence[int]) -> dict[int, RunFigures]:
    """The figures of each of ``run_ids``, by run id: stored ones, else summed from the
    run's category rows."""
    if not run_ids:
        return {}
    out = {
        run_id: RunFigures(
            category_kg={code: Decimal(kg) for code, kg in f.category_kg.items()},
            method_spend={method: Decimal(s) for method, s in f.method_spend.items()},
            factor_set_ids=f.factor_set_ids,
        )
        for run_id, f in stored_figures(session, run_ids).items()
    }
    missing = [run_id for run_id in run_ids if run_id not in out]
    if missing:
        rows = _category_rows(session, missing)
        out |= {run_id: figures_of(rows.get(run_id, [])) for run_id in missing}
    return out


def _category_rows(session: Session, run_ids: Sequence[int]) -> dict[int, list[CategoryRow]]:
    t = RunCategoryTotal
    out: dict[int, list[CategoryRow]] = {}
    for run_id, status, code, method, factor_set_id, spend, kg in session.execute(
        select(t.run_id, t.status, t.category_code, t.method, t.factor_set_id, t.spend, t.kgco2e)
        .where(among(t.run_id, run_ids))
        .order_by(t.run_id, t.id)
    ):
        out.setdefault(run_id, []).append(
            (status, code, method, factor_set_id, dec(spend), dec(kg))
        )
    return out


def _stored(run_id: int, figures: RunFigures) -> dict[str, object]:
    return {
        "run_id": run_id,
        "category_kg": {code: str(kg) for code, kg in figures.category_kg.items()},
        "method_spend": {method: str(s) for method, s in figures.method_spend.items()},
        "factor_set_ids": list(figures.factor_set_ids),
    }
