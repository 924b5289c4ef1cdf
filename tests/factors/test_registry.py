"""Shipped reference tables: integrity, shape and published spot values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from factors.registry import (
    AMBIGUOUS,
    ReferenceDataError,
    available_factor_sets,
    available_price_indices,
    load_companies_house_sic,
    load_companies_house_sic_rows,
    load_factor_set,
    load_price_index,
    load_sic_crosswalk,
    load_sic_to_defra_table,
    load_trade_crosswalk,
    verify_shipped,
)

# UK SIC 2007 divisions (there are no divisions 04, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89).
_DIVISION_RANGES = [(1, 3), (5, 33), (35, 39), (41, 43), (45, 47), (49, 53), (55, 56)]
_DIVISION_RANGES += [(58, 66), (68, 75), (77, 82), (84, 88), (90, 99)]
SIC2007_DIVISIONS = [f"{d:02d}" for lo, hi in _DIVISION_RANGES for d in range(lo, hi + 1)]


def test_verify_shipped_all_ok() -> None:
    results = verify_shipped()
    assert {r.path for r in results} == {
        "defra-uk-sic/to-2023/factors.csv",
        "defra-uk-sic/to-2022/factors.csv",
        "price-indices/ons-cpi-d7bt/index.csv",
        "crosswalks/companies-house-sic/codes.csv",
        "epa-useeio-naics/v1.3.0/factors.csv",
        "epa-useeio-naics/v1.2/factors.csv",
        "epa-useeio-naics-bygas/v1.3.0/gases.csv",
        "epa-useeio-naics-bygas/v1.2/gases.csv",
        "price-indices/bea-detail-io17/index.csv",
        "price-indices/bea-summary-io17/index.csv",
        "price-indices/us-gdpdef/index.csv",
    }
    assert all(r.ok for r in results), [r for r in results if not r.ok]


def test_available_sets() -> None:
    assert available_factor_sets() == [
        ("defra-uk-sic", "to-2022"),
        ("defra-uk-sic", "to-2023"),
        ("epa-useeio-naics", "v1.2"),
        ("epa-useeio-naics", "v1.3.0"),
    ]
    # Economy-wide only: the loader stores these with code "".
    assert available_price_indices() == ["ons-cpi-d7bt", "us-gdpdef"]


def test_to_2023_shape_and_metadata() -> None:
    table = load_factor_set("defra-uk-sic", "to-2023")
    assert len(table.codes()) == 112
    assert table.years() == list(range(2015, 2024))
    assert len(table.rows) == 112 * 9
    meta = table.metadata
    assert meta["unit"] == "kgCO2e per GBP"
    assert meta["currency"] == "GBP"
    assert meta["price_basis"] == "basic prices of each year, excluding VAT"
    assert meta["gwp"] is None and meta["gwp_note"]
    assert meta["licence"] == "Open Government Licence v3.0"
    assert meta["source_url"].startswith("https://assets.publishing.service.gov.uk/")
    assert meta["original_sha256"].startswith("f694d0e5")
    assert meta["code_changes"] == {"10.2 -3": "10.2-3"}
    assert {"1", "7", "10.2-3", "20A", "65.3", "68.2IMP"} <= set(table.codes())


def test_to_2022_shape() -> None:
    table = load_factor_set("defra-uk-sic", "to-2022")
    assert len(table.codes()) == 110
    assert table.years() == [2022]
    # the to-2023 edition adds metal ores (7) and pension funding (65.3)
    newer = set(load_factor_set("defra-uk-sic", "to-2023").codes())
    assert newer - set(table.codes()) == {"7", "65.3"}


def test_published_spot_values() -> None:
    # shared/docs/methodology.md §3.8 B, rows of uk-spend-multipliers-sic-2015-2023.txt:
    #   42.1-2|Constructions and construction works for civil engineering|…|0.311372|0.26547
    #   70|Services of head offices; management consulting services|…|0.0889489|0.0811877
    t23 = load_factor_set("defra-uk-sic", "to-2023")
    assert t23.value("42.1-2", 2023) == Decimal("0.26547")
    assert t23.value("70", 2023) == Decimal("0.0811877")
    assert t23.value("42.1-2", 2022) == Decimal("0.311372")
    assert t23.value("7", 2016) == Decimal("0")
    assert t23.value("7", 2015) == Decimal("7.93357e-15")
    # eeio-factors-by-sic-2022.csv: 42.1-2,...,0.32603907003604038 (0.32604 in §3.8 B)
    t22 = load_factor_set("defra-uk-sic", "to-2022")
    assert t22.value("42.1-2", 2022) == Decimal("0.32603907003604038")
    assert round(t22.value("42.1-2", 2022), 5) == Decimal("0.32604")
    assert t22.value("1", 2022) == Decimal("2.6330286175752748")


def test_cpi_values() -> None:
    # ons_cpi_index_series.csv annual rows "2023","130.5" and "2025","138.4"
    cpi = load_price_index("ons-cpi-d7bt")
    assert cpi.value(2023) == Decimal("130.5")
    assert cpi.value(2025) == Decimal("138.4")
    assert cpi.value(2015) == Decimal("100.0")
    assert min(cpi.values) == 1988 and cpi.last_year == 2025
    assert len(cpi.values) == 38
    assert cpi.metadata["release_date"] == "2026-03-25"
    assert cpi.metadata["base"] == "2015=100"


def test_errors_name_the_choices() -> None:
    with pytest.raises(ReferenceDataError, match="available: defra-uk-sic"):
        load_factor_set("epa", "v1.3")
    with pytest.raises(ReferenceDataError, match="editions: to-2022, to-2023"):
        load_factor_set("defra-uk-sic", "to-2021")
    with pytest.raises(ReferenceDataError, match="available: ons-cpi-d7bt"):
        load_price_index("cpih")
    table = load_factor_set("defra-uk-sic", "to-2022")
    with pytest.raises(ReferenceDataError, match="valid years: 2022"):
        table.value("42.1-2", 2023)
    with pytest.raises(ReferenceDataError, match="valid codes: 1, 2, 3"):
        table.value("65.3", 2022)
    with pytest.raises(ReferenceDataError, match="1988–2025"):
        load_price_index("ons-cpi-d7bt").value(2026)


def test_companies_house_codes() -> None:
    ch = load_companies_house_sic()
    assert ch["2400"] == ("02400", "SIC2007")
    assert ch["9305"] == ("9305", "SIC2003")
    assert ch["1260"] == ("01260", "SIC2007")
    assert ch["2743"] == ("2743", "SIC2003")
    assert ch["43991"] == ("43991", "SIC2007")
    assert ch["1110"] == ("01110|1110", AMBIGUOUS)
    assert "0" not in ch
    rows = load_companies_house_sic_rows()
    assert len(rows) == 1177
    assert sum(1 for c in ch.values() if c[1] == AMBIGUOUS) == 8


def test_crosswalk_targets_exist_and_cover_all_groups() -> None:
    table = load_sic_to_defra_table()
    groups = set(load_factor_set("defra-uk-sic", "to-2023").codes())
    targets = {e.defra_group for e in table.values() if e.defra_group is not None}
    assert targets <= groups
    # every Defra group is reachable from some SIC code, except imputed rent
    assert groups - targets == {"68.2IMP"}


def test_resolver_crosswalk_never_targets_trade_margins() -> None:
    # Policy 2026.1 §5: wholesale and retail resolve through the trade table, so the
    # resolver's crosswalk no longer reaches 46 or 47 (the artefact groups 7, 24.4-5 and
    # 65.3 stay in the table, flagged, and the resolver refuses them).
    crosswalk = load_sic_crosswalk()
    groups = set(load_factor_set("defra-uk-sic", "to-2023").codes())
    targets = {e.defra_group for e in crosswalk.values() if e.defra_group is not None}
    assert targets <= groups
    assert groups - targets == {"68.2IMP", "46", "47"}
    trade = {p: e for p, e in crosswalk.items() if p[:2] in {"46", "47"}}
    assert trade == dict(load_trade_crosswalk())
    assert crosswalk["45"].defra_group == "45"  # motor trade is a real service group


def test_crosswalk_has_every_division() -> None:
    table = load_sic_to_defra_table()
    assert len(SIC2007_DIVISIONS) == 88
    missing = [d for d in SIC2007_DIVISIONS if d not in table]
    assert missing == []
    unmapped = sorted(p for p, e in table.items() if e.defra_group is None)
    assert unmapped == ["98", "99"]
    assert [d for d in SIC2007_DIVISIONS if d not in load_sic_crosswalk()] == []


def test_crosswalk_artefact_flags() -> None:
    crosswalk = load_sic_to_defra_table()
    flagged = {p: e.defra_group for p, e in crosswalk.items() if e.note == "artefact"}
    assert flagged == {
        "07": "7",
        "46": "46",
        "47": "47",
        "24.4": "24.4-5",
        "24.5": "24.4-5",
        "65.3": "65.3",
    }
    assert {e.note for e in crosswalk.values()} == {"", "artefact"}
