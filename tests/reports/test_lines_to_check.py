"""The inventory report names a line that carries most of its category's emissions
(tracker.domain.concentration), so that an officer checks it before reporting the year.

Defra "to 2023" factors (as tests/services/test_factor_methods.py): SIC 42110 -> 42.1-2
at 0.26547 kg/£ for 2023. Ten 2023 lines, one of £8,000 and nine of £100: the category is
8,900 x 0.26547 = 2,362.683 kg, the large line 8,000 x 0.26547 = 2,123.76 kg, which is
8,000 / 8,900 = 89.9 % of the category and, the category being the whole year, of the
year. With nine lines, or with a largest line of £900 among nine of £100 (900 / 1,800 =
half, not more), nothing is flagged.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tracker.models import Authority
from tracker.reports.inventory import build_inventory_report
from tracker.reports.render import render_table
from tracker.reports.workbook import write_inventory_workbook
from tracker.services.authorities import add_authority
from tracker.services.imports import import_spend_file
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.reference import load_shipped_reference_data


def _year(session: Session, tmp_path: Path, amounts: list[str]) -> Authority:
    code = "L" + uuid.uuid4().hex[:7].upper()
    authority = add_authority(session, code=code, name="Lines", fy_start_month=1)
    rows = [f"{1 + i:02d}/03/2023,Road Co {i},{a},T{i},42110" for i, a in enumerate(amounts)]
    path = tmp_path / f"{code}.csv"
    path.write_text("Date,Supplier,Amount,Transaction ID,SIC\n" + "\n".join(rows) + "\n")
    import_spend_file(session, authority=authority, path=path, data_dir=tmp_path / "s")
    ensure_inventory(session, authority=authority, year=2023)
    return authority


def test_a_line_carrying_most_of_its_category_is_named(session: Session, tmp_path: Path) -> None:
    load_shipped_reference_data(session)
    authority = _year(session, tmp_path, ["8000.00"] + ["100.00"] * 9)
    report = build_inventory_report(session, authority=authority, year=2023)
    assert report.total_kgco2e == Decimal("2362.683000")
    [line] = report.as_dict()["lines_to_check"]
    # the file's row 2 (its first data row), as tracker override --row BATCH:ROW names it
    assert line["line"].endswith(":2")
    assert (line["category"], line["supplier"], line["date"]) == (
        "42.1-2",
        "Road Co 0",
        "2023-03-01",
    )
    assert (line["spend"], line["kgco2e"], line["category_kgco2e"]) == (8000.0, 2123.76, 2362.683)
    assert line["check"].endswith(
        "(Road Co 0, 2023-03-01, £8,000.00): 89.9 % of category 42.1-2's 2.4 tCO2e and "
        "89.9 % of the year's. One payment, or a total row or a misplaced decimal point?"
    )
    assert " ".join(line["check"].split()) in " ".join(render_table(report).split())
    # and on the workbook's cover
    out = tmp_path / "inventory.xlsx"
    write_inventory_workbook(session, out, authority=authority, year=2023)
    cover = load_workbook(out, read_only=True).worksheets[0]
    cells = [tuple(row) for row in cover.iter_rows(values_only=True)]
    assert ("Line to check", line["check"]) in [row[:2] for row in cells]


def test_no_line_is_named_in_a_small_or_even_category(session: Session, tmp_path: Path) -> None:
    load_shipped_reference_data(session)
    few = _year(session, tmp_path, ["8000.00"] + ["100.00"] * 8)
    even = _year(session, tmp_path, ["900.00"] + ["100.00"] * 9)
    for authority in (few, even):
        report = build_inventory_report(session, authority=authority, year=2023)
        assert report.dominant_lines == [] and report.as_dict()["lines_to_check"] == []
