"""The inventory report names a line that carries most of its category's emissions
(tracker.domain.concentration), so that an officer checks it before reporting the year.

Defra "to 2023" factors (as tests/services/test_factor_methods.py): SIC 42110 -> 42.1-2
at 0.26547 kg/£ for 2023. Ten 2023 lines, one of £8,000 and nine of £100: the category is
8,900 x 0.26547 = 2,362.683 kg, the large line 8,000 x 0.26547 = 2,123.76 kg, which is
8,000 / 8,900 = 89.9 % of the category and, the category being the whole year, of the
year. The sentence names the category as the category table does, with the name of
42.1-2 in the Defra / University of Leeds table (factors/data/defra-uk-sic/to-2023/
factors.csv, row "42.1-2,Constructions and construction works for civil engineering,
2023,0.26547"). With nine lines, or with a largest line of £900 among nine of £100
(900 / 1,800 = half, not more), nothing is flagged.

The sentence alone, as in Salford's 2019 (docs/inventory-method.md): category 62 of
1,686,400 kg with a line of 957,875.2 kg (56.8 % of it) in a year of 23,946,880 kg
(957,875.2 / 23,946,880 = 4.0 %), named from the same table's row "62,"Computer
programming, consultancy and related services",2019,0.11635"; a category no factor of
the run names (only supplier-specific lines) is shown by its code alone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tracker.domain.concentration import CategoryTop
from tracker.models import Authority
from tracker.queries.concentration import DominantLine, check_sentence
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
    civil = "Constructions and construction works for civil engineering"
    assert (line["category"], line["category_name"], line["supplier"], line["date"]) == (
        "42.1-2",
        civil,
        "Road Co 0",
        "2023-03-01",
    )
    assert (line["spend"], line["kgco2e"], line["category_kgco2e"]) == (8000.0, 2123.76, 2362.683)
    assert line["check"].endswith(
        f"(Road Co 0, 2023-03-01, £8,000.00): 89.9 % of the 2.4 tCO2e of category 42.1-2 "
        f"({civil}) and 89.9 % of the year's. One payment, or a total row or a misplaced "
        "decimal point?"
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


def test_the_sentence_names_the_category_or_gives_its_code() -> None:
    top = CategoryTop("62", 120, Decimal("1686400"), Decimal("957875.2"))
    line = DominantLine(top, Decimal("23946880"), 1, 12, 4005, "Capita",
                        dt.date(2019, 5, 1), Decimal("8239117.05"))  # fmt: skip
    computing = "Computer programming, consultancy and related services"
    named = check_sentence(replace(line, category_name=computing), "GBP")
    assert named == (
        "Check line 12:4005 (Capita, 2019-05-01, £8,239,117.05): 56.8 % of the 1,686.4 tCO2e "
        f"of category 62 ({computing}) and 4.0 % of the year's. One payment, or a total row "
        "or a misplaced decimal point?"
    )
    assert check_sentence(line, "GBP") == named.replace(f" ({computing})", "")
