"""Uncertainty ranges. Hand calculations (calculator, 6+ significant figures) in comments."""

from decimal import Decimal

import pytest

from tracker.domain.quality import DataQuality
from tracker.domain.uncertainty import (
    combine,
    grouped_sigma,
    gsd95,
    line_sigma,
    ln_factor,
    range95,
    sigma_ln,
    total_sigma,
)

D = Decimal
BEST = DataQuality(D(1), D(1), D(1), D(1), D(1))
DEFRA = DataQuality(D(3), D(1), D(1), D(2), D(3))  # methodology §4.2 UK default


def close(a: Decimal, b: str, tol: str) -> bool:
    return abs(a - D(b)) <= D(tol)


def test_best_quality_keeps_only_basic_uncertainty() -> None:
    # All pedigree factors 1.00 → ln U_i = 0; basic U_b = 1.5:
    # σ_ln = ln 1.5 / 2 = 0.405465 / 2 = 0.202733; GSD² = exp(2σ) = 1.5 exactly
    assert close(sigma_ln(BEST), "0.2027326", "1e-7")
    assert close(gsd95(BEST), "1.5", "1e-20")


def test_line_sigma_defra_line() -> None:
    # U: technology 3 → 1.20, time 1 → 1.00, geography 1 → 1.00, completeness 2 → 1.02,
    # reliability 3 → 1.10, basic 1.5.
    # (ln 1.5)² = 0.164402, (ln 1.2)² = 0.033241, (ln 1.02)² = 0.000392, (ln 1.1)² = 0.009084
    # sum = 0.207119; σ_ln² = sum / 4 = 0.051780
    # exp(0.051780) − 1 = 0.053144; sqrt = 0.230529; × 500 kg = 115.265 kg
    assert close(sigma_ln(DEFRA) ** 2, "0.0517798", "1e-6")
    assert close(line_sigma(D(500), DEFRA), "115.265", "0.001")
    # a credit line has the same spread as a purchase of the same size
    assert line_sigma(D(-500), DEFRA) == line_sigma(D(500), DEFRA)


def test_three_lines_two_categories() -> None:
    # A: X, 1000 kg, BEST.  σ_ln² = (0.202733)² = 0.0411005; exp(·) − 1 = 0.0419568;
    #    sqrt = 0.204834 → σ_A = 204.834 kg
    # B: X, 2000 kg, BEST → σ_B = 2 × 204.834 = 409.667 kg
    # C: Y, 500 kg, DEFRA → σ_C = 115.265 kg (previous test)
    # Independent: σ² = 204.834² + 409.667² + 115.265² = 41956.8 + 167827.2 + 13286.0
    #             = 223070.0 → σ = 472.303 kg
    # Correlated within category: X: 204.834 + 409.667 = 614.501; Y: 115.265
    #             σ² = 377611.5 + 13286.0 = 390897.5 → σ = 625.218 kg
    lines = [("X", D(1000), BEST), ("X", D(2000), BEST), ("Y", D(500), DEFRA)]
    assert close(line_sigma(D(1000), BEST), "204.834", "0.001")
    independent = total_sigma(lines)
    assert close(independent, "472.303", "0.002")
    assert close(total_sigma(lines, correlated_within_category=True), "625.218", "0.002")
    # 95 %: 3500 ± 1.96 × 472.303 = 3500 ± 925.714 → (2574.286, 4425.714)
    low, high = range95(D(3500), independent)
    assert close(low, "2574.286", "0.005")
    assert close(high, "4425.714", "0.005")


def test_combine_and_clamp() -> None:
    # 3-4-5 triangle: sqrt(9 + 16) = 5
    assert combine([D(3), D(4)]) == D(5)
    assert combine([]) == D(0)
    # 100 − 1.96 × 80 = 100 − 156.8 < 0 → 0; upper 100 + 156.8 = 256.8
    assert range95(D(100), D(80)) == (D(0), D("256.8"))
    with pytest.raises(ValueError):
        range95(D(1), D(-1))


def test_fractional_score_interpolates_in_log_space() -> None:
    # technology 2.5: halfway between ln 1.05 = 0.048790 and ln 1.20 = 0.182322 → 0.115556
    assert close(ln_factor("technology", D("2.5")), "0.115556", "1e-6")
    assert ln_factor("technology", D(5)) == D("2.00").ln()


def test_grouped_sigma_sums_squares_per_score_group() -> None:
    # The three lines of test_three_lines_two_categories, grouped by scores:
    # BEST: Σ kg² = 1000² + 2000² = 5,000,000; DEFRA: 500² = 250,000 → σ = 472.303 kg.
    assert close(grouped_sigma([(D(5_000_000), BEST), (D(250_000), DEFRA)]), "472.303", "0.002")
    assert grouped_sigma([]) == 0


def test_scores_from_stored_digits() -> None:
    assert DataQuality.from_digits("31123") == DEFRA
    with pytest.raises(ValueError):
        DataQuality.from_digits("3112")
    with pytest.raises(ValueError):
        DataQuality.from_digits("61123")  # 6 is outside 1..5
