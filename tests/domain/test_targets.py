"""Targets and pathways. Values in tonnes-as-kg units; every expectation worked by hand."""

from decimal import Decimal

import pytest

from tracker.domain.targets import (
    Target,
    baseline_from,
    budget_exhausted_year,
    carbon_budget,
    linear_trend,
    meets_sbti,
    pathway,
    required_annual_rate,
    required_annual_reduction,
    sbti_min_reduction_pct,
    status,
)

D = Decimal
TOL = D("1e-20")


def test_baseline_is_mean_of_years() -> None:
    # (900 + 1000 + 1100) / 3 = 1000
    assert baseline_from(
        {2018: D(900), 2019: D(1000), 2020: D(1100), 2021: D(5)}, [2018, 2019, 2020]
    ) == D(1000)
    with pytest.raises(ValueError):
        baseline_from({2019: D(1)}, [2019, 2020])


def test_linear_to_target() -> None:
    t = Target(2019, D(1000), 2030, D(50))
    p = pathway(t, [2018, 2019, 2024, 2030, 2035])
    # 2024: 1000 − 5 × (500 / 11) = 1000 − 227.2727… = 772.7272…
    assert abs(p[2024] - D("772.72727272727272727")) < D("1e-15")
    # before the baseline: baseline; at and after the target: 1000 × (1 − 0.5) = 500
    assert (p[2018], p[2019], p[2030], p[2035]) == (D(1000), D(1000), D(500), D(500))


def test_linear_with_interim_and_net_zero() -> None:
    # waypoints (2019, 1000), (2025, 700), (2030, 500), (2040, 0)
    t = Target(2019, D(1000), 2030, D(50), net_zero_year=2040, interim=((2025, D(30)),))
    p = pathway(t, [2022, 2025, 2027, 2035, 2045])
    assert abs(p[2022] - D(850)) < TOL  # 1000 − 3 × 300/6 = 850
    assert p[2025] == D(700)
    assert abs(p[2027] - D(620)) < TOL  # 700 − 2 × 200/5 = 620
    assert abs(p[2035] - D(250)) < TOL  # 500 − 5 × 500/10 = 250
    assert p[2045] == D(0)


def test_sbti_contraction() -> None:
    t = Target(2019, D(1000), 2030, D(50), pathway="sbti-1.5c")
    p = pathway(t, [2025, 2042, 2043, 2050])
    assert p[2025] == D(748)  # 1000 × (1 − 0.042 × 6) = 1000 × 0.748
    assert p[2042] == D(34)  # 1000 × (1 − 0.042 × 23) = 1000 × 0.034
    assert p[2043] == D(0)  # 1 − 0.042 × 24 = −0.008 → floored at 0
    assert p[2050] == D(0)
    wb2c = Target(2019, D(1000), 2030, D(50), pathway="sbti-wb2c")
    assert pathway(wb2c, [2030])[2030] == D(725)  # 1000 × (1 − 0.025 × 11)
    # 1.5 °C minimum over 11 years: 4.2 × 11 = 46.2 % → a 50 % target meets it
    assert sbti_min_reduction_pct("sbti-1.5c", 2019, 2030) == D("46.2")
    assert meets_sbti(t, "sbti-1.5c")
    assert not meets_sbti(Target(2019, D(1000), 2030, D(40)), "sbti-1.5c")


def test_target_validation() -> None:
    with pytest.raises(ValueError):
        Target(2019, D(1), 2019, D(50))
    with pytest.raises(ValueError):
        Target(2019, D(1), 2030, D(50), interim=((2031, D(10)),))
    with pytest.raises(ValueError):
        Target(2019, D(1), 2030, D(50), net_zero_year=2030)


def test_status_rule() -> None:
    # pathway 100, 5 % band → up to 105 at risk
    assert status(D(90), D(100)) == "on track"
    assert status(D(100), D(100)) == "on track"
    assert status(D(105), D(100)) == "at risk"
    assert status(D("105.01"), D(100)) == "off track"
    assert status(D(1), D(0)) == "off track"


def test_required_reduction() -> None:
    # (800 − 500) / (2030 − 2024) = 300 / 6 = 50 per year
    assert required_annual_reduction(2024, D(800), 2030, D(500)) == D(50)
    # compound: 1 − 0.625^(1/6); ln 0.625 = −0.470004, /6 = −0.0783340,
    # exp = 0.924656 → rate 0.075344
    assert abs(required_annual_rate(2024, D(800), 2030, D(500)) - D("0.075344")) < D("1e-6")
    assert required_annual_rate(2024, D(800), 2030, D(0)) == D(1)


def test_carbon_budget_annual_sums() -> None:
    t = Target(2019, D(1000), 2030, D(50), pathway="sbti-1.5c")
    p = pathway(t, range(2019, 2022))
    # 1000 + 958 + 916 = 2874
    assert carbon_budget(p, 2019, 2021) == D(2874)
    with pytest.raises(ValueError):
        carbon_budget(p, 2019, 2022)


def test_budget_exhausted_year() -> None:
    actual = {2019: D(1000), 2020: D(980)}
    # cumulative: 2019 1000; 2020 1980; 2021 980 − 20 = 960 → 2940;
    # 2022 980 − 40 = 940 → 3880 > 3000 → 2022
    assert budget_exhausted_year(D(3000), actual, D(-20), 2019) == 2022
    # exactly reaching the budget is not exceeding it: 2940 ≤ 2940, 2022 → 3880
    assert budget_exhausted_year(D(2940), actual, D(-20), 2019) == 2022
    # 100, then 50, 0 → cumulative 150 never exceeds 150
    assert budget_exhausted_year(D(150), {2019: D(100)}, D(-50), 2019) is None
    # starting later only counts from start_year: 2020 980 → 2021 960 → 1940 > 1900
    assert budget_exhausted_year(D(1900), actual, D(-20), 2020) == 2021


def test_linear_trend() -> None:
    # x̄ = 2020, Ē = 980; Σ(x−x̄)(E−Ē) = (−1)(20) + 0 + (1)(−20) = −40; Σ(x−x̄)² = 2 → −20
    assert linear_trend({2019: D(1000), 2020: D(980), 2021: D(960)}) == D(-20)
