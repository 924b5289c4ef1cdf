"""The set-based inventory (tracker.services.inventory.keys and run_sums) against the
per-line Calculator path it replaced, kept as ``compute_inventory(per_line=True)``: every
LineEmission column, the run's figures and its summary rows are equal, to the last digit,
for varied lines (GBP and USD authorities, an exchange rate, deflators other than 1, ties
at the sixth decimal, credit notes, a supplier's own factor, overrides, excluded and
unmapped lines, capital lines). These years are small, so the set path is asked for
whatever their size and database (SET_PATH_MIN_LINES 0)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import (
    Authority,
    InventoryRun,
    LineEmission,
    RunCategoryTotal,
    RunDepartmentTotal,
    RunEvidence,
    RunQualityTotal,
    RunSupplierTotal,
    SpendLine,
)
from tracker.services.authorities import add_authority
from tracker.services.classification.line_classes import set_overrides
from tracker.services.imports import import_spend_file
from tracker.services.inventory import keys, runs
from tracker.services.inventory.calculator import Calculator
from tracker.services.inventory.emission_rows import ROW_FIELDS
from tracker.services.inventory.factor_tables import load_factor_tables
from tracker.services.inventory.runs import compute_inventory, ensure_inventory
from tracker.services.inventory.supplier_factors import set_supplier_factor
from tracker.services.rates import load_rates_file
from tracker.services.reference import load_shipped_reference_data

SIC = ("42110", "43210", "81210", "38110", "87100", "62020", "70229", "49410", "35110", "")
NAICS = ("327320", "541511", "221122", "541110", "336112", "", "999999")
EXPENSES = ("Agency Staff", "Legal Fees", "Electricity", "Salaries", "Grants", "Zq Misc", "Xv")
CENTRES = ("Capital Programme", "Adult Care ", " ", "Highways", "")


@pytest.fixture(autouse=True)
def sets_whatever_the_size(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """ensure_inventory costs these small years as sets (the path under test)."""
    monkeypatch.setattr(runs, "SET_PATH_MIN_LINES", {"sqlite": 0, "postgresql": 0})
    yield


def _amount(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.2:  # few digits: products that tie at the sixth decimal
        return f"{rng.choice((0.05, 0.25, 0.5, 1.25, 12.5, 2.75))}"
    amount = round(rng.lognormvariate(6, 2), 2)
    return f"{-amount if pick > 0.9 else amount:.2f}"


def _file(path: Path, rng: random.Random, years: tuple[int, ...], codes: str) -> None:
    lines = ["Date,Supplier,Amount,Expense Type,Service Area,Capital Or Revenue," + codes]
    for n in range(160):
        year = rng.choice(years)
        day = f"{rng.randrange(1, 28):02d}/{rng.randrange(1, 13):02d}/{year}"
        code = rng.choice(SIC if codes == "SIC" else NAICS)
        flag = rng.choice(("", "", "Capital", "Revenue"))
        lines.append(
            f"{day},Supplier {n % 17},{_amount(rng)},{rng.choice(EXPENSES)},"
            f"{rng.choice(CENTRES)},{flag},{code}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _authority(session: Session, tmp_path: Path, seed: int, **kw: Any) -> Authority:
    authority = add_authority(session, code="S" + uuid.uuid4().hex[:6].upper(), name="Sets", **kw)
    path = tmp_path / f"spend-{seed}.csv"
    rng = random.Random(seed)
    _file(path, rng, (2022, 2023, 2024), "NAICS" if kw.get("country") == "US" else "SIC")
    import_spend_file(session, authority=authority, path=path, data_dir=tmp_path)
    ids = session.scalars(
        select(SpendLine.id).where(SpendLine.authority_id == authority.id).order_by(SpendLine.id)
    ).all()
    group = "69.1"  # legal services
    set_overrides(session, authority=authority, line_ids=list(ids[:3]), note="a law firm",
                  actor="officer@example.org", defra_group=group)  # fmt: skip
    set_overrides(session, authority=authority, line_ids=list(ids[3:5]), note="not ours",
                  actor="officer@example.org", exclude_reason="grants")  # fmt: skip
    set_overrides(session, authority=authority, line_ids=[ids[5]], note="capital works",
                  actor="officer@example.org", defra_group=group, scope3_category=2)  # fmt: skip
    supplier = session.scalar(select(SpendLine.supplier_id).where(SpendLine.id == ids[6]))
    assert supplier is not None
    set_supplier_factor(
        session, supplier_id=supplier, kgco2e_per_unit=Decimal("0.123457"), year=2022,
        currency=authority.currency, evidence_url="https://example.org/report.pdf",
        authority=authority,
    )  # fmt: skip
    return authority


# Every field of a line's emission but its run (the key's number is not a field: the two
# paths number keys differently).
LINE_FIELDS = [name for name in ROW_FIELDS if name != "run_id"]


def _lines(session: Session, run: InventoryRun) -> dict[int, tuple[Any, ...]]:
    fields = [getattr(LineEmission, name) for name in LINE_FIELDS]
    rows = session.execute(select(*fields).where(LineEmission.run_id == run.id)).all()
    return {row[0]: tuple(row) for row in rows}


def _summary(session: Session, run: InventoryRun) -> dict[str, Any]:
    out: dict[str, Any] = {
        name: getattr(run, name)
        for name in ("line_count", "total_spend", "mapped_spend", "excluded_spend",
                     "total_kgco2e", "sigma_kgco2e", "data_quality", "evidence_texts")
    }  # fmt: skip
    for model in (
        RunCategoryTotal, RunSupplierTotal, RunDepartmentTotal, RunQualityTotal, RunEvidence,
    ):  # fmt: skip
        table = model.__table__
        names = [c for c in table.columns if c.name not in ("id", "run_id")]
        rows = session.execute(select(*names).where(table.c.run_id == run.id)).all()
        out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def _compare(session: Session, authority: Authority, year: int) -> list[tuple[Any, ...]]:
    run = ensure_inventory(session, authority=authority, year=year)
    tables = load_factor_tables(
        session, authority.default_factor_family, authority.default_factor_edition
    )
    oracle = compute_inventory(
        session, calculator=Calculator(session, authority, tables), year=year,
        inputs=run.inputs, per_line=True,
    )  # fmt: skip
    session.expire_all()
    lines = _lines(session, run)
    assert lines == _lines(session, oracle)
    assert _summary(session, run) == _summary(session, oracle)
    return list(lines.values())


def _variety(session: Session, rows: list[tuple[Any, ...]]) -> set[str]:
    """What the compared lines include."""
    names = LINE_FIELDS
    found: set[str] = set()
    for values in rows:
        row = dict(zip(names, values, strict=True))
        found.add(row["status"])
        if row["fx_rate"] is not None:
            found.add("fx")
        if row["deflator"] not in (None, 1):
            found.add("deflator")
        if row["supplier_factor_id"] is not None:
            found.add("supplier")
        if row["scope3_category"] == 2:
            found.add("capital")
        if row["kgco2e"] < 0:
            found.add("credit")
        if row["method"] == "override":
            found.add("override")
        if row["deflator"] == 1 and row["fx_rate"] is None and row["factor_value"]:
            amount = session.scalar(
                select(SpendLine.amount).where(SpendLine.id == row["spend_line_id"])
            )
            exact = Decimal(amount) * row["factor_value"] * 1_000_000
            if exact % 1 in (Decimal("0.5"), Decimal("-0.5")):
                found.add("tie")
    return found


def test_uk_lines_with_overrides_supplier_factor_and_deflators(
    session: Session, tmp_path: Path
) -> None:
    load_shipped_reference_data(session)
    authority = _authority(session, tmp_path, 1, fy_start_month=4)
    rows = [r for year in (2021, 2022, 2023, 2024) for r in _compare(session, authority, year)]
    assert len(rows) == 160
    assert _variety(session, rows) >= {
        "mapped", "unmapped", "excluded", "deflator", "supplier", "capital", "credit",
        "override", "tie",
    }  # fmt: skip


@pytest.mark.parametrize("map_from", [0, 10**9], ids=["line_class", "class_map"])
def test_sqlite_looks_decisions_up_either_way(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, map_from: int
) -> None:
    """SQLite looks each line's decision up in line_class, or in a temporary map of the
    authority's classes when the period has lines enough (keys.CLASS_MAP_LINES): the same
    rows either way (PostgreSQL always joins line_class)."""
    monkeypatch.setattr(keys, "CLASS_MAP_LINES", map_from)
    load_shipped_reference_data(session)
    authority = _authority(session, tmp_path, 1, fy_start_month=4)
    rows = [r for year in (2021, 2022, 2023, 2024) for r in _compare(session, authority, year)]
    assert len(rows) == 160


def test_us_lines_by_naics(session: Session, tmp_path: Path) -> None:
    load_shipped_reference_data(session)
    authority = _authority(session, tmp_path, 2, country="US", currency="USD", fy_start_month=1)
    rows = [r for year in (2022, 2023, 2024) for r in _compare(session, authority, year)]
    assert len(rows) == 160
    assert _variety(session, rows) >= {"mapped", "unmapped", "deflator", "supplier", "override"}


def _dollar_factors(session: Session, tmp_path: Path, seed: int, rates: str) -> Authority:
    """A pounds authority costed with the EPA's dollar factors, with ``rates`` (CSV rows
    year,base,quote,rate,source) loaded."""
    load_shipped_reference_data(session)
    path = tmp_path / "rates.csv"
    path.write_text("year,base,quote,rate,source\n" + rates)
    load_rates_file(session, path)
    authority = _authority(session, tmp_path, seed, fy_start_month=1)
    authority.default_factor_family, authority.default_factor_edition = (
        "epa-useeio-naics", "v1.3.0",
    )  # fmt: skip
    session.flush()
    return authority


def test_pounds_costed_with_dollar_factors(session: Session, tmp_path: Path) -> None:
    authority = _dollar_factors(
        session, tmp_path, 3,
        "2022,GBP,USD,1.2369,test\n2023,GBP,USD,1.2435,test\n2024,GBP,USD,1.27812345,test\n",
    )  # fmt: skip
    rows = [r for year in (2022, 2023, 2024) for r in _compare(session, authority, year)]
    assert len(rows) == 160
    assert _variety(session, rows) >= {"mapped", "fx", "deflator", "supplier", "override"}


def test_the_years_size_chooses_the_path(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Left to choose, compute_inventory costs a year as sets from its database's
    SET_PATH_MIN_LINES lines (the count in its inputs), else line by line; a database
    not named there is always costed line by line."""
    load_shipped_reference_data(session)
    authority = _authority(session, tmp_path, 4, fy_start_month=4)
    ensure_inventory(session, authority=authority, year=2022)  # classifies the lines
    tables = load_factor_tables(
        session, authority.default_factor_family, authority.default_factor_edition
    )
    chosen: list[str] = []
    monkeypatch.setattr(runs, "_compute_per_line", lambda *a: chosen.append("lines"))
    monkeypatch.setattr(runs, "cost_lines", lambda *a: chosen.append("sets"))
    monkeypatch.setattr(runs, "sum_run", lambda *a: None)
    dialect = session.get_bind().dialect.name
    for least in ({dialect: 100}, {}):
        monkeypatch.setattr(runs, "SET_PATH_MIN_LINES", least)
        for lines in (99, 100, 5000):
            compute_inventory(
                session, calculator=Calculator(session, authority, tables), year=2022,
                inputs={"lines": lines},
            )  # fmt: skip
    assert chosen == ["lines", "sets", "sets", "lines", "lines", "lines"]


def test_every_line_taken_as_near_a_tie(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the floating-point margin widened so far that every line counts as near a
    tie, every line takes the exact branch: Product itself on SQLite; on PostgreSQL the
    exact numeric product, with the lines of inexact keys (long deflators, an exchange
    rate) costed again by Product. The rows still equal the per-line path's."""
    from tracker.services.inventory import keys

    monkeypatch.setattr(keys, "FLOAT_ERROR", 1.0)
    mended: list[int] = []
    mend = keys._mend
    monkeypatch.setattr(
        keys, "_mend", lambda s, p, r, found: (mended.append(len(found)), mend(s, p, r, found))
    )
    authority = _dollar_factors(session, tmp_path, 5, "2023,GBP,USD,1.24351237,test\n")
    rows = _compare(session, authority, 2023)
    assert _variety(session, rows) >= {"mapped", "fx", "deflator", "supplier", "override"}
    if session.get_bind().dialect.name == "postgresql":
        assert sum(mended) > 0  # Product costed lines again


def test_a_new_postgresql_database_is_analysed_before_its_first_inventory(
    private_db_url: str, tmp_path: Path
) -> None:
    """PostgreSQL: in a new database the lines and their classes have never been analysed
    (reltuples -1); the first ensure_inventory analyses them, so that the planner looks a
    line's class up by its key instead of reading every class of the authority."""
    if not private_db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL statistics")
    from sqlalchemy import text

    from tracker import migrate
    from tracker.db import make_engine

    engine = make_engine(private_db_url)
    migrate.upgrade(engine)

    def unknown(session: Session) -> set[str]:
        return set(
            session.scalars(
                text(
                    "SELECT relname FROM pg_class WHERE relname IN ('spend_line', 'line_class')"
                    " AND reltuples < 0"
                )
            )
        )

    try:
        with Session(engine) as session, session.begin():
            load_shipped_reference_data(session)
            authority = _authority(session, tmp_path, 6, fy_start_month=4)
            assert unknown(session) == {"spend_line", "line_class"}
            ensure_inventory(session, authority=authority, year=2022)
            assert unknown(session) == set()
    finally:
        engine.dispose()
