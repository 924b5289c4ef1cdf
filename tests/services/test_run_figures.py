"""Each run's compare figures (run_compare_figures, tracker.services.inventory.run_figures):
written with the run's summary rows in the same transaction, on both computing paths, and
equal to sums worked out by hand from the lines (both databases).

The file: Road Co buys road works (SIC 42110) for 1,000.00 and gets a 100.00 credit note,
a grant of 250.00 is excluded and Zed Markings' 400.00 is unclassified. Hand-worked:
classified spend 1,000 − 100 = 900, all by SIC code; Road Co's kgCO2e 900 × 0.26547 (Defra
2023 factor of SIC 42110's product group 42.1-2, as tests/services/test_run_totals.py) =
238.923; one factor set used.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.models import FactorSet, InventoryRun, RunCompareFigures
from tracker.services.authorities import add_authority
from tracker.services.imports import import_spend_file
from tracker.services.inventory import runs
from tracker.services.inventory.run_figures import RunFigures, figures_of, run_figures
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.inventory.totals import summarise_stored_lines
from tracker.services.reference import load_shipped_reference_data

D = Decimal
SPEND = (
    "Date,Supplier,Amount,SIC,Expense Type\n"
    "15/05/2023,Road Co,1000.00,42110,Road works\n"
    "16/05/2023,Road Co,-100.00,42110,Road works\n"
    "18/05/2023,Hope Trust,250.00,,Grant to voluntary body\n"
    "19/05/2023,Zed Markings,400.00,,Zebra crossings paint\n"
)


def _computed_run(session: Session, tmp_path: Path) -> InventoryRun:
    """The module's file imported for a new authority and its 2023 inventory computed."""
    load_shipped_reference_data(session)
    code = "F" + uuid.uuid4().hex[:6].upper()
    authority = add_authority(session, code=code, name="Figures", fy_start_month=1)
    file = tmp_path / "spend.csv"
    file.write_text(SPEND.replace("Road Co", f"Road Co {code}"), encoding="utf-8")
    import_spend_file(session, authority=authority, path=file, data_dir=tmp_path)
    return ensure_inventory(session, authority=authority, year=2023)


def test_figures_of_sums_by_hand() -> None:
    """Classified rows with a category give kgCO2e per code; every classified row gives
    spend per method (none: unknown); a factor set of a row of any status is named."""
    rows = [
        ("mapped", "49", "sic", 7, D("100.00"), D("40.000000")),
        ("mapped", "49", "rule", 7, D("50.00"), D("20.500000")),
        ("mapped", "49", "sic", 8, D("-10.00"), D("-4.000000")),
        ("mapped", None, None, None, D("5.00"), D("0")),
        ("excluded", None, None, 9, D("70.00"), D("0")),
        ("unmapped", None, "sic", None, D("30.00"), D("0")),
    ]
    assert figures_of(rows) == RunFigures(
        category_kg={"49": D("56.5")},  # 40 + 20.5 − 4
        method_spend={"sic": D("90"), "rule": D("50"), "unknown": D("5")},
        factor_set_ids=(7, 8, 9),
    )
    assert figures_of([]) == RunFigures(category_kg={}, method_spend={}, factor_set_ids=())


@pytest.mark.parametrize("path", ["sets", "lines"])
def test_a_computed_run_stores_its_figures(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    if path == "sets":  # the set path whatever the year's size; else line by line
        monkeypatch.setattr(runs, "SET_PATH_MIN_LINES", {"sqlite": 0, "postgresql": 0})
    else:
        monkeypatch.setattr(runs, "SET_PATH_MIN_LINES", {})
    run = _computed_run(session, tmp_path)

    stored = session.get(RunCompareFigures, run.id)
    assert stored is not None, "written with the run"
    figures = run_figures(session, [run.id])[run.id]
    assert figures.method_spend == {"sic": D("900")}
    assert list(figures.category_kg.values()) == [D("238.923")]
    (factor_set,) = figures.factor_set_ids
    defra = session.get(FactorSet, factor_set)
    assert defra is not None and defra.data_year == 2023

    # Rebuilt from the stored lines: the same row; without its row: the same figures.
    summarise_stored_lines(session, [run.id])
    session.expire_all()
    assert run_figures(session, [run.id])[run.id] == figures
    session.execute(delete(RunCompareFigures).where(RunCompareFigures.run_id == run.id))
    assert run_figures(session, [run.id])[run.id] == figures


def test_figures_go_with_their_run(session: Session, tmp_path: Path) -> None:
    """Deleting a run deletes its figures (ON DELETE CASCADE)."""
    run_id = _computed_run(session, tmp_path).id
    session.execute(delete(InventoryRun).where(InventoryRun.id == run_id))
    left = select(RunCompareFigures).where(RunCompareFigures.run_id == run_id)
    assert session.scalars(left).all() == []
