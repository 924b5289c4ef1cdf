"""Contract value a year, remaining value and emissions (tracker.domain.contract_estimate).

Figures worked by hand; the factor and CPI values are those of methodology.md §3.8 B
(Defra "to 2023" 42.1-2 civil engineering 2023 = 0.26547 kgCO2e/£; UK CPI D7BT 2023 =
130.5, 2025 = 138.4).
"""

import datetime as dt
from decimal import Decimal

import pytest

from tracker.domain.calculate import deflator
from tracker.domain.contract_estimate import (
    FactorChoice,
    annual_value,
    division_code,
    kg_for,
    net_of_vat,
    price_year,
    remaining,
    years_between,
)

D = dt.date


def test_division_code() -> None:
    assert division_code("CPV", "90511000-2") == "90"
    assert division_code("cpv", "72000000") == "72"
    assert division_code("UNSPSC", "30181503-001") == "30"
    assert division_code("ProClass", "321000") is None
    assert division_code("CPV", None) is None


def test_years_between_counts_the_last_day() -> None:
    # 1 April 2022 – 31 March 2025 is 1,096 days = 1096 / 365.25 = 3.0007 years
    assert years_between(D(2022, 4, 1), D(2025, 3, 31)) == Decimal(1096) / Decimal("365.25")


def test_annual_value() -> None:
    # £3m over 1,096 days: 3,000,000 / 3.000684... = £999,772 a year
    a = annual_value(Decimal("3000000"), D(2022, 4, 1), D(2025, 3, 31))
    assert a == pytest.approx(Decimal("999771.9"), abs=Decimal("0.1"))
    # A 3-month contract is not scaled up: at least one year
    assert annual_value(Decimal("100000"), D(2022, 4, 1), D(2022, 6, 30)) == Decimal("100000")
    assert annual_value(Decimal("100000"), None, D(2022, 6, 30)) is None


def test_remaining_over_the_time_left() -> None:
    # £1m contract, £400k spent; today 1 April 2024, ends 31 March 2026: 730 days
    # = 1.9986 years; £600k / 1.9986 = £300,205 a year.
    r = remaining(
        Decimal("1000000"), Decimal("400000"), D(2023, 4, 1), D(2026, 3, 31), D(2024, 4, 1)
    )
    assert r is not None
    assert r.value == Decimal("600000")
    assert r.years == Decimal(730) / Decimal("365.25")
    assert r.a_year == pytest.approx(Decimal("300205.5"), abs=Decimal("0.1"))


def test_remaining_never_negative_and_ended_has_no_rate() -> None:
    r = remaining(Decimal("1000"), Decimal("1500"), D(2020, 1, 1), D(2021, 1, 1), D(2024, 1, 1))
    assert r is not None and r.value == 0 and r.a_year is None
    assert remaining(Decimal("1000"), Decimal(0), D(2020, 1, 1), None, D(2024, 1, 1)) is None


def test_vat_is_taken_off_a_gross_value() -> None:
    assert net_of_vat(Decimal("120000"), includes_vat=True) == Decimal("100000")
    assert net_of_vat(Decimal("120000"), includes_vat=False) == Decimal("120000")


def test_emissions_of_a_2025_value_deflated_to_the_2023_factor() -> None:
    # Methodology §3.8 B: £250,000 of 2025 resurfacing × CPI 130.5/138.4 × 0.26547 = 62,579 kg
    choice = FactorChoice(
        "42.1-2", Decimal("0.26547"), 2023, deflator(Decimal("130.5"), Decimal("138.4"))
    )
    assert kg_for(Decimal("250000"), choice) == pytest.approx(
        Decimal("62579.18"), abs=Decimal("0.01")
    )


def test_price_year_is_the_start_year() -> None:
    assert price_year(D(2022, 4, 1), D(2025, 3, 31)) == 2022
    assert price_year(None, D(2025, 3, 31)) == 2025
    assert price_year(None, None) is None
