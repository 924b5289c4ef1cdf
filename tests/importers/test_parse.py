from __future__ import annotations

import datetime
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from tracker.importers import ImportFileError, RowError, open_spend_file, parse_spend_file
from tracker.importers.limits import ImportLimits

from .conftest import assert_rows_accounted

D = datetime.date


def amounts(path: Path) -> list[Decimal]:
    return [r.amount for r in parse_spend_file(path).records]


def test_utf8_basic(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["utf8_basic.csv"])
    assert (result.file_format, result.encoding, result.delimiter) == ("csv", "utf-8", ",")
    assert result.header_row == 1
    assert result.amount_rule == "amount"
    assert result.skipped == {"placeholder": 1}
    assert result.rows_read == 6
    assert [r.amount for r in result.records] == [
        Decimal("500.00"), Decimal("1200"), Decimal("-45.50"), Decimal("99.99"), Decimal("99.99")
    ]  # fmt: skip
    first = result.records[0]
    assert first.supplier == "Café Olé Catering Ltd"
    assert first.date == D(2014, 9, 2)
    assert first.sic == "56290"
    assert first.cost_centre == "Schools"
    assert first.expense_type == "Catering"
    assert first.transaction_id == "TX-001"
    assert result.records[1].sic == "08120"  # leading zero kept from text
    assert result.records[3] == result.records[4]._replace(source_row=5)  # both kept
    assert result.errors == []
    assert_rows_accounted(result)


def test_bom_crlf(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["utf8_bom_crlf.csv"])
    assert result.encoding == "utf-8-sig"
    assert result.headers[0] == "Body"
    assert result.mapping["date"] == "Date"
    assert result.mapping["proclass"] == "ProClass"
    assert [r.amount for r in result.records] == [
        Decimal("1100.00"), Decimal("-3783.76"), Decimal("750.5")
    ]  # fmt: skip
    assert result.records[1].supplier == "Felpersham Paper Mill"
    assert [r.proclass for r in result.records] == ["321000", "341100", "NCLASS"]


def test_cp1252(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["cp1252_leeds_style.csv"])
    assert result.encoding == "cp1252"
    assert result.mapping["date"] == "Payment Date"
    assert "vat" not in result.mapping  # irrecoverable VAT is not the VAT column
    assert result.skipped == {"blank": 1}
    assert [r.supplier for r in result.records] == [
        "Heydon Berrow Homes", "Edgeley Women¿s Aid", "Penny Hassett Builders"
    ]  # fmt: skip
    assert [r.date for r in result.records] == [D(2020, 6, 24), D(2020, 2, 25), D(2020, 6, 30)]
    assert [r.amount for r in result.records] == [
        Decimal("5400.00"), Decimal("-99.99"), Decimal("250.00")
    ]  # fmt: skip
    assert result.records[0].description == "Care £ top-up"
    assert [r.capital_or_revenue for r in result.records] == ["R", "R", "C"]


def test_cr_only_month_first(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["cr_only_us.csv"])
    assert result.date_order == "month-first"
    assert result.amount_rule == "net"
    assert [r.date for r in result.records] == [
        D(2018, 3, 6), D(2018, 3, 26), D(2018, 3, 7), D(2018, 12, 1)
    ]  # fmt: skip
    assert result.records[1].supplier == "QUAIL, JOSEPHINE ANNE"
    assert result.records[0].expense_type == "Housing Appliances"
    assert result.records[0].cost_centre == "Housing"
    assert [r.source_row for r in result.records] == [2, 3, 4, 5]


def test_semicolon(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["semicolon.csv"])
    assert result.delimiter == ";"
    assert [r.amount for r in result.records] == [
        Decimal("1250.00"),
        Decimal(300),
        Decimal("19.99"),
    ]
    assert [r.currency for r in result.records] == ["GBP", "GBP", "GBP"]
    assert result.records[0].supplier == "Loxley Barrett Farms, Ltd"
    assert result.records[1].date == D(2021, 4, 2)


def test_tab_net_gross_vat(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["tab.tsv"])
    assert result.delimiter == "\t"
    assert result.amount_rule == "net"
    first = result.records[0]
    assert (first.amount, first.gross_amount, first.vat) == (
        Decimal("1000.00"), Decimal("1200.00"), Decimal("200.00")
    )  # fmt: skip
    assert first.date == D(2022, 5, 1)


def test_lambeth_preamble_and_total(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["lambeth_style.csv"])
    assert result.header_row == 10
    assert result.amount_rule == "net"
    assert result.skipped == {"blank": 4, "total": 1}
    assert result.rows_read == 9
    assert len(result.records) == 4
    assert sum(r.amount for r in result.records) == Decimal("3913.84")  # the file's Total row
    assert [r.source_row for r in result.records] == [11, 12, 13, 14]
    assert result.records[3].date == D(2010, 10, 20)
    assert result.records[0].expense_type == "FLOATING SUPPORT"
    assert_rows_accounted(result)


def test_tameside_summary_and_trailing_columns(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["tameside_style.csv"])
    assert result.headers[-1] == "Sum of Inv Amount"
    assert result.headers[3] == "Account Description"
    assert result.skipped == {"summary": 2, "blank": 2}
    assert result.errors == []
    assert [r.amount for r in result.records] == [
        Decimal("5303.57"), Decimal("-6971.43"), Decimal("612.00")
    ]  # fmt: skip
    assert [r.date for r in result.records] == [D(2014, 9, 24), D(2014, 9, 24), D(1999, 10, 1)]
    assert result.records[0].transaction_id == "460285"
    assert_rows_accounted(result)


def test_manchester_csv_named_xls(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["manchester_style.xls"])
    assert (result.file_format, result.encoding) == ("csv", "cp1252")
    assert [r.amount for r in result.records] == [
        Decimal("2681.94"), Decimal("572.08"), Decimal("-16902.11"), Decimal("-5.00")
    ]  # fmt: skip
    assert [r.date for r in result.records] == [
        D(2014, 9, 1), D(2014, 9, 2), D(2014, 9, 30), D(2014, 9, 30)
    ]  # fmt: skip


def test_month_only(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["month_only.csv"])
    assert {(r.date, r.date_precision) for r in result.records} == {(D(2014, 9, 1), "month")}
    assert result.mapping["amount"] == "Amount £"


def test_odd_amounts(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["odd_amounts.csv"])
    assert amounts(spend_files["odd_amounts.csv"]) == [
        Decimal("-123.45"), Decimal("-123.45"), Decimal(1), Decimal("1000.10")
    ]  # fmt: skip
    assert [r.date for r in result.records] == [
        D(2012, 6, 1), D(2012, 6, 2), D(2012, 6, 3), D(2012, 6, 4)
    ]  # fmt: skip
    assert [r.currency for r in result.records] == ["GBP", "GBP", "USD", "EUR"]


def test_gross_minus_vat(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["gross_vat.csv"])
    assert result.amount_rule == "gross-minus-vat"
    assert "amount" not in result.mapping  # ORIGINAL GROSS AMT is the original currency
    got = [(r.amount, r.gross_amount, r.vat) for r in result.records]
    assert got == [
        (Decimal("40.70"), Decimal("48.84"), Decimal("8.14")),
        (Decimal("120.00"), Decimal("120.00"), None),
        (Decimal("-18.75"), Decimal("-22.50"), Decimal("-3.75")),
    ]


def test_row_errors(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["row_errors.csv"])
    assert [r.source_row for r in result.records] == [2, 7]
    assert result.errors == [
        RowError(3, "Date", "date '31/02/2023' is not a valid date"),
        RowError(4, "Amount", "amount 'ten pounds' is not a number"),
        RowError(5, "Amount", "amount is empty"),
        RowError(6, "Date", "date 'soon' is not a recognised date"),
        RowError(6, "Amount", "amount '1.2.3' is not a number"),
    ]
    assert_rows_accounted(result)


def test_xlsx_cells(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["workbook.xlsx"])
    assert (result.file_format, result.sheet, result.header_row) == ("xlsx", "Spend", 3)
    assert result.encoding is None and result.delimiter is None
    rows = result.records
    assert [r.source_row for r in rows] == [4, 5, 6, 7]
    assert [r.date for r in rows] == [
        D(2019, 11, 2),
        D(2019, 11, 3),
        D(2019, 11, 2),
        D(2019, 11, 5),
    ]
    assert [r.amount for r in rows] == [
        Decimal("48.84"), Decimal("0.3"), Decimal(-12), Decimal("1000.00")
    ]  # fmt: skip
    assert [r.sic for r in rows] == ["10710", "47300", "01110", None]
    assert [r.mcc for r in rows] == ["5462", "5541", "5411", None]
    assert [r.transaction_id for r in rows] == ["1900502872", "1900502873", "TX-9", None]
    assert rows[0].cpv == "15811000-6"


def test_second_sheet_chosen(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["two_sheets.xlsx"])
    assert result.sheet == "Payments"
    assert any("Payments" in note for note in result.notes)
    assert [r.amount for r in result.records] == [Decimal("640.0"), Decimal("820.5")]
    explicit = parse_spend_file(spend_files["two_sheets.xlsx"], sheet="Payments")
    assert explicit.records == result.records
    with pytest.raises(ImportFileError, match=r"no header row.*'About this file'"):
        parse_spend_file(spend_files["two_sheets.xlsx"], sheet="Notes")
    with pytest.raises(ImportFileError, match="no sheet named 'Nope'; sheets: 'Notes', 'Payments'"):
        parse_spend_file(spend_files["two_sheets.xlsx"], sheet="Nope")


def test_rows_above_header_are_read_with_its_columns(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["header_below_data.xlsx"])
    assert result.header_row == 4
    assert result.errors == []
    # gross − tax: 48.84 − 8.14, 10.00 − 0, 22.50 − 3.75
    assert [(r.source_row, r.amount) for r in result.records] == [
        (1, Decimal("40.70")),
        (2, Decimal("10.00")),
        (5, Decimal("18.75")),
    ]
    assert any("2 rows above the header" in n for n in result.notes)
    assert_rows_accounted(result)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_manual_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", "When,How Much,Who\n01/02/2020,5,Acme Widgets\n")
    with pytest.raises(ImportFileError, match=r"m\.csv: no header row.*'When', 'How Much', 'Who'"):
        parse_spend_file(path)
    result = parse_spend_file(path, mapping={"date": "When", "amount": "how much"})
    assert result.mapping == {"date": "When", "amount": "How Much"}
    assert result.records[0].amount == Decimal(5)
    result = parse_spend_file(
        path, mapping={"date": "When", "amount": "How Much", "supplier": "Who"}
    )
    assert result.records[0].supplier == "Acme Widgets"


def test_manual_mapping_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", "Date,Amount\n01/02/2020,5\n")
    with pytest.raises(
        ImportFileError, match=r"unknown field 'colour'.*known fields: date, amount"
    ):
        parse_spend_file(path, mapping={"colour": "Date"})
    with pytest.raises(
        ImportFileError, match=r"m\.csv: column 'Vendor' \(mapped to supplier\) not found; "
        r"headers found: 'Date', 'Amount'"
    ):  # fmt: skip
        parse_spend_file(path, mapping={"supplier": "Vendor"})


def test_missing_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "Supplier Name,Amount\nAcme,5\n")
    with pytest.raises(ImportFileError, match=r"s\.csv: .*missing date.*'Supplier Name', 'Amount'"):
        parse_spend_file(path)
    path = write(tmp_path, "t.csv", "Supplier Name,Date\nAcme,01/01/2020\n")
    with pytest.raises(ImportFileError, match="missing amount"):
        parse_spend_file(path)


def test_limits(tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", "Date,Amount\n" + "01/01/2020,1\n" * 5)
    with pytest.raises(ImportFileError, match=r"big\.csv: file is 77 bytes, over the limit of 50"):
        parse_spend_file(path, limits=ImportLimits(max_bytes=50))
    with pytest.raises(ImportFileError, match="more than 4 data rows"):
        parse_spend_file(path, limits=ImportLimits(max_rows=4))
    assert len(parse_spend_file(path, limits=ImportLimits(max_rows=5)).records) == 5
    wide = write(tmp_path, "wide.csv", "Date,Amount," + ",".join("c" * 10) + "\n")
    with pytest.raises(ImportFileError, match="12 columns, over the limit of 5"):
        parse_spend_file(wide, limits=ImportLimits(max_columns=5))
    padded = write(tmp_path, "padded.csv", "Date,Amount" + "," * 20 + "\n01/01/2020,1\n")
    assert len(parse_spend_file(padded, limits=ImportLimits(max_columns=5)).records) == 1


def test_row_limit_counts_data_rows_below_a_lower_header(tmp_path: Path) -> None:
    # Two title rows and a blank row above the header (row 4); the limit counts the rows
    # below it, blank and total rows included, whether the file is read at once or in
    # chunks that the limit falls across.
    text = (
        "Spend report\nExample Council\n\nDate,Supplier,Amount\n"
        + "01/01/2020,Acme,1\n" * 3
        + "\n,Total,3\n"
    )
    path = write(tmp_path, "low.csv", text)
    for chunk_rows in (None, 2):
        stream = open_spend_file(path, limits=ImportLimits(max_rows=5), chunk_rows=chunk_rows)
        records = [r for chunk in stream.chunks() for r in chunk]
        parsed = stream.summary()
        assert [r.source_row for r in records] == [5, 6, 7]
        assert parsed.rows_read == 5 and parsed.skipped == {"blank": 1, "total": 1}
        stream = open_spend_file(path, limits=ImportLimits(max_rows=4), chunk_rows=chunk_rows)
        with pytest.raises(ImportFileError, match=r"low\.csv: more than 4 data rows"):
            list(stream.chunks())


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"nothere\.csv: not a file"):
        parse_spend_file(tmp_path / "nothere.csv")
    empty = write(tmp_path, "empty.csv", "")
    with pytest.raises(ImportFileError, match=r"empty\.csv: no rows found"):
        parse_spend_file(empty)
    zipped = tmp_path / "data.xlsx"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(
        ImportFileError,
        match=r"data\.xlsx: ZIP archives can't be read: export the spend as CSV or Excel "
        r"\(this one holds no \.xlsx or \.ods spreadsheet\)",
    ):
        parse_spend_file(zipped)
    fake_xls = tmp_path / "fake.xls"
    fake_xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ImportFileError, match=r"fake\.xls: cannot open spreadsheet"):
        parse_spend_file(fake_xls)
    binary = tmp_path / "noise.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ImportFileError, match=r"noise\.bin"):
        parse_spend_file(binary)


def _docx(path: Path) -> Path:
    # The parts every Word document has (ECMA-376 Part 2: [Content_Types].xml at the root,
    # the main part at word/document.xml), which an .xlsx shares the first of.
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return path


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        # The first bytes each format starts with: PDF 1.7 (ISO 32000-1) "%PDF-", the PNG
        # signature (RFC 2083) and the JPEG start-of-image marker FF D8 followed by FF.
        ("spend.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + b"\x00" * 800, "PDF files"),
        ("spend.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG images"),
        ("scan.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG images"),
        ("spend.docx", None, r"Word documents \(\.docx\)"),
    ],
)
def test_files_that_are_not_spend_data_say_what_to_send(
    tmp_path: Path, name: str, content: bytes | None, what: str
) -> None:
    path = tmp_path / name
    if content is None:
        _docx(path)
    else:
        path.write_bytes(content)
    expected = rf"{re.escape(name)}: {what} can't be read: export the spend as CSV or Excel$"
    with pytest.raises(ImportFileError, match=expected):
        parse_spend_file(path)


def test_latin1_fallback_and_csv_named_xlsx(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252, so this falls back to latin-1
    path = tmp_path / "odd.xlsx"
    path.write_bytes(b"Date,Amount,Supplier\r01/01/2020,\xa31.50,Caf\xe9 \x81\r")
    result = parse_spend_file(path)
    assert (result.file_format, result.encoding) == ("csv", "latin-1")
    assert result.records[0].amount == Decimal("1.50")
    assert result.records[0].supplier == "Café \x81"


def test_pipe_delimiter_and_quoted_newline(tmp_path: Path) -> None:
    path = write(
        tmp_path, "p.txt", 'Date|Amount|Description\n01/01/2020|2|"two\nlines"\n02/01/2020|3|x\n'
    )
    result = parse_spend_file(path)
    assert result.delimiter == "|"
    assert [r.source_row for r in result.records] == [2, 3]
    assert result.records[0].description == "two\nlines"


def test_ods(spend_files: dict[str, Path]) -> None:
    result = parse_spend_file(spend_files["sheet.ods"])
    assert (result.file_format, result.sheet) == ("ods", "Spend")
    assert [(r.date, r.amount, r.naics) for r in result.records] == [
        (D(2023, 7, 3), Decimal("410.25"), "323111"),
        (D(2023, 7, 4), Decimal("-12.5"), "483212"),
    ]


def test_date_order_is_recorded(tmp_path: Path) -> None:
    ambiguous = write(tmp_path, "a.csv", "Date,Amount\n01/02/2020,1\n03/04/2020,2\n")
    result = parse_spend_file(ambiguous)
    assert result.date_order == "day-first"
    assert [r.date for r in result.records] == [D(2020, 2, 1), D(2020, 4, 3)]
    assert any("ambiguous" in note for note in result.notes)
    us = write(tmp_path, "u.csv", "Date,Amount\n01/02/2020,1\n03/14/2020,2\n")
    result = parse_spend_file(us)
    assert result.date_order == "month-first"
    assert [r.date for r in result.records] == [D(2020, 1, 2), D(2020, 3, 14)]
    iso = parse_spend_file(write(tmp_path, "i.csv", "Date,Amount\n2020-01-02,1\n"))
    assert iso.notes == []


def test_committed_text_fixtures_match_generator(spend_files: dict[str, Path]) -> None:
    committed = Path(__file__).resolve().parents[1] / "fixtures" / "spend"
    for name, generated in spend_files.items():
        if generated.suffix in (".xlsx", ".ods"):
            continue  # zip containers embed timestamps
        stored = committed / name
        assert stored.is_file(), f"run tests/fixtures/make_spend_fixtures.py ({name} missing)"
        assert stored.read_bytes() == generated.read_bytes(), f"{name} is out of date"
