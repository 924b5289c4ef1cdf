"""The inventory workbook and CSV exports, end to end through the CLI (SQLite and PostgreSQL).

Expected figures are worked out by hand from the Defra "to 2023" multipliers for 2023
(shared/docs/methodology.md §3.8 B): SIC 42110 → group 42.1-2 at 0.26547 kgCO2e/£ and
SIC 70229 → group 70 at 0.0811877 kgCO2e/£; spend in 2023 needs no deflation. So
£250,000 of road works is 66,367.5 kg and £120,000 of consultancy is 9,742.524 kg; the
grant (£500) is excluded and the "Misc" line (£100) unclassified: 76,110.024 kg in all.

Each line's data-quality scores are 3,1,1,2,3 (a SIC class match, factor year = spend
year, UK factors, economy-wide data, modelled), so a one-line category has σ = kg·s with
s = sqrt(exp(σ_ln²) − 1), σ_ln = ½·sqrt(ln²1.5 + ln²1.20 + ln²1.02 + ln²1.10)
(tracker.domain.uncertainty; pedigree factors from the ecoinvent v3 table). Lines are
independent, so the year's σ is s·sqrt(66,367.5² + 9,742.524²).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import shutil
import subprocess
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from cli_helpers import TrackerCli
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.access import AccessDenied, Viewer
from tracker.db import make_engine
from tracker.models import Authority
from tracker.reports.compare import comparison_workbook, write_comparison_workbook
from tracker.reports.workbook import inventory_workbook

ROADS_KG = 250_000 * 0.26547  # 66,367.5
ADVICE_KG = 120_000 * 0.0811877  # 9,742.524
TOTAL_KG = ROADS_KG + ADVICE_KG  # 76,110.024
TOTAL_SPEND = 250_000 + 120_000 + 500 + 100
S_31123 = math.sqrt(
    math.exp((0.5 * math.sqrt(sum(math.log(u) ** 2 for u in (1.5, 1.20, 1.02, 1.10)))) ** 2) - 1
)
TOTAL_SIGMA = S_31123 * math.sqrt(ROADS_KG**2 + ADVICE_KG**2)
EVIL_SUPPLIER = '=HYPERLINK("http://evil.example","x")'
EVIL_DESCRIPTION = "=cmd|' /C calc'!A0"

CSV_2023 = (
    "Payment Date,Supplier Name,Amount,Expense Type,SIC code,Description,Cost Centre\n"
    '15/06/2023,Greystone Roadworks Ltd,"£250,000.00",Highways,42110,Resurfacing,Highways\n'
    '20/07/2023,Meridian Advisory Ltd,"120,000.00",Consultancy,70229,"'
    + EVIL_DESCRIPTION
    + '",Corporate\n'
    "01/08/2023,Sundry Payee,500.00,Grants,,Community grant,Communities\n"
    '02/08/2023,"=HYPERLINK(""http://evil.example"",""x"")",100.00,Misc,,@SUM(1+1),\n'
)
CSV_2022 = (
    "Payment Date,Supplier Name,Amount,SIC code,Cost Centre\n"
    "10/05/2022,Greystone Roadworks Ltd,300000.00,42110,Highways\n"
)


def _import(tracker: TrackerCli, tmp_path: Path, code: str, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    tracker.run("import", str(path), "--authority", code)


@pytest.fixture
def authority(tracker: TrackerCli, tmp_path: Path) -> str:
    code = "R" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", code, "--name", "Report Borough", "--population", "100000")
    _import(tracker, tmp_path, code, "spend-2022.csv", CSV_2022)
    _import(tracker, tmp_path, code, "spend-2023.csv", CSV_2023)
    tracker.run(
        "target",
        "set",
        "--authority",
        code,
        "--baseline-year",
        "2022",
        "--target-year",
        "2030",
        "--reduction",
        "50",
    )
    tracker.run("lock", "--authority", code, "--year", "2022", "--reason", "published")
    tracker.run("restate", "--authority", code, "--year", "2022", "--reason", "checked again")
    return code


def _rows(ws: Worksheet) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(values_only=True))


def _find(ws: Worksheet, first: str) -> tuple[Any, ...]:
    return next(r for r in _rows(ws) if r and isinstance(r[0], str) and r[0].startswith(first))


def _table(ws: Worksheet, header_first: str) -> tuple[dict[str, int], list[tuple[Any, ...]]]:
    """The table whose header row starts with ``header_first``, up to a blank row."""
    rows = _rows(ws)
    start = next(i for i, r in enumerate(rows) if r and r[0] == header_first)
    header = {name: i for i, name in enumerate(rows[start]) if name}
    body = []
    for r in rows[start + 1 :]:
        if not r or all(v is None for v in r):
            break
        body.append(r)
    return header, body


def test_every_sheet_adds_up_to_the_inventory(
    tracker: TrackerCli, authority: str, tmp_path: Path
) -> None:
    code = authority
    inv = tracker.json("inventory", "--authority", code, "--year", "2023", "--format", "json")
    assert inv["total_kgco2e"] == pytest.approx(TOTAL_KG)
    kg_2022 = tracker.json("inventory", "--authority", code, "--year", "2022", "--format", "json")[
        "total_kgco2e"
    ]
    out = tmp_path / "report.xlsx"
    tracker.run("report", "--authority", code, "--year", "2023", "--out", str(out))
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "Cover",
        "Summary",
        "By category",
        "By supplier",
        "By department",
        "Data quality",
        "Methodology",
        "Trend",
        "CDP Scope 3",
        "Restatements",
        "Contracts",
        "Suppliers",
        "Lines",
    ]
    t = TOTAL_KG / 1000
    low, high = (v / 1000 for v in inv["uncertainty"]["range95_kgco2e"])

    cover = {r[0]: r[1] for r in _rows(wb["Cover"]) if r and r[0]}
    assert cover["Authority"] == f"Report Borough ({code})"
    # In words, not the stored code "defra-uk-sic to-2023" (issue 16: no raw codes; this
    # asserted the code before).
    assert cover["Factor set and edition"] == "Defra UK spend factors by SIC, edition to 2023"
    assert cover["Inventory version"] == 1
    assert cover["Period start"].date().isoformat() == "2023-04-01"
    assert wb["Cover"]["B5"].is_date  # period start

    summary = wb["Summary"]
    assert _find(summary, "Total emissions (tCO2e)")[1] == pytest.approx(t)
    assert _find(summary, "95% range, low")[1] == pytest.approx(low)
    assert _find(summary, "95% range, high")[1] == pytest.approx(high)
    assert _find(summary, "Total spend")[1] == pytest.approx(TOTAL_SPEND)
    assert _find(summary, "1 Purchased goods")[1] == pytest.approx(t)
    # 2023/24 (lines in June to August) and 2022/23 (May) are part years: no change is
    # stated between them, nor against the baseline (issue 16; this asserted a change
    # before). test_a_change_is_stated_between_whole_years confirms them complete.
    assert _find(summary, "Against the previous year, 2022/23")[1] == (
        "not compared: 2023/24 (3 of 12 months) and 2022/23 (1 of 12 months) are part "
        "years, whose total counts only the months with spend lines; a change would "
        "measure the missing months, not emissions"
    )
    assert _find(summary, "Against the baseline (target baseline 2022/23)")[1].startswith(
        "not compared: 2023/24 (3 of 12 months) is a part year, whose total"
    )
    assert _find(summary, "Pathway")[1] == "straight-line pathway"
    assert _find(summary, "Target year")[1] == "2030/31"
    # Linear pathway from the 2022 baseline to −50 % in 2030: 2023 is 1/8 of the way.
    assert _find(summary, "Pathway in 2023/24")[1] == pytest.approx(kg_2022 * 0.9375 / 1000)
    target = _find(summary, "Target")[1]
    assert target.startswith("−50 % by 2030/31 from the 2022/23 baseline of ")
    assert target.endswith(" tCO2e, on a straight-line pathway")
    # 2023/24's lines cover June to August only: a part year has no status.
    assert _find(summary, "Months covered")[1] == (
        "3 of 12 months (part year: no status until complete)"
    )
    assert _find(summary, "Status in 2023/24")[1] == (
        "2023/24 is a part year (3 of 12 months): no status until the year is complete."
    )
    assert _find(summary, "Status rule")[1].startswith("On track: at or below the target")

    header, body = _table(wb["By category"], "Code")
    by_code = {r[0]: r for r in body}
    assert by_code["42.1-2"][header["tCO2e"]] == pytest.approx(ROADS_KG / 1000)
    assert by_code["70"][header["tCO2e"]] == pytest.approx(ADVICE_KG / 1000)
    roads_sigma = ROADS_KG * S_31123 / 1000
    assert by_code["42.1-2"][header["95% low"]] == pytest.approx(
        ROADS_KG / 1000 - 1.96 * roads_sigma
    )
    assert by_code["42.1-2"][header["95% high"]] == pytest.approx(
        ROADS_KG / 1000 + 1.96 * roads_sigma
    )
    assert by_code["42.1-2"][header["Technology"]] == 3
    assert by_code["42.1-2"][header["DQ mean"]] == pytest.approx(2.0)  # (3+1+1+2+3)/5
    by_name = {r[1]: r for r in body}
    assert by_name["Unmapped"][header["Spend (GBP)"]] == pytest.approx(100)
    total = by_name["Total"]
    assert total[header["tCO2e"]] == pytest.approx(t)
    assert total[header["95% high"]] == pytest.approx(high)
    categories = [r for r in body if r[1] != "Total"]
    assert sum(r[header["tCO2e"]] for r in categories) == pytest.approx(t)
    assert sum(r[header["Spend (GBP)"]] for r in categories) == pytest.approx(TOTAL_SPEND - 500)

    header, body = _table(wb["By supplier"], "Supplier")
    assert body[0][0] == "Greystone Roadworks Ltd"
    assert body[0][header["tCO2e"]] == pytest.approx(ROADS_KG / 1000)
    assert body[-1][0] == "Total" and body[-1][header["tCO2e"]] == pytest.approx(t)
    assert body[-1][header["Spend (GBP)"]] == pytest.approx(TOTAL_SPEND)

    header, body = _table(wb["By department"], "Department (cost centre)")
    dept = {r[0]: r for r in body}
    assert dept["Highways"][header["tCO2e"]] == pytest.approx(ROADS_KG / 1000)
    assert dept["Corporate"][header["tCO2e"]] == pytest.approx(ADVICE_KG / 1000)
    assert dept["Communities"][header["of which excluded"]] == pytest.approx(500)
    assert dept["Communities"][header["tCO2e"]] == 0
    assert dept["(none)"][header["Spend (GBP)"]] == pytest.approx(100)
    assert dept["Total"][header["tCO2e"]] == pytest.approx(t)
    assert dept["Total"][header["Spend (GBP)"]] == pytest.approx(TOTAL_SPEND)

    quality = wb["Data quality"]
    header, body = _table(quality, "Outcome")
    assert body[-1][0] == "Total" and body[-1][header["tCO2e"]] == pytest.approx(t)
    # Outcomes and methods in words: the two SIC-coded lines, the grant, the "Misc" line.
    assert {(r[0], r[1]) for r in body[:-1]} == {
        ("classified", "supplier's SIC code"),
        ("excluded (out of scope)", "description (rule library)"),
        ("not classified", None),  # an empty cell
    }
    assert body[-1][header["Lines"]] == 4
    assert _find(quality, "Classified")[3:5] == pytest.approx((370_000, 370_000 / TOTAL_SPEND))
    assert _find(quality, "Unclassified")[3] == pytest.approx(100)
    header, body = _table(quality, "Reason")
    # The reason's label, not its code "grants" (issue 16; this asserted the code before).
    assert [r[:4] for r in body] == [
        ("Grants and donations", None, 1, 500),
        ("Total", None, 1, 500),
    ]

    header, body = _table(wb["Methodology"], "Factor set")
    assert {r[1] for r in body} == {"to-2023"}
    assert all(len(r[header["Source file sha256"]]) == 64 for r in body)
    assert _find(wb["Methodology"], "Price-year policy")[1].startswith("matched")

    header, body = _table(wb["Trend"], "Year")
    trend = {r[0]: r for r in body}
    assert trend[2023][header["tCO2e"]] == pytest.approx(t)
    assert trend[2022][header["tCO2e"]] == pytest.approx(kg_2022 / 1000)
    assert trend[2030][header["Pathway (tCO2e)"]] == pytest.approx(kg_2022 * 0.5 / 1000)
    # 2023/24's lines fall in June, July and August, 2022/23's in May: part years, so
    # marked in the label; 2030/31 is a pathway year without lines.
    months = header["Months covered"]
    assert (trend[2023][1], trend[2023][months]) == ("2023/24 (part year)", 3)
    assert (trend[2022][1], trend[2022][months]) == ("2022/23 (part year)", 1)
    assert (trend[2030][1], trend[2030][months]) == ("2030/31", None)

    header, body = _table(wb["CDP Scope 3"], "Category")
    assert len(body) == 15
    assert body[0][2] == "Relevant, calculated" and body[0][3] == pytest.approx(t)
    assert body[0][header["% from supplier-specific data"]] == 0
    assert body[1][3] == 0  # no capital spend
    assert {r[2] for r in body[2:]} == {"Not evaluated"}

    header, body = _table(wb["Restatements"], "Year")
    assert [(r[0], r[3], r[4], r[header["Reason"]]) for r in body] == [
        (2022, 1, 2, "checked again")
    ]
    assert wb["Restatements"].cell(row=3, column=2).is_date

    lines = _rows(wb["Lines"])
    header = {name: i for i, name in enumerate(lines[0])}
    body = lines[1:]
    assert len(body) == 4
    assert sum(r[header["kgCO2e"]] for r in body) == pytest.approx(TOTAL_KG)
    assert sum(r[header["Spend (net of VAT)"]] for r in body) == pytest.approx(TOTAL_SPEND)
    roads = next(r for r in body if r[header["Category code"]] == "42.1-2")
    assert roads[header["Source file"]] == "spend-2023.csv"
    assert roads[header["Source row"]] == 2
    assert roads[header["Department"]] == "Highways"
    assert roads[header["Factor (kgCO2e per unit)"]] == pytest.approx(0.26547)
    assert roads[header["Deflator"]] == pytest.approx(1)
    assert roads[header["Classified by (rule)"]].startswith("sic")
    cell = wb["Lines"].cell(row=2, column=header["Spend (net of VAT)"] + 1)
    assert cell.data_type == "n" and cell.number_format == "#,##0.00"
    assert wb["Lines"].cell(row=2, column=header["Date"] + 1).is_date

    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2


# Sheets whose one table runs down the page: its header row heads every printed page.
PRINT_TITLES = {
    "By category": "$1:$1",
    "By supplier": "$1:$1",
    "By department": "$1:$1",
    "Trend": "$1:$1",
    "CDP Scope 3": "$1:$1",
    "Restatements": "$2:$2",  # under the sheet's title
    "Contracts": "$4:$4",  # under the title, the explanation and a blank row
    "Suppliers": "$4:$4",  # the same layout as Contracts
    "Lines": "$1:$1",
}
CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_CELL = re.compile(r"^'(?P<sheet>[^']+)'!\$(?P<col>[A-Z]+)\$(?P<row>\d+)$")
_COLUMN = re.compile(
    r"^'(?P<sheet>[^']+)'!\$(?P<col>[A-Z]+)\$(?P<first>\d+):\$(?P=col)\$(?P<last>\d+)$"
)


def _chart_series(path: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Each chart's series as (name ref, categories ref, values ref), keyed by the sheet
    their values are on, read from the package's chart XML; checks the value axis reads
    whole tonnes."""
    charts: dict[str, list[tuple[str, str, str]]] = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.startswith("xl/charts/chart"):
                continue
            root = ElementTree.fromstring(z.read(name))
            series = [
                (
                    ser.findtext(f"{CHART}tx/{CHART}strRef/{CHART}f") or "",
                    ser.findtext(f"{CHART}cat/{CHART}strRef/{CHART}f") or "",
                    ser.findtext(f"{CHART}val/{CHART}numRef/{CHART}f") or "",
                )
                for ser in root.iter(f"{CHART}ser")
            ]
            axis_formats = {f.get("formatCode") for f in root.iter(f"{CHART}numFmt")}
            assert axis_formats == {"#,##0"}, f"{name}: value axis {axis_formats}"
            sheet = _COLUMN.match(series[0][2])
            assert sheet is not None, series[0][2]
            charts[sheet["sheet"]] = series
    return charts


def _prints_one_page_wide(ws: Worksheet) -> None:
    """``ws`` is set to print one page wide, portrait or landscape, page-numbered."""
    assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
    assert ws.page_setup.orientation in ("portrait", "landscape"), ws.title
    assert ws.oddFooter.right.text == "Page &P of &N", ws.title


def test_the_workbook_is_fit_to_file(tracker: TrackerCli, authority: str, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    tracker.run("report", "--authority", authority, "--year", "2023", "--out", str(out))
    wb = load_workbook(out)

    # Every chart series plots a whole column, named by its header, over a label column.
    charts = _chart_series(out)
    names = {}
    for sheet, series in charts.items():
        for tx, cat, val in series:
            values, labels, title = _COLUMN.match(val), _COLUMN.match(cat), _CELL.match(tx)
            assert values and labels and title, (tx, cat, val)
            assert int(values["last"]) > int(values["first"]), f"{val} is one row"
            assert (labels["first"], labels["last"]) == (values["first"], values["last"])
            assert title["col"] == values["col"] and int(title["row"]) == int(values["first"]) - 1
            names.setdefault(sheet, []).append(wb[sheet][f"{title['col']}{title['row']}"].value)
    assert names == {
        "By category": ["tCO2e"],  # one bar series, by category
        "Trend": ["tCO2e", "Pathway (tCO2e)", "95% low (tCO2e)", "95% high (tCO2e)"],
    }

    # Every sheet prints one page wide, headed and footed with the authority, year,
    # version and page numbers; table sheets repeat their header row.
    for ws in wb.worksheets:
        where = ws.title
        _prints_one_page_wide(ws)
        assert ws.print_title_rows == PRINT_TITLES.get(ws.title), where
        assert ws.oddHeader.left.text == f"Report Borough ({authority})", where
        assert "2023/24" in ws.oddHeader.center.text, where
        assert ws.oddHeader.right.text == "Inventory version 1", where
    assert wb["By category"].page_setup.orientation == "landscape"
    assert wb["Summary"].page_setup.orientation == "portrait"

    # Tonnes read rounded; the cells and the line detail keep the exact figures.
    total = next(r[1] for r in wb["Summary"].iter_rows() if r[0].value == "Total emissions (tCO2e)")
    assert total.value == pytest.approx(TOTAL_KG / 1000) and total.number_format == "#,##0"
    header, _ = _table(wb["By category"], "Code")
    advice = next(r[header["tCO2e"]] for r in wb["By category"].iter_rows() if r[0].value == "70")
    assert advice.value == pytest.approx(ADVICE_KG / 1000)  # 9.742524 t reads "9.7"
    assert advice.number_format == "#,##0.0"
    lines = wb["Lines"]
    kg_column = next(c.column for c in lines[1] if c.value == "kgCO2e")
    kg = sorted(lines.cell(row=r, column=kg_column).value or 0 for r in range(2, 6))
    assert kg == pytest.approx([0, 0, ADVICE_KG, ROADS_KG])
    assert lines.cell(row=2, column=kg_column).number_format == "#,##0.000"

    # The Trend table holds each year's 95 % range, the chart's range series.
    header, body = _table(wb["Trend"], "Year")
    trend = {r[0]: r for r in body}
    low = (TOTAL_KG - 1.96 * TOTAL_SIGMA) / 1000
    high = (TOTAL_KG + 1.96 * TOTAL_SIGMA) / 1000
    assert trend[2023][header["95% low (tCO2e)"]] == pytest.approx(low)
    assert trend[2023][header["95% high (tCO2e)"]] == pytest.approx(high)
    assert trend[2030][header["95% low (tCO2e)"]] is None  # a pathway year, not inventoried


def test_the_summary_prints_one_page_wide(
    tracker: TrackerCli, authority: str, tmp_path: Path
) -> None:
    """LibreOffice prints the Summary sheet, alone, on one page: one page wide (without
    the fit its fourth column went to a second page) and, at this length, one page down.
    The whole workbook of this small inventory prints a page a sheet (39 pages before)."""
    soffice = _soffice()
    out = tmp_path / "report.xlsx"
    tracker.run("report", "--authority", authority, "--year", "2023", "--out", str(out))
    wb = load_workbook(out)
    sheets = len(wb.sheetnames)
    for name in wb.sheetnames:
        if name != "Summary":
            del wb[name]
    summary = tmp_path / "summary.xlsx"
    wb.save(summary)
    assert _pdf_pages(_convert(soffice, summary, "pdf", tmp_path)) == 1
    assert _pdf_pages(_convert(soffice, out, "pdf", tmp_path)) == sheets


def _pdf_pages(pdf: Path) -> int:
    """The page objects of a PDF as LibreOffice writes it (no object streams)."""
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def _soffice() -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but LibreOffice (soffice) is not installed; .ci/run installs it")
        pytest.skip("LibreOffice (soffice) is not installed")
    return soffice


def _convert(soffice: str, path: Path, to: str, tmp_path: Path) -> Path:
    """``path`` converted by LibreOffice to format ``to``; the converted file."""
    converted = tmp_path / "converted"
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(converted),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    made = converted / f"{path.stem}.{to}"
    assert made.exists() and made.stat().st_size > 0, result.stdout + result.stderr
    return made


def test_injected_formulas_come_out_as_inert_text(
    tracker: TrackerCli, authority: str, tmp_path: Path
) -> None:
    out = tmp_path / "report.xlsx"
    tracker.run("report", "--authority", authority, "--year", "2023", "--out", str(out))
    wb = load_workbook(out)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
    texts = {c.value for row in wb["Lines"].iter_rows() for c in row if c.data_type == "s"}
    assert "'" + EVIL_SUPPLIER in texts
    assert "'" + EVIL_DESCRIPTION in texts
    assert "'@SUM(1+1)" in texts
    suppliers = {r[0] for r in wb["By supplier"].iter_rows(values_only=True)}
    assert "'" + EVIL_SUPPLIER in suppliers


def test_csv_exports_have_a_bom_and_round_trip(
    tracker: TrackerCli, authority: str, tmp_path: Path
) -> None:
    out = tmp_path / "csv"
    tracker.run("report", "--authority", authority, "--year", "2023", "--csv-dir", str(out))
    summary_path = out / f"{authority}-2023-summary.csv"
    lines_path = out / f"{authority}-2023-lines.csv"
    for path in (summary_path, lines_path):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    summary = list(csv.DictReader(io.StringIO(summary_path.read_text(encoding="utf-8-sig"))))
    values = {(r["section"], r["key"], r["unit"]): r["value"] for r in summary}
    assert Decimal(values[("total", "kgco2e", "kgCO2e")]) == Decimal("76110.024")
    assert Decimal(values[("total", "spend", "GBP")]) == Decimal(TOTAL_SPEND)
    assert Decimal(values[("category", "42.1-2", "kgCO2e")]) == Decimal("66367.5")
    assert Decimal(values[("department", "Corporate", "kgCO2e")]) == Decimal("9742.524")
    assert Decimal(values[("excluded", "grants", "GBP")]) == Decimal(500)
    assert all(r["authority"] == authority and r["year"] == "2023" for r in summary)

    rows = list(csv.DictReader(io.StringIO(lines_path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 4
    assert sum(Decimal(r["kgCO2e"]) for r in rows) == Decimal("76110.024")
    assert sorted(Decimal(r["Spend (net of VAT)"]) for r in rows) == [
        Decimal(100),
        Decimal(500),
        Decimal(120_000),
        Decimal(250_000),
    ]
    assert {r["Date"] for r in rows} >= {"2023-06-15", "2023-07-20"}
    assert "'" + EVIL_SUPPLIER in {r["Supplier"] for r in rows}
    assert "'" + EVIL_DESCRIPTION in {r["Description"] for r in rows}


def test_an_earlier_version_and_argument_errors(
    tracker: TrackerCli, authority: str, tmp_path: Path
) -> None:
    out = tmp_path / "v1.xlsx"
    tracker.run(
        "report", "--authority", authority, "--year", "2022", "--version", "1", "--out", str(out)
    )
    cover = {r[0]: r[1] for r in load_workbook(out)["Cover"].iter_rows(values_only=True) if r}
    assert cover["Inventory version"] == 1
    bad = tracker.run("report", "--authority", authority, "--year", "2023", ok=False)
    assert bad.exit_code == 2 and "--out" in bad.output
    wrong = tracker.run(
        "report",
        "--authority",
        authority,
        "--year",
        "2023",
        "--out",
        str(tmp_path / "x.csv"),
        ok=False,
    )
    assert wrong.exit_code == 2 and ".xlsx" in wrong.output


def test_a_change_is_stated_between_whole_years(
    tracker: TrackerCli, authority: str, tmp_path: Path
) -> None:
    """Once an officer confirms both part years complete, the Summary states the change
    against the previous year and the baseline (2022/23, the target's baseline year)."""
    for year in ("2022/23", "2023/24"):
        tracker.run(
            "year", "confirm-complete", "--authority", authority, "--year", year,
            "--reason", "no other spend that year",
        )  # fmt: skip
    kg_2022 = tracker.json(
        "inventory", "--authority", authority, "--year", "2022", "--format", "json"
    )["total_kgco2e"]
    out = tmp_path / "whole.xlsx"
    tracker.run("report", "--authority", authority, "--year", "2023", "--out", str(out))
    summary = load_workbook(out)["Summary"]
    t = TOTAL_KG / 1000
    expected = (kg_2022 / 1000, t - kg_2022 / 1000, (TOTAL_KG - kg_2022) / kg_2022)
    assert _find(summary, "Against the previous year, 2022/23")[1:4] == pytest.approx(expected)
    assert _find(summary, "Against the baseline (target baseline 2022/23)")[1:4] == (
        pytest.approx(expected)
    )


def test_comparison_uses_ratios_of_sums(
    tracker: TrackerCli, authority: str, tmp_path: Path
) -> None:
    other = "C" + uuid.uuid4().hex[:8].upper()
    tracker.run("authority", "add", other, "--name", "Compare Town", "--population", "50000")
    _import(
        tracker,
        tmp_path,
        other,
        "other-2023.csv",
        "Payment Date,Supplier Name,Amount,SIC code\n"
        "20/07/2023,Meridian Advisory Ltd,40000,70229\n",
    )
    other_kg = 40_000 * 0.0811877  # 3,247.508
    engine = make_engine(tracker.env["TRACKER_DATABASE_URL"])
    try:
        with Session(engine) as session:
            ids = list(
                session.scalars(select(Authority.id).where(Authority.code.in_([authority, other])))
            )
            out = tmp_path / "compare.xlsx"
            write_comparison_workbook(session, out, authority_ids=ids, year=2023)
    finally:
        engine.dispose()
    book = load_workbook(out)
    for sheet, titles in (("Comparison", "$2:$2"), ("By year", "$1:$1")):
        _prints_one_page_wide(book[sheet])
        assert book[sheet].print_title_rows == titles
        assert book[sheet].page_setup.orientation == "landscape"
        # Both authorities start their year in April: the year is named 2023/24.
        assert book[sheet].oddHeader.right.text == "Financial year 2023/24"
    ws = book["Comparison"]
    assert ws["A1"].value == "Authorities compared, financial year 2023/24"
    header, body = _table(ws, "Code")
    rows = {r[0]: r for r in body}
    assert rows[authority][header["tCO2e"]] == pytest.approx(TOTAL_KG / 1000)
    assert rows[authority][header["Edition"]] == "to-2023"
    assert rows[other][header["kgCO2e per resident"]] == pytest.approx(other_kg / 50_000)
    header, body = _table(ws, "Currency")
    (gbp,) = body
    kg, spend = TOTAL_KG + other_kg, TOTAL_SPEND + 40_000
    assert gbp[header["Authorities"]] == 2
    assert gbp[header["tCO2e"]] == pytest.approx(kg / 1000)
    assert gbp[header["kgCO2e per unit spend"]] == pytest.approx(kg / spend)  # ≈ 0.19327
    assert gbp[header["kgCO2e per resident"]] == pytest.approx(kg / 150_000)
    mean_of_ratios = (TOTAL_KG / TOTAL_SPEND + other_kg / 40_000) / 2  # ≈ 0.14328: not this
    assert gbp[header["kgCO2e per unit spend"]] != pytest.approx(mean_of_ratios)

    cli_out = tmp_path / "cli-compare.xlsx"
    tracker.run("report", "compare", "--out", str(cli_out), "--year", "2023")
    codes = {r[0] for r in load_workbook(cli_out)["Comparison"].iter_rows(values_only=True)}
    assert {authority, other} <= codes


def test_libreoffice_opens_the_workbook(
    tracker: TrackerCli, authority: str, tmp_path: Path
) -> None:
    soffice = _soffice()
    out = tmp_path / "report.xlsx"
    tracker.run("report", "--authority", authority, "--year", "2023", "--out", str(out))
    _convert(soffice, out, "ods", tmp_path)


def test_the_workbook_and_comparison_follow_the_viewers_access(
    tracker: TrackerCli, authority: str, tmp_path: Path
) -> None:
    engine = make_engine(tracker.env["TRACKER_DATABASE_URL"])
    try:
        with Session(engine) as session:
            own = session.scalars(select(Authority).where(Authority.code == authority)).one()
            other = Authority(code="X" + uuid.uuid4().hex[:8].upper(), name="Private Council")
            session.add(other)
            session.flush()
            officer = Viewer(None, "o@example.org", "officer", own.id)
            stranger = Viewer(None, "s@example.org", "officer", other.id)
            book = inventory_workbook(session, authority=authority, year=2023, viewer=officer)
            assert load_workbook(io.BytesIO(book))["Cover"]["B3"].value.endswith(f"({authority})")
            with pytest.raises(AccessDenied):
                inventory_workbook(session, authority=authority, year=2023, viewer=stranger)
            # The stranger's own authority has no inventory and ours does not share.
            shared = comparison_workbook(session, viewer=stranger, year=2023)
            codes = {r[0] for r in load_workbook(io.BytesIO(shared))["Comparison"].values}
            assert authority not in codes
            session.rollback()
    finally:
        engine.dispose()
