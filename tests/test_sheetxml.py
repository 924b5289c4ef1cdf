"""Rows streamed into the workbook package as SpreadsheetML (tracker.reports.sheetxml)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from tracker.reports.sheetxml import row_xml, splice_rows, text_cell


def test_text_is_escaped_and_stripped_of_characters_xml_forbids() -> None:
    assert text_cell("A1", "Fish & <Chips>\x07") == (
        '<c r="A1" t="inlineStr"><is><t xml:space="preserve">Fish &amp; &lt;Chips&gt;</t></is></c>'
    )
    assert text_cell("A1", "y" * 40_000).count("y") == 32_767


def test_row_values() -> None:
    xml = row_xml(
        7,
        [5, Decimal("1234.50"), dt.date(2023, 6, 15), None, "a"],
        ["A", "B", "C", "D", "E"],
        ["", ' s="1"', ' s="2"', "", ""],
    )
    # Excel's serial day of 2023-01-01 is 44927, so 2023-06-15 (165 days later) is 45092.
    assert xml == (
        '<row r="7"><c r="A7"><v>5</v></c><c r="B7" s="1"><v>1234.5</v></c>'
        '<c r="C7" s="2"><v>45092</v></c>'
        '<c r="E7" t="inlineStr"><is><t xml:space="preserve">a</t></is></c></row>'
    )


def test_spliced_rows_read_back_with_their_formats() -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("First")
    ws.append(["kept"])
    lines = wb.create_sheet("Lines")
    lines.append(["Date", "Amount", "Text"])
    date_style = WriteOnlyCell(lines, value=0)
    date_style.number_format = "yyyy-mm-dd"
    money = WriteOnlyCell(lines, value=0)
    money.number_format = "#,##0.00"
    package = io.BytesIO()
    styles = [date_style.style_id, money.style_id, None]
    wb.save(package)
    out = io.BytesIO()
    rows = [[dt.date(2023, 6, 15), Decimal("-12.5"), "'=1+1"], [None, 3, "é"]]
    assert (
        splice_rows(
            package.getvalue(), out, sheet_index=2, rows=rows, style_ids=styles, first_row=2
        )
        == 2
    )
    back = load_workbook(io.BytesIO(out.getvalue()))
    assert back["First"]["A1"].value == "kept"
    sheet = back["Lines"]
    assert [c.value for c in sheet[1]] == ["Date", "Amount", "Text"]
    assert sheet["A2"].value == dt.datetime(2023, 6, 15) and sheet["A2"].is_date
    assert sheet["B2"].value == -12.5 and sheet["B2"].number_format == "#,##0.00"
    assert sheet["C2"].value == "'=1+1" and sheet["C2"].data_type == "s"
    assert sheet["A3"].value is None and sheet["B3"].value == 3 and sheet["C3"].value == "é"
