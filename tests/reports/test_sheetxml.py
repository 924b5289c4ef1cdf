"""The large sheet's rows as SpreadsheetML (tracker.reports.sheetxml) and their splicing
into a saved workbook package (tracker.reports.splice)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from tracker.reports.sheetxml import (
    Column,
    SharedStrings,
    column_cells,
    rows_xml,
    xml_text,
)
from tracker.reports.splice import splice_rows


def test_text_is_guarded_escaped_stripped_and_cut() -> None:
    assert xml_text("Fish & <Chips>\x07\x00") == "Fish &amp; &lt;Chips&gt;"
    assert xml_text("a\tb\r\nc") == "a\tb\r\nc"  # tab, CR and LF are allowed in XML
    for trigger in ("=1+1", "+44", "-3", "@SUM(A1)", "\tx", "\rx"):
        assert xml_text(trigger) == "'" + trigger
    assert xml_text("=A1&B1") == "'=A1&amp;B1"
    assert xml_text("") == ""
    assert xml_text("y" * 40_000) == "y" * 32_767


def test_each_distinct_text_is_stored_once() -> None:
    strings = SharedStrings()
    assert [strings.add(t) for t in ("a", "b", "a", "")] == [0, 1, 0, 2]
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    assert (
        strings.xml()
        .decode()
        .endswith(
            f'<sst xmlns="{main}" uniqueCount="3">'
            '<si><t xml:space="preserve">a</t></si><si><t xml:space="preserve">b</t></si>'
            '<si><t xml:space="preserve"></t></si></sst>'
        )
    )


def test_column_writers_by_kind() -> None:
    strings = SharedStrings()
    rows = ["7", "8", "9"]
    integer = column_cells(Column("integer"), "A", strings)
    assert integer(rows, [5, None, -2]) == ['<c r="A7"><v>5</v></c>', "", '<c r="A9"><v>-2</v></c>']
    number = column_cells(Column("number", 3), "B", strings)
    assert number(rows, [Decimal("1234.50"), Decimal("-0.000000000001"), 0.1]) == [
        '<c r="B7" s="3"><v>1234.5</v></c>',
        '<c r="B8" s="3"><v>-1e-12</v></c>',
        '<c r="B9" s="3"><v>0.1</v></c>',
    ]
    # Excel's serial day of 2023-01-01 is 44927, so 2023-06-15 (165 days later) is 45092;
    # 1900-03-01 is day 61 (Excel counts a 29 February 1900 that never was).
    date = column_cells(Column("date", 4), "C", strings)
    assert date(rows, [dt.date(2023, 6, 15), dt.date(1900, 3, 1), None]) == [
        '<c r="C7" s="4"><v>45092</v></c>',
        '<c r="C8" s="4"><v>61</v></c>',
        "",
    ]
    text = column_cells(Column("text"), "D", strings)
    assert text(rows, ["=cmd", None, "=cmd"]) == [
        '<c r="D7" t="s"><v>0</v></c>',
        "",
        '<c r="D9" t="s"><v>0</v></c>',
    ]
    assert b'<t xml:space="preserve">\'=cmd</t>' in strings.xml()
    with pytest.raises(ValueError, match="Unknown format code"):
        integer(rows, [1.5, None, None])


def test_rows_are_numbered_and_skip_empty_cells() -> None:
    strings = SharedStrings()
    cells = [
        column_cells(Column("integer"), "A", strings),
        column_cells(Column("text"), "B", strings),
    ]
    assert rows_xml(2, [(1, "x"), (None, None)], cells) == (
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>0</v></c></row><row r="3"></row>'
    )
    assert rows_xml(2, [], cells) == ""


def _package() -> tuple[bytes, list[Column]]:
    wb = Workbook(write_only=True)
    first = wb.create_sheet("First")
    first.append(["kept"])
    lines = wb.create_sheet("Lines")
    lines.append(["Date", "Amount", "Text", "Count"])
    date_style = WriteOnlyCell(lines, value=0)
    date_style.number_format = "yyyy-mm-dd"
    money = WriteOnlyCell(lines, value=0)
    money.number_format = "#,##0.00"
    columns = [
        Column("date", date_style.style_id),
        Column("number", money.style_id),
        Column("text"),
        Column("integer"),
    ]
    package = io.BytesIO()
    wb.save(package)
    return package.getvalue(), columns


def test_spliced_rows_read_back_with_their_formats() -> None:
    package, columns = _package()
    out = io.BytesIO()
    chunks = [
        [(dt.date(2023, 6, 15), Decimal("-12.5"), "=1+1", 3)],
        [],
        [(None, 3, "é", None), (None, None, "Fish & chips\x01", 0)],
    ]
    assert (
        splice_rows(package, out, sheet_index=2, chunks=chunks, columns=columns, first_row=2) == 3
    )
    back = load_workbook(io.BytesIO(out.getvalue()))
    assert back["First"]["A1"].value == "kept"
    sheet = back["Lines"]
    assert [c.value for c in sheet[1]] == ["Date", "Amount", "Text", "Count"]
    assert sheet["A2"].value == dt.datetime(2023, 6, 15) and sheet["A2"].is_date
    assert sheet["B2"].value == -12.5 and sheet["B2"].number_format == "#,##0.00"
    assert sheet["C2"].value == "'=1+1" and sheet["C2"].data_type == "s"
    assert sheet["A3"].value is None and sheet["B3"].value == 3 and sheet["C3"].value == "é"
    assert sheet["C4"].value == "Fish & chips" and sheet["D4"].value == 0
    assert sheet.max_row == 4


def test_the_shared_strings_table_is_declared_in_the_package() -> None:
    package, columns = _package()
    out = io.BytesIO()
    splice_rows(
        package,
        out,
        sheet_index=2,
        chunks=[[(None, None, "a", None)]],
        columns=columns,
        first_row=2,
    )
    with zipfile.ZipFile(out) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        assert z.read("xl/sharedStrings.xml").endswith(
            b'uniqueCount="1"><si><t xml:space="preserve">a</t></si></sst>'
        )
    assert '<Override PartName="/xl/sharedStrings.xml"' in types
    # Two sheets, styles and theme take rId1-rId4: the table is rId5.
    assert 'relationships/sharedStrings" Target="sharedStrings.xml" Id="rId5"/>' in rels
    with pytest.raises(ValueError, match="already has a shared-strings table"):
        splice_rows(
            out.getvalue(), io.BytesIO(), sheet_index=2, chunks=[], columns=columns, first_row=2
        )
