"""What /collaboration reads of each run (``tracker.models.RunCollaborationFigures``): the
run's in-scope spend and kgCO2e per supplier record (for the suppliers bought from: positive
in-scope spend) and its classified spend and kgCO2e per category code, summed from the
run's ``run_supplier_total`` and ``run_category_total`` rows.

``record_collaboration_figures`` writes them right after the summary rows, in the same
transaction (``RunTotals.write`` and ``summarise_stored_lines``), so they can never disagree
with the rows they sum: a run and its summary rows never change once stored, and a
recalculation is a new run. ``collaboration_figures`` reads them back, one row per run; a
run without its row (none is expected: the migration that added the table filled it for
every run) is summed from its summary rows the same way.

Amounts are whole numbers of the summary columns' smallest units: hundredths of the
currency for spend (``run_*_total.spend`` is NUMERIC(18, 2)) and millionths of a kg for
kgCO2e (NUMERIC(24, 6)), in parallel lists. Sums of them are exact, and a page adding up
400 runs' worth adds integers instead of making and adding 80,000 Decimals;
``as_spend`` and ``as_kg`` turn a sum back into the Decimal the SQL sum gave.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tracker.domain.codes import LineStatus
from tracker.models import RunCategoryTotal, RunCollaborationFigures, RunSupplierTotal
from tracker.queries.sql import among, dec

K = TypeVar("K")
SPEND_PLACES = 2  # run_supplier_total.spend, run_category_total.spend: NUMERIC(18, 2)
KG_PLACES = 6  # their kgco2e: NUMERIC(24, 6)

#: One ``run_supplier_total`` row as summed here: (status, supplier id, spend, kgCO2e).
SupplierRow = tuple[str, int | None, Decimal, Decimal]
#: One ``run_category_total`` row as summed here: (status, category code, spend, kgCO2e).
CategoryRow = tuple[str, str | None, Decimal, Decimal]


@dataclass(frozen=True)
class Amounts:
    """Keys with their spend (hundredths) and kgCO2e (millionths of a kg), in parallel."""

    keys: list[Any]
    spend: list[int]
    kg: list[int]


@dataclass(frozen=True)
class CollaborationFigures:
    """One run's figures as collaboration reads them."""

    suppliers: Amounts  # supplier ids with their in-scope amounts; spend > 0
    categories: Amounts  # category codes with their classified amounts


def units(value: Decimal, places: int) -> int:
    """``value`` in units of 10^-places, refusing one that has finer digits (a sum of them
    would no longer be the database's sum)."""
    scaled = value.scaleb(places)
    whole = int(scaled)
    if whole != scaled:
        raise ValueError(f"{value} has more than {places} decimal places")
    return whole


def as_spend(total: int) -> Decimal:
    return Decimal(total).scaleb(-SPEND_PLACES)


def as_kg(total: int) -> Decimal:
    return Decimal(total).scaleb(-KG_PLACES)


def _sums(rows: Iterable[tuple[K, Decimal, Decimal]]) -> dict[K, list[int]]:
    out: dict[K, list[int]] = {}
    for key, spend, kg in rows:
        s, k = units(spend, SPEND_PLACES), units(kg, KG_PLACES)
        entry = out.get(key)
        if entry is None:
            out[key] = [s, k]
        else:
            entry[0] += s
            entry[1] += k
    return out


def _amounts(sums: dict[Any, list[int]]) -> Amounts:
    keys = sorted(sums)
    return Amounts(keys, [sums[k][0] for k in keys], [sums[k][1] for k in keys])


def figures_of(
    supplier_rows: Iterable[SupplierRow], category_rows: Iterable[CategoryRow]
) -> CollaborationFigures:
    """Sum one run's summary rows: rows with a supplier record and not excluded towards
    that supplier (kept when the sum of their spend is positive: a supplier the run bought
    from), classified (mapped) rows with a category towards that category."""
    suppliers = _sums(
        (sid, spend, kg)
        for status, sid, spend, kg in supplier_rows
        if sid is not None and status != LineStatus.EXCLUDED
    )
    categories = _sums(
        (code, spend, kg)
        for status, code, spend, kg in category_rows
        if code is not None and status == LineStatus.MAPPED
    )
    return CollaborationFigures(
        suppliers=_amounts({sid: sums for sid, sums in suppliers.items() if sums[0] > 0}),
        categories=_amounts(categories),
    )


def record_collaboration_figures(session: Session, run_ids: Sequence[int]) -> None:
    """(Re)write the figures of runs ``run_ids`` from their stored summary rows (call it
    once those are written, in the same transaction)."""
    if not run_ids:
        return
    f = RunCollaborationFigures
    session.execute(delete(f).where(f.run_id.in_(list(run_ids))))
    summed = _summed(session, run_ids)
    session.execute(insert(f), [_stored(run_id, summed[run_id]) for run_id in run_ids])


def collaboration_figures(
    session: Session, run_ids: Sequence[int]
) -> dict[int, CollaborationFigures]:
    """The figures of each of ``run_ids``, by run id: stored ones, else summed from the
    run's summary rows."""
    if not run_ids:
        return {}
    f = RunCollaborationFigures
    out = {
        run_id: CollaborationFigures(
            suppliers=Amounts(suppliers["ids"], suppliers["spend"], suppliers["kg"]),
            categories=Amounts(categories["codes"], categories["spend"], categories["kg"]),
        )
        for run_id, suppliers, categories in session.execute(
            select(f.run_id, f.suppliers, f.categories).where(among(f.run_id, run_ids))
        )
    }
    missing = [run_id for run_id in run_ids if run_id not in out]
    return out | _summed(session, missing) if missing else out


def _summed(session: Session, run_ids: Sequence[int]) -> dict[int, CollaborationFigures]:
    """The figures of ``run_ids`` summed from their summary rows."""
    if not run_ids:
        return {}
    suppliers: dict[int, list[SupplierRow]] = {run_id: [] for run_id in run_ids}
    categories: dict[int, list[CategoryRow]] = {run_id: [] for run_id in run_ids}
    s, c = RunSupplierTotal, RunCategoryTotal
    for run_id, status, sid, spend, kg in session.execute(
        select(s.run_id, s.status, s.supplier_id, s.spend, s.kgco2e)
        .where(among(s.run_id, run_ids), s.supplier_id.is_not(None))
        .order_by(s.run_id, s.id)
    ):
        suppliers[run_id].append((status, sid, dec(spend), dec(kg)))
    for run_id, status, code, spend, kg in session.execute(
        select(c.run_id, c.status, c.category_code, c.spend, c.kgco2e)
        .where(among(c.run_id, run_ids), c.status == LineStatus.MAPPED)
        .order_by(c.run_id, c.id)
    ):
        categories[run_id].append((status, code, dec(spend), dec(kg)))
    return {run_id: figures_of(suppliers[run_id], categories[run_id]) for run_id in run_ids}


def _stored(run_id: int, figures: CollaborationFigures) -> dict[str, object]:
    s, c = figures.suppliers, figures.categories
    return {
        "run_id": run_id,
        "suppliers": {"ids": s.keys, "spend": s.spend, "kg": s.kg},
        "categories": {"codes": c.keys, "spend": c.spend, "kg": c.kg},
    }
