"""Emissions arithmetic against the worked examples of shared/docs/methodology.md §3.8 B.

Factor values are the Defra "UK and England's carbon footprint to 2023" multipliers quoted
there (42.1-2 civil engineering 2023 = 0.26547 kgCO2e/£; 70 consultancy 2023 = 0.0811877),
and UK CPI D7BT 2023 = 130.5, 2025 = 138.4 (2015 = 100).
"""

from decimal import Decimal

import pytest

from tracker.domain.calculate import (
    category_totals,
    choose_factor_year,
    deflator,
    line_emissions,
)

CIVIL_2023 = Decimal("0.26547")
CONSULTANCY_2023 = Decimal("0.0811877")
CPI_2023 = Decimal("130.5")
CPI_2025 = Decimal("138.4")
ONE = Decimal(1)


def test_highway_resurfacing_2023_is_66_4_tonnes() -> None:
    # 250,000 × 0.26547 = 66,367.5 kg (by hand) = 66.4 t
    result = line_emissions(Decimal("250000"), ONE, CIVIL_2023)
    assert result.kgco2e == Decimal("66367.5")
    assert round(result.kgco2e / 1000, 1) == Decimal("66.4")


def test_consultancy_2023_is_9_7_tonnes() -> None:
    # 120,000 × 0.0811877 = 9,742.524 kg = 9.7 t
    result = line_emissions(Decimal("120000"), ONE, CONSULTANCY_2023)
    assert result.kgco2e == Decimal("9742.524")
    assert round(result.kgco2e / 1000, 1) == Decimal("9.7")


def test_resurfacing_2025_deflated_to_2023_is_62_6_tonnes() -> None:
    # No 2025 factor: spend deflated by CPI 130.5/138.4 to 2023 £ = £235,730 (methodology
    # rounds to the pound); × 0.26547 = 62,579 kg = 62.6 t.
    d = deflator(CPI_2023, CPI_2025)
    result = line_emissions(Decimal("250000"), d, CIVIL_2023)
    assert result.spend_in_factor_year == pytest.approx(Decimal("235729.77"), abs=Decimal("0.01"))
    assert result.kgco2e == pytest.approx(Decimal("62579.18"), abs=Decimal("0.01"))
    assert round(result.kgco2e / 1000, 1) == Decimal("62.6")


def test_credit_note_nets_against_the_purchase() -> None:
    # £10,000 invoice and a −£2,000 credit note for the same contract: 8,000 × 0.26547 = 2,123.76
    lines = [
        ("42.1-2", Decimal("10000"), line_emissions(Decimal("10000"), ONE, CIVIL_2023).kgco2e),
        ("42.1-2", Decimal("-2000"), line_emissions(Decimal("-2000"), ONE, CIVIL_2023).kgco2e),
    ]
    (total,) = category_totals(lines)
    assert total.spend == Decimal("8000")
    assert total.kgco2e == Decimal("2123.76")
    assert not total.clamped


def test_a_category_with_only_credits_reports_zero_and_is_flagged() -> None:
    totals = category_totals([("70", Decimal("-500"), Decimal("-40.59385"))])
    assert totals[0].kgco2e == 0
    assert totals[0].clamped


@pytest.mark.parametrize(
    ("spend_year", "expected"),
    [(2019, 2019), (2023, 2023), (2025, 2023), (2014, 2015)],
)
def test_matched_year_policy(spend_year: int, expected: int) -> None:
    assert choose_factor_year(spend_year, list(range(2015, 2024))) == expected


def test_same_year_needs_no_deflation() -> None:
    assert deflator(CPI_2023, CPI_2023) == 1


def test_deflator_rejects_non_positive_indices() -> None:
    with pytest.raises(ValueError, match="positive"):
        deflator(Decimal(0), CPI_2023)
