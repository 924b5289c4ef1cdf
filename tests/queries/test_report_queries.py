"""Department breakdown and per-category data quality and uncertainty (tracker.queries).

Expected values are worked out by hand from the lines each test inserts. The σ of a
category follows the model documented in tracker.domain.uncertainty: each line is
lognormal with mean |kg| and ln-spread σ_ln = ½·sqrt((ln 1.5)² + Σ (ln U_i)²), so its sd is
|kg|·sqrt(exp(σ_ln²) − 1); independent lines add in quadrature. The pedigree factors U_i
below are copied from the ecoinvent v3 table (score → U): technology 3 → 1.20, 4 → 1.50;
time 1 → 1.00, 2 → 1.03; geography 1 → 1.00; completeness 2 → 1.02; reliability 3 → 1.10.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from factories import Line, make_authority, make_factor_set, make_run
from sqlalchemy.orm import Session

from tracker.queries.breakdowns import DepartmentRow, category_quality, department_breakdown

D = Decimal


def _spread(*factors: float) -> float:
    """sd per kg of a line whose pedigree factors are ``factors`` (basic uncertainty 1.5)."""
    s_ln = 0.5 * math.sqrt(math.log(1.5) ** 2 + sum(math.log(u) ** 2 for u in factors))
    return math.sqrt(math.exp(s_ln**2) - 1)


S_31123 = _spread(1.20, 1.00, 1.00, 1.02, 1.10)  # ≈ 0.23053
S_41123 = _spread(1.50, 1.00, 1.00, 1.02, 1.10)  # ≈ 0.29707
S_32123 = _spread(1.20, 1.03, 1.00, 1.02, 1.10)  # ≈ 0.23103


@pytest.fixture
def run_lines(session: Session) -> tuple[int, int]:
    f = make_factor_set(
        session, factors={"10.1": ("Food products", "0.5"), "49": ("Land transport", "0.4")}
    )
    a = make_authority(session)
    run = make_run(
        session,
        authority=a,
        fy_year=2023,
        lines=[
            Line("Acme Foods", "1000.00", "500", f["10.1"], cost_centre="Schools", dq="31123"),
            Line("Acme Foods", "-200.00", "-100", f["10.1"], cost_centre="Schools", dq="31123"),
            Line("Farm Ltd", "800.00", "300", f["10.1"], cost_centre="  ", dq="41123"),
            Line("Bus Co", "2000.00", "800", f["49"], cost_centre="Highways", dq="32123"),
            Line("Payroll", "5000.00", excluded="salaries", cost_centre="Highways"),
            Line("Odd Ltd", "100.00", cost_centre=None),
        ],
    )
    return run.id, a.id


def test_department_breakdown(session: Session, run_lines: tuple[int, int]) -> None:
    run_id, authority_id = run_lines
    rows = department_breakdown(session, run_id=run_id, authority_id=authority_id)
    assert rows == [
        # 800 kg of the bus line; the salaries count in spend only.
        DepartmentRow("Highways", D("7000.00"), D("5000.00"), D(800), 2),
        # 500 − 100 kg, spend 1000 − 200.
        DepartmentRow("Schools", D("800.00"), D(0), D(400), 2),
        # blank and missing cost centres together: 300 kg, spend 800 + 100.
        DepartmentRow("(none)", D("900.00"), D(0), D(300), 2),
    ]
    assert sum(r.spend for r in rows) == D("8700.00")


def test_department_breakdown_is_scoped(session: Session, run_lines: tuple[int, int]) -> None:
    run_id, _ = run_lines
    other = make_authority(session)
    assert department_breakdown(session, run_id=run_id, authority_id=other.id) == []


def test_category_quality(session: Session, run_lines: tuple[int, int]) -> None:
    run_id, authority_id = run_lines
    rows = {r.code: r for r in category_quality(session, run_id=run_id, authority_id=authority_id)}
    assert set(rows) == {"10.1", "49"}
    food = rows["10.1"]
    assert food.spend == D("1600.00") and food.kgco2e == D(700)  # 500 − 100 + 300
    # Weights are absolute spends: 1000 + 200 at technology 3, 800 at 4 → 6800 / 2000.
    assert food.quality is not None
    assert food.quality.technology == D("3.4")
    assert food.quality.scores()[1:] == (D(1), D(1), D(2), D(3))
    assert food.quality.mean == D("2.08")  # (3.4 + 1 + 1 + 2 + 3) / 5
    # Variance: s(31123)²·(500² + 100²) + s(41123)²·300² ≈ 13,817.4 + 7,942.4
    expected = math.sqrt(S_31123**2 * (500**2 + 100**2) + S_41123**2 * 300**2)
    assert float(food.sigma_kgco2e) == pytest.approx(expected, rel=1e-9)
    assert float(food.sigma_kgco2e) == pytest.approx(147.51, abs=0.01)

    bus = rows["49"]
    assert float(bus.sigma_kgco2e) == pytest.approx(800 * S_32123, rel=1e-9)  # ≈ 184.82
    low, high = bus.range95
    assert float(low) == pytest.approx(800 - 1.96 * 800 * S_32123, rel=1e-9)
    assert float(high) == pytest.approx(800 + 1.96 * 800 * S_32123, rel=1e-9)
    assert float(high) == pytest.approx(1162.25, abs=0.01)


def test_category_variances_add_up_to_the_total(
    session: Session, run_lines: tuple[int, int]
) -> None:
    run_id, authority_id = run_lines
    rows = category_quality(session, run_id=run_id, authority_id=authority_id)
    every_line = (
        (S_31123 * 500) ** 2 + (S_31123 * 100) ** 2 + (S_41123 * 300) ** 2 + (S_32123 * 800) ** 2
    )
    assert sum(float(r.sigma_kgco2e) ** 2 for r in rows) == pytest.approx(every_line, rel=1e-9)


def test_category_quality_is_scoped(session: Session, run_lines: tuple[int, int]) -> None:
    run_id, _ = run_lines
    other = make_authority(session)
    assert category_quality(session, run_id=run_id, authority_id=other.id) == []
