"""EPA dollar-year deflators (methodology §3.4) and the worked example §3.8 A."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from factors.registry import load_commodity_price_index, load_price_index
from tracker.domain.usd import (
    DETAIL_INDEX,
    GDP_DEFLATOR,
    SUMMARY_INDEX,
    DeflatorError,
    epa_deflator,
    split_reference,
    summary_code_for,
)

DETAIL = load_commodity_price_index("bea-detail-io17").values
SUMMARY = load_commodity_price_index("bea-summary-io17").values
GDP = load_price_index("us-gdpdef").values


def _kg(spend: int, deflator: Decimal, factor: str) -> Decimal:
    return (spend * deflator * Decimal(factor)).quantize(Decimal(1), ROUND_HALF_UP)


def test_worked_example_a_ready_mix_concrete() -> None:
    choice = epa_deflator("327320", 2023, 2022, DETAIL, SUMMARY, GDP)
    assert choice.index_key == DETAIL_INDEX and choice.code_used == "327320"
    assert choice.index_factor_year == Decimal("126.100")
    assert choice.index_spend_year == Decimal("139.497")
    assert choice.value.quantize(Decimal("0.00001")) == Decimal("0.90396")
    kg = _kg(500_000, choice.value, "0.606")
    assert abs(kg - 273_900) <= 1  # 273,900 kg = 273.9 t
    assert (kg / 1000).quantize(Decimal("0.1")) == Decimal("273.9")


def test_worked_example_a_custom_software() -> None:
    choice = epa_deflator("541511", 2023, 2022, DETAIL, SUMMARY, GDP)
    assert (choice.index_factor_year, choice.index_spend_year) == (
        Decimal("91.433"),
        Decimal("91.653"),
    )
    assert choice.value.quantize(Decimal("0.00001")) == Decimal("0.99760")
    assert _kg(2_000_000, choice.value, "0.084") == 167_597  # 167.6 t


def test_worked_example_a_gdp_deflator_sensitivity() -> None:
    choice = epa_deflator("327320", 2023, 2022, {}, {}, GDP)
    assert choice.index_key == GDP_DEFLATOR and choice.code_used == ""
    assert (choice.index_factor_year, choice.index_spend_year) == (
        Decimal("118.012"),
        Decimal("122.382"),
    )
    assert choice.value.quantize(Decimal("0.00001")) == Decimal("0.96429")
    assert (_kg(500_000, choice.value, "0.606") / 1000).quantize(Decimal("0.1")) == Decimal("292.2")
    assert (_kg(2_000_000, choice.value, "0.084") / 1000).quantize(Decimal("0.1")) == Decimal(
        "162.0"
    )
    assert "GDP" in choice.note


def test_spend_after_2023_uses_gdp_deflator_for_both_years() -> None:
    choice = epa_deflator("327320", 2024, 2022, DETAIL, SUMMARY, GDP)
    assert choice.index_key == GDP_DEFLATOR
    assert choice.index_spend_year == GDP[2024] and choice.index_factor_year == GDP[2022]
    assert "327320" in choice.note


def test_multi_code_reference_uses_mean_of_detail_indices() -> None:
    choice = epa_deflator("233411, 233412, 2334A0", 2023, 2022, DETAIL, SUMMARY, GDP)
    codes = ["233411", "233412", "2334A0"]
    assert choice.index_key == DETAIL_INDEX and choice.code_used == ",".join(codes)
    mean_2022 = sum((DETAIL[c][2022] for c in codes), Decimal(0)) / 3
    assert choice.index_factor_year == mean_2022.quantize(Decimal("0.000001"))
    assert "mean of the 3" in choice.note
    # Order of the codes does not matter (v1.2 lists them differently).
    assert epa_deflator("2334A0,233411,233412", 2023, 2022, DETAIL, SUMMARY, GDP).value == (
        choice.value
    )


def test_v12_code_missing_from_2017_detail_falls_back_to_summary() -> None:
    choice = epa_deflator("562212", 2023, 2021, DETAIL, SUMMARY, GDP)
    assert choice.index_key == SUMMARY_INDEX and choice.code_used == "562"
    assert choice.value == SUMMARY["562"][2021] / SUMMARY["562"][2023]
    assert "fallback" in choice.note


def test_missing_index_raises() -> None:
    with pytest.raises(DeflatorError, match="No price index covers 2030 and 2022"):
        epa_deflator("327320", 2030, 2022, DETAIL, SUMMARY, GDP)
    with pytest.raises(DeflatorError, match="empty"):
        split_reference(" , ")


def test_summary_mapping_covers_every_detail_code() -> None:
    assert summary_code_for("327320") == "327"
    assert summary_code_for("541511") == "5415"
    assert summary_code_for("541610") == "5412OP"
    assert summary_code_for("531HSO") == "HS"
    assert summary_code_for("1121A0") == "111CA"
    unmapped = sorted(c for c in DETAIL if summary_code_for(c) is None)
    # Government/special S00xxx rows (no EPA factors) and postal service 491000 (its
    # summary sector is not determinable from prefixes) fall back to the GDP deflator.
    assert unmapped == ["491000"] + [c for c in sorted(DETAIL) if c.startswith("S00")]
    assert {summary_code_for(c) for c in DETAIL} - {None} <= set(SUMMARY)
