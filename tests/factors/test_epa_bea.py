"""EPA supply-chain factor tables, BEA price indices and the US GDP deflator.

Spot values are quoted from the publishers' files (shared/data/factors) and from
shared/docs/methodology.md §2.1 and §3.8 A.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from factors.build import bea_price_indices, custom, defra_uk, epa_supply_chain
from factors.build._common import SourceDataError
from factors.registry import (
    ReferenceDataError,
    available_commodity_price_indices,
    available_gas_tables,
    load_commodity_price_index,
    load_factor_extras,
    load_factor_set,
    load_gas_table,
    load_price_index,
)
from tracker.domain.gwp import AR4_GWP100, AR5_GWP100, co2e_from_gases

EPA = "epa-useeio-naics"
BYGAS = "epa-useeio-naics-bygas"


@pytest.mark.parametrize(
    ("edition", "year", "gwp"),
    [("v1.3.0", 2022, "IPCC AR5 GWP-100"), ("v1.2", 2021, "IPCC AR4 GWP-100")],
)
def test_epa_tables_shape_and_metadata(edition: str, year: int, gwp: str) -> None:
    table = load_factor_set(EPA, edition)
    assert len(table.codes()) == 1016
    assert len(table.rows) == 1016
    assert table.years() == [year]
    assert all(len(c) == 6 and c.isdigit() for c in table.codes())
    meta = table.metadata
    assert meta["publisher"] == "US EPA Office of Research and Development"
    assert meta["unit"] == "kgCO2e per USD (purchaser price)"
    assert meta["currency"] == "USD" and meta["currency_year"] == year
    assert meta["price_basis"] == "purchaser price"
    assert meta["code_system"] == "NAICS 2017 (6-digit)"
    assert meta["gwp"] == gwp
    assert meta["licence"] == "US federal government work; public domain"
    doi = "10.23719/1531143" if edition == "v1.3.0" else "10.23719/1528686"
    assert meta["source_url"] == f"https://doi.org/{doi}"
    assert len(meta["source_sha256"]) == 64 and len(meta["table_sha256"]) == 64


def test_epa_v13_spot_values() -> None:
    table = load_factor_set(EPA, "v1.3.0")
    extras = load_factor_extras(EPA, "v1.3.0")
    assert table.value("327320", 2022) == Decimal("0.606")
    assert extras[("327320", 2022)] == {
        "without_margins": "0.54",
        "margins": "0.067",
        "reference_useeio_code": "327320",
    }
    assert table.value("541511", 2022) == Decimal("0.084")
    assert extras[("541511", 2022)]["margins"] == "0"
    assert table.value("327310", 2022) == Decimal("3.924")  # the maximum (§2.1)
    assert table.value("112111", 2022) == Decimal("2.893")
    assert table.names()["327320"] == "Ready-Mix Concrete Manufacturing"
    values = sorted(r.value for r in table.rows)
    assert values[0] == Decimal("0.029") and values[-1] == Decimal("3.924")
    assert {table.value(c, 2022) for c in table.codes() if c.startswith("562")} == {
        Decimal("0.988")
    }
    multi = [k for k, v in extras.items() if "," in v["reference_useeio_code"]]
    assert len(multi) == 24
    assert extras[("236117", 2022)]["reference_useeio_code"] == "233411,233412,2334A0"


def test_epa_v12_spot_values() -> None:
    table = load_factor_set(EPA, "v1.2")
    assert table.value("562212", 2021) == Decimal("10.989")  # landfill
    assert table.value("111130", 2021) == Decimal("3.007")
    assert table.value("327320", 2021) == Decimal("0.687")


@pytest.mark.parametrize(("edition", "rows", "gases"), [("v1.3.0", 18288, 18), ("v1.2", 16256, 16)])
def test_gas_tables_shape(edition: str, rows: int, gases: int) -> None:
    assert (BYGAS, edition) in available_gas_tables()
    table = load_gas_table(BYGAS, edition)
    assert len(table) == 1016
    assert {len(g) for g in table.values()} == {gases}
    assert sum(len(g) for g in table.values()) == rows


def _half_ulp(value: Decimal) -> Decimal:
    """Half a unit in the last published digit: the rounding error of the value."""
    return Decimal(1).scaleb(value.as_tuple().exponent) / 2  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("edition", "year", "gwp"), [("v1.3.0", 2022, AR5_GWP100), ("v1.2", 2021, AR4_GWP100)]
)
def test_gwp_recomputes_every_co2e_factor_within_rounding(
    edition: str, year: int, gwp: dict[str, Decimal]
) -> None:
    gases = load_gas_table(BYGAS, edition)
    table = load_factor_set(EPA, edition)
    for code in table.codes():
        published = table.value(code, year)
        computed = co2e_from_gases(gases[code], gwp)
        tolerance = _half_ulp(published) + sum(
            (_half_ulp(q) * gwp.get(g, Decimal(1)) for g, q in gases[code].items()),
            Decimal(0),
        )
        assert abs(computed - published) <= tolerance, (code, computed, published)


def test_gwp_methodology_checks() -> None:
    """§2.1: cement 327310 and beef cattle 112111 (AR5); §3.8 A: ready-mix concrete."""
    gases = load_gas_table(BYGAS, "v1.3.0")
    assert co2e_from_gases(gases["327310"], AR5_GWP100).quantize(Decimal("0.01")) == Decimal("3.93")
    beef = co2e_from_gases(gases["112111"], AR5_GWP100)
    assert abs(beef - Decimal("2.893")) < Decimal("0.005")
    concrete = gases["327320"]
    assert concrete["CO2"] == Decimal("0.578") and concrete["CH4"] == Decimal("7.05e-4")
    assert concrete["N2O"] == Decimal("2.12e-5")
    assert concrete["HFCs and PFCs, unspecified"] == Decimal("0.00127")
    assert co2e_from_gases(concrete, AR5_GWP100).quantize(Decimal("0.001")) == Decimal("0.606")


def test_bea_indices() -> None:
    assert available_commodity_price_indices() == ["bea-detail-io17", "bea-summary-io17"]
    detail = load_commodity_price_index("bea-detail-io17")
    summary = load_commodity_price_index("bea-summary-io17")
    assert len(detail.codes()) == 402 and len(summary.codes()) == 71
    assert all(sorted(s) == list(range(1997, 2024)) for s in detail.values.values())
    assert detail.value("327320", 2022) == Decimal("126.100")
    assert detail.value("327320", 2023) == Decimal("139.497")
    assert detail.value("541511", 2022) == Decimal("91.433")
    assert detail.value("541511", 2023) == Decimal("91.653")
    assert detail.value("327320", 2017) == Decimal(100)
    assert summary.value("327", 2017) == Decimal(100)
    assert detail.metadata["base"] == "2017=100"
    with pytest.raises(ReferenceDataError, match="no year 2024"):
        detail.value("327320", 2024)
    with pytest.raises(ReferenceDataError, match="no code"):
        detail.value("999999", 2022)
    with pytest.raises(ReferenceDataError, match="commodity-specific"):
        load_price_index("bea-detail-io17")


def test_gdp_deflator_annual_averages() -> None:
    gdp = load_price_index("us-gdpdef")
    # §3.8 A sensitivity: annual averages 118.012 (2022) and 122.382 (2023).
    assert gdp.value(2022) == Decimal("118.012")
    assert gdp.value(2023) == Decimal("122.382")
    # 2023 by hand: (121.288 + 121.920 + 122.914 + 123.405) / 4 = 122.38175.
    assert min(gdp.values) == 1947 and gdp.last_year == 2025
    assert gdp.metadata["incomplete_years"] == []


def test_annual_means_drops_incomplete_years_and_rounds_half_up() -> None:
    data = (
        b"observation_date,GDPDEF\n"
        b"2000-01-01,1.000\n2000-04-01,1.000\n2000-07-01,1.000\n2000-10-01,1.002\n"
        b"2001-01-01,2.000\n"
    )
    rows, incomplete = bea_price_indices.annual_means(data, "x.csv")
    assert rows == [("2000", "1.001")]  # 1.0005 rounds half-up
    assert incomplete == [2001]


def test_parsers_name_file_line_and_column() -> None:
    header = ",".join(f'"{c}"' for c in epa_supply_chain.SOURCE_COLUMNS)
    good = (
        '111110,"Soybean Farming","All GHGs","kg CO2e/2022 USD, purchaser price",'
        '0.488,0.044,0.532,"1111A0"'
    )
    bad = good.replace("0.044", "x").replace("111110", "111120")
    with pytest.raises(SourceDataError, match=r"f\.csv line 3, column 'Margins of Supply"):
        epa_supply_chain.parse_co2e_csv(f"{header}\n{good}\n{bad}\n".encode(), "f.csv")
    swapped = good.replace("0.488,0.044,0.532", "0.532,0.044,0.488")
    with pytest.raises(SourceDataError, match=r"line 2.*is not"):
        epa_supply_chain.parse_co2e_csv(f"{header}\n{swapped}\n".encode(), "f.csv")
    with pytest.raises(SourceDataError, match="line 1: unexpected header"):
        epa_supply_chain.parse_co2e_csv(b"a,b\n1,2\n", "f.csv")
    with pytest.raises(SourceDataError, match=r"g\.csv line 3, column 'kgco2e_per_unit'"):
        custom.parse_factor_csv(
            b"code,name,year,kgco2e_per_unit\nA,a,2020,1\nB,b,2020,-1\n", "g.csv"
        )
    text = b"# Columns: SIC code|SIC category|2022|2023\n01|Crops|0.5|0.4\n02|Forestry|0.3|oops\n"
    with pytest.raises(SourceDataError, match=r"h\.txt line 3, column '2023'"):
        defra_uk.parse_multiplier_text(text, "h.txt")
