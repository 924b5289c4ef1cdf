"""tracker.queries against the migrated schema (SQLite and PostgreSQL).

Expected values are summed by hand from the lines each test inserts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from factories import Line, make_authority, make_factor_set, make_run
from sqlalchemy.orm import Session

from tracker.models import Authority, InventoryRun
from tracker.queries.breakdowns import (
    CategoryRow,
    SupplierRow,
    category_breakdown,
    supplier_breakdown,
)
from tracker.queries.reference import authority_by_code, run_factor_sets
from tracker.queries.runs import authority_overview, current_runs

D = Decimal


@dataclass
class Seeded:
    a: Authority
    b: Authority
    a_2021: InventoryRun
    a_2021_old: InventoryRun
    a_2023: InventoryRun
    b_2021: InventoryRun


@pytest.fixture
def seeded(session: Session) -> Seeded:
    f = make_factor_set(
        session,
        factors={
            "10.1": ("Food products", "0.5"),
            "49": ("Land transport services", "0.4"),
            "62": ("Computer programming services", "0.1"),
        },
    )
    a = make_authority(session, code="AAA", name="Alpha Council", population=50_000)
    b = make_authority(session, code="BBB", name="Beta Council", population=None)
    suppliers: dict[str, int] = {}
    # Superseded run for 2021: must never be reported.
    old = make_run(
        session,
        authority=a,
        fy_year=2021,
        supplier_ids=suppliers,
        lines=[Line("Acme Foods", "9999.00", "9999", f["10.1"])],
    )
    a_2021 = make_run(
        session,
        authority=a,
        fy_year=2021,
        supplier_ids=suppliers,
        lines=[
            Line("Acme Foods", "1000.00", "500", f["10.1"]),
            Line("Bus Co", "2000.00", "800", f["49"]),
            Line("Acme Foods", "500.50", "250.25", f["10.1"]),
            Line(None, "300.00"),
            Line("Misc Ltd", "200.00"),
        ],
    )
    a_2023 = make_run(
        session,
        authority=a,
        fy_year=2023,
        supplier_ids=suppliers,
        lines=[Line("Acme IT", "1000.00", "100", f["62"])],
    )
    # Beta shares the supplier "Acme Foods" and has one of its own.
    b_2021 = make_run(
        session,
        authority=b,
        fy_year=2021,
        supplier_ids=suppliers,
        lines=[
            Line("Acme Foods", "10000.00", "5000", f["10.1"]),
            Line("Beta Only Supplies", "70.00", "7", f["62"]),
        ],
    )
    return Seeded(a=a, b=b, a_2021=a_2021, a_2021_old=old, a_2023=a_2023, b_2021=b_2021)


def test_current_runs_picks_latest_run_per_year(session: Session, seeded: Seeded) -> None:
    runs = current_runs(session, authority_ids=[seeded.a.id, seeded.b.id])
    assert [(r.authority_code, r.fy_year, r.run_id) for r in runs] == [
        ("AAA", 2021, seeded.a_2021.id),
        ("AAA", 2023, seeded.a_2023.id),
        ("BBB", 2021, seeded.b_2021.id),
    ]
    first = runs[0]
    # 1000 + 2000 + 500.50 + 300 + 200; mapped excludes the two unmapped lines.
    assert first.total_spend == D("4000.50")
    assert first.mapped_spend == D("3500.50")
    assert first.total_kgco2e == D("1550.25")
    assert first.mapped_share == D("3500.50") / D("4000.50")
    assert all(isinstance(v, Decimal) for r in runs for v in (r.total_spend, r.total_kgco2e))


def test_current_runs_is_scoped(session: Session, seeded: Seeded) -> None:
    runs = current_runs(session, authority_ids=[seeded.b.id])
    assert [r.run_id for r in runs] == [seeded.b_2021.id]
    assert current_runs(session, authority_ids=[]) == []


def test_authority_overview(session: Session, seeded: Seeded) -> None:
    alpha, beta = authority_overview(session, authority_ids=[seeded.a.id, seeded.b.id])
    assert (alpha.code, alpha.name, alpha.population) == ("AAA", "Alpha Council", 50_000)
    assert (alpha.first_year, alpha.first_kgco2e) == (2021, D("1550.25"))
    assert (alpha.latest_year, alpha.latest_kgco2e) == (2023, D("100"))
    assert alpha.trend == ((2021, D("1550.25")), (2023, D("100")))
    assert alpha.kg_per_currency_unit == D("0.1")  # 100 kg / £1000
    assert alpha.latest_mapped_share == D(1)
    assert alpha.change_since_first == (D("100") - D("1550.25")) / D("1550.25")
    # One year only: no change to report.
    assert beta.trend == ((2021, D("5007")),)
    assert beta.change_since_first is None


def test_authority_overview_includes_authority_without_runs(session: Session) -> None:
    empty = make_authority(session, name="Gamma Council")
    (row,) = authority_overview(session, authority_ids=[empty.id])
    assert row.latest_year is None
    assert row.trend == ()
    assert row.change_since_first is None


def test_category_breakdown(session: Session, seeded: Seeded) -> None:
    rows = category_breakdown(session, run_id=seeded.a_2021.id, authority_id=seeded.a.id)
    assert rows == [
        CategoryRow(code="49", name="Land transport services", spend=D("2000"), kgco2e=D("800")),
        # 1000 + 500.50 spend; 500 + 250.25 kg
        CategoryRow(code="10.1", name="Food products", spend=D("1500.50"), kgco2e=D("750.25")),
        CategoryRow(code=None, name="Unmapped", spend=D("500"), kgco2e=D("0")),
    ]
    assert all(isinstance(r.spend, Decimal) and isinstance(r.kgco2e, Decimal) for r in rows)


def test_category_breakdown_refuses_other_authoritys_run(session: Session, seeded: Seeded) -> None:
    assert category_breakdown(session, run_id=seeded.a_2021.id, authority_id=seeded.b.id) == []
    assert supplier_breakdown(session, run_id=seeded.a_2021.id, authority_id=seeded.b.id) == []
    assert run_factor_sets(session, run_id=seeded.a_2021.id, authority_id=seeded.b.id) == []


def test_category_breakdown_reports_net_credits_unclamped(session: Session) -> None:
    f = make_factor_set(session, factors={"49": ("Land transport services", "0.4")})
    a = make_authority(session)
    run = make_run(
        session,
        authority=a,
        fy_year=2022,
        lines=[Line("Bus Co", "100.00", "40", f["49"]), Line("Bus Co", "-250.00", "-100", f["49"])],
    )
    (row,) = category_breakdown(session, run_id=run.id, authority_id=a.id)
    # 100 - 250 spend; 40 - 100 kg: the caller decides how to show a net credit.
    assert (row.spend, row.kgco2e) == (D("-150"), D("-60"))


def test_supplier_breakdown(session: Session, seeded: Seeded) -> None:
    rows = supplier_breakdown(session, run_id=seeded.a_2021.id, authority_id=seeded.a.id)
    assert rows == [
        SupplierRow(supplier="Bus Co", spend=D("2000"), kgco2e=D("800")),
        SupplierRow(supplier="Acme Foods", spend=D("1500.50"), kgco2e=D("750.25")),
        SupplierRow(supplier="Unknown supplier", spend=D("300"), kgco2e=D("0")),
        SupplierRow(supplier="Misc Ltd", spend=D("200"), kgco2e=D("0")),
    ]
    top = supplier_breakdown(session, run_id=seeded.a_2021.id, authority_id=seeded.a.id, limit=1)
    assert [r.supplier for r in top] == ["Bus Co"]
    every = supplier_breakdown(
        session, run_id=seeded.a_2021.id, authority_id=seeded.a.id, limit=None
    )
    assert every == rows


def test_supplier_breakdown_excludes_other_authorities(session: Session, seeded: Seeded) -> None:
    rows = supplier_breakdown(session, run_id=seeded.b_2021.id, authority_id=seeded.b.id)
    assert rows == [
        SupplierRow(supplier="Acme Foods", spend=D("10000"), kgco2e=D("5000")),
        SupplierRow(supplier="Beta Only Supplies", spend=D("70"), kgco2e=D("7")),
    ]


def test_run_factor_sets(session: Session, seeded: Seeded) -> None:
    (fs,) = run_factor_sets(session, run_id=seeded.a_2021.id, authority_id=seeded.a.id)
    assert (fs.edition, fs.data_year, fs.licence) == ("test-1", 2022, "OGL v3.0")


def test_authority_by_code(session: Session, seeded: Seeded) -> None:
    found = authority_by_code(session, "AAA")
    assert found is not None and found.id == seeded.a.id
    assert authority_by_code(session, "aaa") is None
    assert authority_by_code(session, "NOPE") is None
