"""The page-text checker itself (tests/browser/page_text.py), on strings that must pass and
strings that must fail: the examples are the ones issue 16 found on the pages ("FY 2024",
"5400.0", "defra-uk-sic to-2023", "matched (ons-cpi-d7bt)", "excluded / library / mapped /
sic / unmapped", "2,994.230", "100.000") and the project's own formats
(dashboards.format, tracker.domain.vocabulary). No browser is needed."""

from __future__ import annotations

import pytest

from tests.browser.page_text import AMOUNT, RAW_CODE, YEAR, check_page, violations

GOOD = [
    # Money, tonnes, percentages and intensities as dashboards.format writes them.
    "Spend (net of VAT) £9.5m; £27,324 not matched; £176,945 out of scope",
    "£5,400.00 on 15/06/2024",
    "2,794 tCO2e; 95% range 2,706 tCO2e to 2,882 tCO2e; 9.8 tCO2e at stake",
    "In-scope spend matched 99.7%; share 100%; −6% against 2022/23; +12%",
    "Intensity 0.293 kgCO2e/£ per £ of total spend; 0.214 kgCO2e per £",
    "Group 16.4 kgCO2e; 0.013 kgCO2e per resident; 597,000 residents; 1,008 factors",
    "Lines 1–25 of 813.",
    # Financial years as labels, and calendar dates and years.
    "Emissions 2023/24; by 2030/31 from the 2022/23 baseline; year starting in 2023",
    "Inventory run 2, calculated 06 December 2026. Paid 2024-06-15 at 14:05.",
    "June 2024; 15 Jun 2024; 15 June 2024",
    "Defra multipliers 1997 to 2023 (years 2015-2023), data year 2023, data years 2022–2023",
    "SIC 2007 product group; NAICS 2017 (6-digit); kg CO2e per 2021 USD",
    "2015–2023 (9 years); the calendar year 2024",
    # Human names of codes.
    "supplier's SIC code 42110; description (rule library) R075; not classified",
    "Defra UK spend factors by SIC, edition to 2023; UK CPI (ONS series D7BT)",
    "classified, low confidence; on a straight-line pathway; excluded (out of scope)",
    # Identifiers named as such, versions, e-mail addresses and file names.
    "SIC 49410; row 1234; batch 1021; #1021; Open Government Licence v3.0; v1.3.0",
    "sha256 0000000000000000…",
    "officer_one@council.gov.uk; uk-spend-multipliers-sic-2015-2023.txt",
    "eeio-factors-by-sic-2022.csv; SupplyChainGHGEmissionFactors_v1.2_NAICS.csv",
]


@pytest.mark.parametrize("text", GOOD)
def test_text_in_the_projects_formats_passes(text: str) -> None:
    assert violations(text) == []


BAD = [
    # Raw codes.
    ("excluded library £176,945 17", RAW_CODE, "library"),
    ("mapped sic £9.3m 813", RAW_CODE, "mapped"),
    ("mapped sic £9.3m 813", RAW_CODE, "sic"),
    ("unmapped – £27,324", RAW_CODE, "unmapped"),
    ("(defra-uk-sic, edition to-2023, data year 2023)", RAW_CODE, "defra-uk-sic"),
    ("(defra-uk-sic, edition to-2023, data year 2023)", RAW_CODE, "to-2023"),
    ("epa-useeio-naics v1.3.0", RAW_CODE, "epa-useeio-naics"),
    ("Price year: matched (ons-cpi-d7bt)", RAW_CODE, "matched (ons-cpi-d7bt)"),
    ("Price year: ons-cpi-d7bt", RAW_CODE, "ons-cpi-d7bt"),
    ("Pathway: linear", RAW_CODE, "linear"),
    ("Pathway: sbti", RAW_CODE, "sbti"),
    ("Reason energy_own", RAW_CODE, "energy_own"),
    ("decided by naics 541511", RAW_CODE, "naics"),
    # Unformatted amounts.
    ("Amount 5400.0", AMOUNT, "5400.0"),
    ("Amount 5400", AMOUNT, "5400"),
    ("Amount 12000.00", AMOUNT, "12000.00"),
    ("2994.230 tCO2e", AMOUNT, "2994.230"),
    ("2,994.230 tCO2e", AMOUNT, "2,994.230"),
    ("axis 100.000", AMOUNT, "100.000"),
    ("share 0.8734", AMOUNT, "0.8734"),
    ("bar 0.307", AMOUNT, "0.307"),
    ("12.345 kgCO2e", AMOUNT, "12.345"),
    ("0.2145 kgCO2e/£", AMOUNT, "0.2145"),
    ("tiny 1e-05", AMOUNT, "1e-05"),
    ("wrong 12,34", AMOUNT, "12,34"),
    ("£1234567", AMOUNT, "1234567"),
    ("12.0 tCO2e of 45.0", AMOUNT, "45.0"),
    ("moved by 1.0523: an estimate", AMOUNT, "1.0523"),
    ("its average factor, 1.3710 kgCO2e per GBP", AMOUNT, "1.3710"),
    # Second year formats.
    ("Emissions FY 2024", YEAR, "FY 2024"),
    ("FY2024/25", YEAR, "FY2024/25"),
    ("Emissions 2024-25", YEAR, "2024-25"),
    ("Emissions 2024–25", YEAR, "2024–25"),
    ("Emissions 2024/2025", YEAR, "2024/2025"),
    ("Emissions 2024/26", YEAR, "2024/26"),
    ("Financial years 2019, 2020", YEAR, "Financial years 2019, 2020"),
    ("in the financial year 2024.", YEAR, "financial year 2024"),
    ("Year: 2023", YEAR, "Year: 2023"),
    ("Download the EMB 2023 report (.xlsx)", YEAR, "2023 report"),
    ("2,794 tCO2e in 2023", YEAR, "tCO2e in 2023"),
]


@pytest.mark.parametrize(("text", "kind", "found"), BAD)
def test_each_fault_is_named(text: str, kind: str, found: str) -> None:
    assert (kind, found) in [(v.kind, v.found) for v in violations(text)], violations(text)


def test_a_good_amount_beside_a_date_is_not_read_as_a_bad_one() -> None:
    # The date's digits are not an amount (2024) nor a year label (06/2024).
    assert violations("15/06/2024 Browsertest Haulage Ltd £12,000.00 Freight") == []


def test_the_failure_names_page_role_and_text() -> None:
    with pytest.raises(AssertionError) as failed:
        check_page("Amount 5400.0 by defra-uk-sic in FY 2024", page="/upload", role="officer")
    message = str(failed.value)
    assert message.startswith("/upload as officer: 3 problem(s)")
    for found in ("'5400.0'", "'defra-uk-sic'", "'FY 2024'"):
        assert found in message
    check_page("£5,400.00 in 2024/25", page="/upload", role="officer")  # passes
