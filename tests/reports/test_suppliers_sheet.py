"""The workbook's Suppliers sheet, from factories.seed_group's authority A (hand-worked in
tests/dashboards/test_suppliers_page.py): with Shared Coaches' Carbon Reduction Plan from
1 June 2023, 2022/23 has no spend with a plan and 2023/24 £9,000 of £10,000 (90%), 1.8 of
2.3 t (78.3%). A £20m contract over four years (£6m a year with VAT) with A Catering, which
has no plan, is above PPN 006's threshold; a formula-like title is stored as text. A
£4.2m contract with no start date is over the threshold in total (£4.2m × 1.2 = £5.04m
incl. VAT > £5m) but has no period to annualise over: counted as not assessed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from contract_factories import make_contract
from factories import seed_group
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session

from tracker.models import Supplier
from tracker.reports.cells import Sheet
from tracker.reports.suppliers_sheet import WIDTHS, write_supplier_kpis
from tracker.services.suppliers.kpis import kpi_rows, not_assessed_contracts, unplanned_contracts
from tracker.services.suppliers.maintenance import add_commitment


def test_suppliers_sheet(session: Session) -> None:
    seed = seed_group(session)
    add_commitment(session, supplier=session.get_one(Supplier, seed.suppliers["Shared Coaches"]),
                   kind="carbon-reduction-plan", made_on=dt.date(2023, 6, 1),
                   source_url="https://example.org/crp", actor="admin")  # fmt: skip
    make_contract(session, authority_id=seed.a.id, supplier="A Catering",
                  supplier_id=seed.suppliers["A Catering"], start=dt.date(2025, 4, 1),
                  end=dt.date(2029, 3, 31), value="20000000", title='=HYPERLINK("x")')  # fmt: skip
    make_contract(session, authority_id=seed.a.id, supplier="A Catering",
                  supplier_id=seed.suppliers["A Catering"], start=None,
                  end=dt.date(2027, 3, 31), value="4200000")  # fmt: skip
    today = dt.date(2026, 1, 1)
    wb = Workbook(write_only=True)
    write_supplier_kpis(
        Sheet(wb, "Suppliers", WIDTHS),
        kpi_rows(session, [seed.a.id], group=False),
        unplanned_contracts(session, [seed.a.id], today=today),
        not_assessed_contracts(session, [seed.a.id], today=today),
    )
    out = io.BytesIO()
    wb.save(out)
    rows = list(load_workbook(out)["Suppliers"].iter_rows(values_only=True))
    by_year = {r[0]: r for r in rows if r[0] in ("2022/23", "2023/24")}
    assert by_year["2022/23"][1:4] == (10_000, 0, 0)
    year = by_year["2023/24"]
    assert year[1:4] == (10_000, 9_000, 0.9)
    assert year[4:7] == (pytest.approx(2.3), pytest.approx(1.8), pytest.approx(1800 / 2300))
    contract = next(r for r in rows if r[1] == "A Catering")
    assert contract[0] == '\'=HYPERLINK("x")' and contract[2:4] == (20_000_000, 6_000_000)
    assert rows[-1] == (
        "1 contract over £5m in total (incl. VAT) has no dates to annualise (a date missing, "
        "or ending before it starts): not assessed.",
    ) + (None,) * (len(rows[-1]) - 1)
