"""Labels that issue 16's page-text check found wrong, each at its source: the reports
page's download link named a bare year ("the EMB 2023 report"), and the upload preview
showed field codes, ISO dates and bare SIC codes ("sic", "2024-06-15", "49410")."""

from __future__ import annotations

from dash_seed_data import DashSeed, SeedUsers

from dashboards.layouts.reports import report_link
from dashboards.layouts.upload import preview_cell


def test_the_report_link_names_the_financial_year(dash_seed: DashSeed, users: SeedUsers) -> None:
    code = dash_seed.alpha.code
    href, text, hidden = report_link(users.viewer(users.alpha_viewer), code, 2023)
    # The seeded authorities' years start in April (tests/factories.py): 2023/24.
    assert text == f"Download the {code} 2023/24 report (.xlsx)"
    assert href and not hidden


def test_preview_cells_read_as_on_the_other_pages() -> None:
    row = {
        "row": 1234,
        "date": "2024-06-15",
        "date_precision": "day",
        "amount": 5400.0,
        "sic": "49410",
        "transaction_id": "100234",
        "supplier": "Browsertest Haulage Ltd",
    }
    assert preview_cell(row, "row", "GBP") == "1,234"
    assert preview_cell(row, "date", "GBP") == "15 Jun 2024"
    assert preview_cell({**row, "date_precision": "month"}, "date", "GBP") == "Jun 2024"
    assert preview_cell(row, "amount", "GBP") == "£5,400.00"
    assert preview_cell(row, "sic", "GBP") == "SIC 49410"
    assert preview_cell(row, "transaction_id", "GBP") == "#100234"
    assert preview_cell(row, "supplier", "GBP") == "Browsertest Haulage Ltd"
    assert preview_cell(row, "description", "GBP") == "–"
