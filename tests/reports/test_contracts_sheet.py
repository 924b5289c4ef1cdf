"""The workbook's Contracts sheet: figures as the contract service gives them (worked by
hand in tests/services/contracts/test_contract_linking.py) and text from published files
stored as inert text, never a formula."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from contract_factories import make_contract
from factories import Line, make_authority, make_run
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session

from tracker.reports.cells import Sheet
from tracker.reports.contracts_sheet import HEAD, write_contracts
from tracker.services.contracts.figures import authority_contracts
from tracker.services.contracts.linking import link_authority
from tracker.services.reference import load_shipped_reference_data

D = dt.date


def test_contracts_sheet(session: Session) -> None:
    load_shipped_reference_data(session)
    a = make_authority(session)
    suppliers: dict[str, int] = {}
    make_run(session, authority=a, fy_year=2022, supplier_ids=suppliers,
             lines=[Line("Binco Ltd", "10000.00", "12856.4")])  # fmt: skip
    make_contract(session, authority_id=a.id, supplier="Binco Ltd", title='=HYPERLINK("http://x")',
                  supplier_id=suppliers["Binco Ltd"], start=D(2022, 4, 1), end=D(2025, 3, 31),
                  value="3000000")  # fmt: skip
    link_authority(session, authority_id=a.id)
    wb = Workbook(write_only=True)
    write_contracts(Sheet(wb, "Contracts"), authority_contracts(session, a, today=D(2024, 4, 1)))
    out = io.BytesIO()
    wb.save(out)
    ws = load_workbook(io.BytesIO(out.getvalue()))["Contracts"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[3] == HEAD
    row = dict(zip(HEAD, rows[4], strict=True))
    assert row["Contract"] == '\'=HYPERLINK("http://x")'  # inert text
    assert ws.cell(row=5, column=1).data_type == "s"
    assert row["Suppliers"] == "Binco Ltd"
    assert row["Category"].startswith("Waste collection")
    assert row["Value"] == 3_000_000 and row["Spend to date"] == 10_000
    assert row["Payments"] == 1
    assert row["tCO2e to date"] == float(Decimal("12.8564"))
    # (3,000,000 - 10,000) × 1.28564 = 3,844,063.6 kg
    assert row["Remaining value"] == 2_990_000
    assert row["tCO2e remaining"] == float(Decimal("3844.0636"))
