"""The CDP-style Scope 3 rows and sheet names (pure functions)."""

from __future__ import annotations

from decimal import Decimal

from tracker.reports.cdp import CALCULATED, HYBRID, NOT_EVALUATED, SPEND_BASED, cdp_rows
from tracker.reports.cells import sheet_name

D = Decimal


def test_cdp_rows() -> None:
    rows = cdp_rows(
        {1: D(100_000), 2: D(20_000)},
        {1: D(25_000)},
        factor_source="Defra defra-uk-sic (to-2023)",
        period="2023/24",
    )
    assert [r.category for r in rows] == list(range(1, 16))
    one, two = rows[0], rows[1]
    assert (one.status, one.tco2e, one.method, one.supplier_share) == (
        CALCULATED,
        D(100),
        HYBRID,
        D("0.25"),  # 25,000 of 100,000 kg
    )
    assert (two.tco2e, two.method, two.supplier_share) == (D(20), SPEND_BASED, D(0))
    assert "2023/24" in one.explanation and "to-2023" in one.explanation
    assert all(r.status == NOT_EVALUATED and r.tco2e is None for r in rows[2:])


def test_cdp_category_without_emissions_has_no_share() -> None:
    (one, two, *_) = cdp_rows({}, {}, factor_source="x", period="2023")
    assert one.tco2e == 0 and one.supplier_share == 0 and two.tco2e == 0


def test_sheet_names_are_valid() -> None:
    assert sheet_name("Spend: 2023/24 [draft]?") == "Spend  2023 24  draft"
    assert sheet_name("x" * 40) == "x" * 31
    assert sheet_name("'//'") == "Sheet"
