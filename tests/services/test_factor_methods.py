"""Factor sets, editions, price-year policies, currencies and supplier factors, end to end.

Expected values are worked out by hand from the published tables:
- EPA v1.3.0 (kgCO2e per 2022 USD, with margins): 327320 ready-mix concrete 0.606,
  541511 custom programming 0.084; BEA detail indices (2017=100) 327320 2022 126.100,
  2023 139.497; 541511 2022 91.433, 2023 91.653 (methodology.md §3.8 A: 273.9 t, 167.6 t).
- Defra to-2023: 42.1-2 2022 0.311372, 2023 0.26547; to-2022 edition 42.1-2 2022
  0.32603907…; UK CPI D7BT 2022 121.7, 2023 130.5 (methodology.md §3.8 B).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from cli_helpers import TrackerCli

US_SPEND = (
    "Check/Payment Date,Vendor Name,Invoice Net Amt,NAICS\n"
    "6/15/2023,Valley Ready Mix Inc,500000.00,327320\n"
    "7/20/2023,Desert Code Works LLC,2000000.00,541511\n"
)
UK_2023 = "Payment Date,Supplier Name,Amount,SIC code\n15/06/2023,Road Co,250000.00,42110\n"
UK_2022 = "Payment Date,Supplier Name,Amount,SIC code\n15/06/2022,Road Co,250000.00,42110\n"


def _add(tracker: TrackerCli, *args: str) -> str:
    code = "F" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Factor Test", *args)
    return code


def _import(tracker: TrackerCli, tmp_path: Path, code: str, text: str) -> None:
    path = tmp_path / f"{uuid.uuid4().hex}.csv"
    path.write_text(text, encoding="utf-8")
    tracker.run("import", str(path), "--authority", code)


def _inventory(tracker: TrackerCli, code: str, year: int) -> dict:  # type: ignore[type-arg]
    return tracker.json(  # type: ignore[no-any-return]
        "inventory", "--authority", code, "--year", str(year), "--format", "json"
    )


def test_us_authority_uses_epa_with_commodity_price_indices(
    tracker: TrackerCli, tmp_path: Path
) -> None:
    code = _add(tracker, "--country", "US", "--currency", "USD", "--fy-start-month", "7")
    _import(tracker, tmp_path, code, US_SPEND)
    inv = _inventory(tracker, code, 2022)  # FY 2022 = July 2022 to June 2023
    inv2 = _inventory(tracker, code, 2023)
    assert inv["factor_set"]["source"] == "epa-useeio-naics"
    assert inv["factor_set"]["edition"] == "v1.3.0"
    concrete = {c["code"]: c for c in inv["by_category"]}["327320"]
    software = {c["code"]: c for c in inv2["by_category"]}["541511"]
    # 500,000 × 126.100/139.497 × 0.606 = 273,900.5 kg; 2,000,000 × 91.433/91.653 × 0.084
    # = 167,596.8 kg
    assert concrete["kgco2e"] == pytest.approx(500_000 * 126.100 / 139.497 * 0.606, abs=0.01)
    assert round(concrete["kgco2e"] / 1000, 1) == 273.9
    assert software["kgco2e"] == pytest.approx(2_000_000 * 91.433 / 91.653 * 0.084, abs=0.01)
    assert round(software["kgco2e"] / 1000, 1) == 167.6


def test_fixed_vintage_and_edition_change(tracker: TrackerCli, tmp_path: Path) -> None:
    code = _add(tracker)
    _import(tracker, tmp_path, code, UK_2023)
    _import(tracker, tmp_path, code, UK_2022)
    assert _inventory(tracker, code, 2023)["total_kgco2e"] == pytest.approx(250_000 * 0.26547)
    tracker.run("authority", "set", code, "--price-year-policy", "fixed", "--vintage", "2022")
    fixed = _inventory(tracker, code, 2023)
    assert fixed["price_year_policy"] == "fixed:2022"
    # 2023 spend deflated to 2022 £: 250,000 × 121.7/130.5 × 0.311372 = 72,593.6 kg
    assert fixed["total_kgco2e"] == pytest.approx(250_000 * 121.7 / 130.5 * 0.311372, abs=0.01)
    tracker.run("authority", "set", code, "--edition", "to-2022")
    older = _inventory(tracker, code, 2022)
    assert older["factor_set"]["edition"] == "to-2022"
    # to-2022 edition, 2022 factor for 42.1-2: 250,000 × 0.32603907003604038 = 81,509.77 kg
    assert older["total_kgco2e"] == pytest.approx(81_509.767509, abs=0.001)


def test_bad_vintage_is_explained(tracker: TrackerCli) -> None:
    code = _add(tracker)
    result = tracker.run(
        "authority", "set", code, "--price-year-policy", "fixed", "--vintage", "2030", ok=False
    )
    assert result.exit_code == 2 and "2015, 2016" in result.output


def test_foreign_currency_needs_a_loaded_rate(tracker: TrackerCli, tmp_path: Path) -> None:
    code = _add(tracker, "--currency", "GBP")
    tracker.run("authority", "set", code, "--factor-set", "epa-useeio-naics", "--edition", "v1.3.0")
    _import(tracker, tmp_path, code, "Date,Supplier,Amount,NAICS\n01/05/2022,Soft Co,1000,541511\n")
    missing = tracker.run("inventory", "--authority", code, "--year", "2022", ok=False)
    assert missing.exit_code == 2
    assert "No GBP→USD exchange rate for 2022" in missing.output
    rates = tmp_path / "rates.csv"
    rates.write_text("year,base,quote,rate,source\n2022,GBP,USD,1.2369,test rate\n")
    tracker.run("rates", "load", str(rates))
    inv = _inventory(tracker, code, 2022)
    # £1,000 × 1.2369 $/£ = $1,236.90 of 2022, the factor's own dollar year: × 0.084
    assert inv["total_kgco2e"] == pytest.approx(1236.9 * 0.084, abs=1e-6)


def test_bad_rates_file_names_row_and_column(tracker: TrackerCli, tmp_path: Path) -> None:
    rates = tmp_path / "rates.csv"
    rates.write_text("year,base,quote,rate,source\n2022,GBP,USD,abc,x\n")
    result = tracker.run("rates", "load", str(rates), ok=False)
    assert result.exit_code == 2 and "row 2, column 'rate'" in result.output


def test_supplier_specific_factor_overrides_the_sector(tracker: TrackerCli, tmp_path: Path) -> None:
    code = _add(tracker)
    # A supplier of its own: shared supplier factors apply to every authority buying from it.
    supplier = f"Road Co {uuid.uuid4().hex[:6]}"
    _import(tracker, tmp_path, code, UK_2023.replace("Road Co", supplier))
    tracker.run(
        "supplier-factor", "add", supplier, "--kgco2e-per-unit", "0.1", "--year", "2023",
        "--evidence", "https://example.org/road-co-2023.pdf",
    )  # fmt: skip
    inv = _inventory(tracker, code, 2023)
    # 250,000 × 0.1 (supplier's own 2023 intensity, same year: no deflation)
    assert inv["total_kgco2e"] == pytest.approx(25_000.0)
    assert {c["code"] for c in inv["by_category"]} == {"42.1-2"}
