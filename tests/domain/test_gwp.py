"""GWP sets and CO2e recomputation from per-gas quantities."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tracker.domain.gwp import (
    AR4_GWP100,
    AR5_GWP100,
    AR6_GWP100,
    AR6_GWP100_FOSSIL_CH4,
    AR6_GWP100_NON_FOSSIL_CH4,
    GwpError,
    co2e_from_gases,
    gwp_set,
)


def test_headline_values() -> None:
    assert (AR5_GWP100["CH4"], AR5_GWP100["N2O"]) == (Decimal(28), Decimal(265))
    assert (AR4_GWP100["CH4"], AR4_GWP100["N2O"]) == (Decimal(25), Decimal(298))
    assert AR6_GWP100["N2O"] == Decimal(273)
    assert AR6_GWP100_FOSSIL_CH4["CH4"] == Decimal("29.8")
    assert AR6_GWP100_NON_FOSSIL_CH4["CH4"] == Decimal("27.0")
    assert AR6_GWP100["CH4"] == Decimal("27.9")
    assert set(AR4_GWP100) == set(AR5_GWP100)
    assert gwp_set("IPCC AR5 GWP-100") is AR5_GWP100


def test_co2e_from_gases_methodology_example() -> None:
    """§3.8 A per-gas check for 327320: 0.578 + 7.05e-4×28 + 2.12e-5×265 + 0.00127."""
    gases = {
        "CO2": Decimal("0.578"),
        "CH4": Decimal("7.05e-4"),
        "N2O": Decimal("2.12e-5"),
        "HFCs and PFCs, unspecified": Decimal("0.00127"),
    }
    total = co2e_from_gases(gases, AR5_GWP100)
    assert total == Decimal("0.604628")
    assert total.quantize(Decimal("0.001")) == Decimal("0.605")  # "0.605 ≈ 0.606"


def test_missing_gas_raises_rather_than_guessing() -> None:
    with pytest.raises(GwpError, match="no GWP for HFC-134a, SF6"):
        co2e_from_gases({"CO2": Decimal(1), "SF6": Decimal(1), "HFC-134a": Decimal(1)}, AR6_GWP100)
    with pytest.raises(GwpError, match="unknown GWP set"):
        gwp_set("SAR")


def test_empty_is_zero() -> None:
    assert co2e_from_gases({}, AR5_GWP100) == 0
