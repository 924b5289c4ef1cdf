"""Hostile and broken files: each is refused (or its bad rows rejected) with a message
naming the file, row and column where there is one, and nothing is stored: no batch, no
lines, no raw file."""

from __future__ import annotations

import random
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import cli_with_authority
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.fixtures.make_spend_fixtures import write_ods
from tracker.errors import TrackerError
from tracker.importers import ImportFileError, readers
from tracker.importers.limits import ImportLimits
from tracker.models import Authority, ImportBatch, SpendLine
from tracker.services import imports
from tracker.services.authorities import add_authority

HEADER = "Date,Supplier,Amount,Description\n"
TEN_MB = 10 * 1024 * 1024


def _authority(session: Session) -> Authority:
    return add_authority(session, code="H" + uuid.uuid4().hex[:6], name="Hostile Input")


def _stored(session: Session, authority: Authority, data_dir: Path) -> tuple[int, int, int]:
    """(batches, lines, raw files) stored for the authority."""
    batches = session.scalar(
        select(func.count())
        .select_from(ImportBatch)
        .where(ImportBatch.authority_id == authority.id)
    )
    lines = session.scalar(
        select(func.count()).select_from(SpendLine).where(SpendLine.authority_id == authority.id)
    )
    raw = [p for p in data_dir.rglob("*") if p.is_file()] if data_dir.exists() else []
    return int(batches or 0), int(lines or 0), len(raw)


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _zip_bomb(path: Path) -> Path:
    """A valid .xlsx of one transaction plus 64 MiB of zeros that deflate to ~64 KiB."""
    _workbook(path, [["Date", "Supplier", "Amount"], ["01/05/2023", "Acme", 100]])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(64 * 1024 * 1024))
    return path


def _text(name: str, body: str | bytes) -> Callable[[Path], Path]:
    def write(tmp: Path) -> Path:
        path = tmp / name
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
        return path

    return write


def _huge_xlsx_cell(tmp: Path) -> Path:
    """An .xlsx whose supplier cell holds 10 MiB of text.

    openpyxl (like Excel) cuts a cell at 32,767 characters, so the sheet XML is rewritten
    by hand, as a hostile tool would. Random hex does not compress much, so the ratio limit
    is not what refuses it.
    """
    plain = _workbook(
        tmp / "plain.xlsx", [["Date", "Supplier", "Amount"], ["01/05/2023", "PLACEHOLDER", 1]]
    )
    cell = random.Random(7).randbytes(TEN_MB // 2).hex()
    path = tmp / "huge-cell.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"PLACEHOLDER", cell.encode())
            out.writestr(info, data)
    return path


def _sparse_xlsx(name: str, dimension: str) -> Callable[[Path], Path]:
    """An .xlsx of two cells whose sheet declares ``<dimension ref=dimension>``: a
    spreadsheet reader that lays out the declared grid allocates gigabytes for it."""

    def write(tmp: Path) -> Path:
        plain = _workbook(tmp / "two-cells.xlsx", [["Date", "Supplier"]])
        path = tmp / name
        with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as out:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":
                    assert b'<dimension ref="A1:B1"/>' in data
                    data = data.replace(b'ref="A1:B1"', f'ref="{dimension}"'.encode())
                out.writestr(info, data)
        return path

    return write


def _far_apart_xlsx(tmp: Path) -> Path:
    """Two cells, at A1 and XFD1048576, and no <dimension>: the grid spans both."""
    plain = _workbook(tmp / "plain.xlsx", [["PLACEHOLDER"]])
    path = tmp / "far-apart.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                start, end = data.index(b"<sheetData>"), data.index(b"</sheetData>")
                cells = (
                    b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576">'
                    b'<c r="XFD1048576"><v>2</v></c></row>'
                )
                data = data[:start].replace(b'<dimension ref="A1"/>', b"") + cells + data[end:]
            out.writestr(info, data)
    return path


def _ods_repeat_bomb(tmp: Path) -> Path:
    """An .ods whose one written cell is repeated across 16,384 columns of a row that is
    repeated 1,048,576 times: a reader expanding the repeats lays out 17 billion cells."""
    path = tmp / "repeat-bomb.ods"
    write_ods(
        path,
        '<table:table table:name="Spend"><table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="float" '
        'office:value="1"/></table:table-row></table:table>',
    )
    return path


# The grids worked out by hand: column ALL is 1*26^2 + 12*26 + 12 = 1,000 and XFD is
# 24*26^2 + 6*26 + 4 = 16,384 (Excel's last column); 1,048,576 is Excel's last row.
_GRID_REFUSED = (
    r"over [\d,]+ cells \(the larger of 4,000,000 and 10 times the cells written\) is "
    r"refused unread"
)
REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "empty file": (_text("empty.csv", b""), r"empty\.csv: no rows found \(the file is empty\)"),
    "binary data named .csv": (
        _text("photo.csv", random.Random(1).randbytes(4096)),
        r"photo\.csv: binary data \(a NUL byte at offset [\d,]+\), not a spreadsheet",
    ),
    "zip bomb .xlsx": (
        lambda tmp: _zip_bomb(tmp / "bomb.xlsx"),
        r"bomb\.xlsx: the spreadsheet expands [\d,]+ times its size .* over the limit of 100 "
        r"times \(TRACKER_MAX_ZIP_RATIO\): it looks like a zip bomb",
    ),
    "sparse dimension A1:ALL200000 .xlsx": (
        _sparse_xlsx("sparse.xlsx", "A1:ALL200000"),
        r"sparse\.xlsx: sheet 'Sheet' declares the range A1:ALL200000 \(200,000,000 cells\) "
        r"but writes only 2 cells; a grid " + _GRID_REFUSED,
    ),
    "sparse dimension A1:XFD1048576 .xlsx": (
        _sparse_xlsx("whole-sheet.xlsx", "A1:XFD1048576"),
        r"whole-sheet\.xlsx: sheet 'Sheet' declares the range A1:XFD1048576 "
        r"\(17,179,869,184 cells\) but writes only 2 cells",
    ),
    "cells far apart .xlsx": (
        _far_apart_xlsx,
        r"far-apart\.xlsx: sheet 'Sheet' places its cells across 17,179,869,184 cells of grid "
        r"but writes only 2 cells",
    ),
    "repeat bomb .ods": (
        _ods_repeat_bomb,
        r"repeat-bomb\.ods: sheet 'Spend' declares the range A1:XFD1048576 "
        r"\(17,179,869,184 cells\) but writes only 1 cell; a grid " + _GRID_REFUSED,
    ),
    "10 MB cell (csv)": (
        _text("big-cell.csv", HEADER + "01/05/2023,Acme,1.00," + "x" * TEN_MB + "\n"),
        r"big-cell\.csv: row 2: a cell is longer than the limit of 131,072 characters "
        r"\(TRACKER_MAX_CELL_CHARS\)",
    ),
    "10 MB cell (xlsx)": (
        _huge_xlsx_cell,
        r"huge-cell\.xlsx: sheet 'Sheet', row 2, column 2: a cell of 10,485,760 characters, "
        r"over the limit of 131,072",
    ),
    "1,000 columns": (
        _text("wide.csv", ",".join(f"c{i}" for i in range(1000)) + "\n"),
        r"wide\.csv: row 1 has 1000 columns, over the limit of 500 columns "
        r"\(TRACKER_MAX_COLUMNS\)",
    ),
    "unmatched quote": (
        _text(
            "quote.csv",
            HEADER + '01/05/2023,"Acme,100.00,Paper\n02/05/2023,Brill,5.00,Pens\n'
            "03/05/2023,Cole,6.00,Ink\n",
        ),
        r"quote\.csv: row 2, column 2: a quote \(\"\) opens a cell and is never closed",
    ),
    "only invalid dates": (
        _text("dates.csv", HEADER + "31/02/2023,Acme,100.00,x\nsoon,Brill,5.00,y\n"),
        r"dates\.csv: no usable spend rows found \(2 rows read, 2 rejected\); nothing was "
        r"stored\. First problem: row 2, column 'Date': date '31/02/2023' is not a valid date",
    ),
    "only amounts with letters": (
        _text("letters.csv", HEADER + "01/05/2023,Acme,12abc,x\n02/05/2023,Brill,GBP,y\n"),
        r"letters\.csv: no usable spend rows found .* First problem: row 2, column 'Amount': "
        r"amount '12abc' is not a number",
    ),
}


NEVER_OPENED = {
    "zip bomb .xlsx",
    "sparse dimension A1:ALL200000 .xlsx",
    "sparse dimension A1:XFD1048576 .xlsx",
    "cells far apart .xlsx",
    "repeat bomb .ods",
}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_a_hostile_file_is_refused_and_nothing_is_stored(
    case: str, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write, message = REFUSED[case]
    path = write(tmp_path)
    if case in NEVER_OPENED:
        # Refused before the spreadsheet reader ever opens (and inflates or lays out) it.
        monkeypatch.setattr(readers, "_open_workbook", _never_called)
    authority = _authority(session)
    data_dir = tmp_path / "store"
    with pytest.raises((TrackerError, ImportFileError), match=message):
        imports.import_spend_file(session, authority=authority, path=path, data_dir=data_dir)
    assert _stored(session, authority, data_dir) == (0, 0, 0)


def _never_called(path: Path) -> None:
    raise AssertionError(f"{path} was opened by the spreadsheet reader")


def test_a_sparse_sheet_gives_the_message_from_the_cli_dry_run(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "_open_workbook", _never_called)
    tracker, code = cli_with_authority(db_url, tmp_path, "Sparse Sheet")
    path = _sparse_xlsx("sparse.xlsx", "A1:ALL200000")(tmp_path)
    result = tracker.run("import", str(path), "--authority", code, "--dry-run", ok=False)
    assert result.exit_code != 0
    assert "sparse.xlsx: sheet 'Sheet' declares the range A1:ALL200000" in result.output
    assert "Traceback" not in result.output


def test_grids_within_the_limits_are_read(session: Session, tmp_path: Path) -> None:
    """A dimension up to 4,000,000 cells, or up to 10 times the cells written, is read."""
    authority = _authority(session)
    rows: list[list[object]] = [["Date", "Supplier", "Amount"], ["01/05/2023", "Acme", 100]]
    for name, dimension in (("at-the-limit.xlsx", "A1:D1000000"), ("as-written.xlsx", "A1:C2")):
        plain = _workbook(tmp_path / f"plain-{name}", rows)
        path = tmp_path / name
        with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as out:
            for info in source.infolist():
                data = source.read(info).replace(b'ref="A1:C2"', f'ref="{dimension}"'.encode())
                out.writestr(info, data)
        result = imports.import_spend_file(
            session, authority=authority, path=path, data_dir=tmp_path / "store", dry_run=True
        )
        assert (result.rows_imported, result.total_amount) == (1, 100)


def test_the_expansion_limit_is_configurable(session: Session, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "plain.xlsx", [["Date", "Supplier", "Amount"], ["01/05/2023", "A", 1]]
    )
    authority = _authority(session)
    with pytest.raises(ImportFileError, match=r"expands to [\d,]+ bytes, over the limit of 1,000"):
        imports.import_spend_file(
            session,
            authority=authority,
            path=path,
            data_dir=tmp_path,
            limits=ImportLimits(max_unzipped_bytes=1000),
        )
    result = imports.import_spend_file(session, authority=authority, path=path, data_dir=tmp_path)
    assert result.rows_imported == 1


def test_cell_and_column_limits_are_configurable(session: Session, tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    extra = ",".join(f"c{i}" for i in range(997))
    wide.write_text(
        f"Date,Supplier,Amount,{extra}\n01/05/2023,{'y' * 200_000},7.50\n", encoding="utf-8"
    )
    authority = _authority(session)
    result = imports.import_spend_file(
        session,
        authority=authority,
        path=wide,
        data_dir=tmp_path / "store",
        limits=ImportLimits(max_columns=1000, max_cell_chars=300_000),
    )
    assert (result.rows_imported, str(result.total_amount)) == (1, "7.50")


def test_bad_rows_are_rejected_by_row_and_column_and_the_rest_imported(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        HEADER
        + "01/05/2023,Acme,100.00,Paper\n"
        + "30/02/2023,Brill,5.00,Pens\n"
        + "02/05/2023,Cole,12,5O,Ink\n"
        + "03/05/2023,Dane,six pounds,Toner\n",
        encoding="utf-8",
    )
    authority = _authority(session)
    result = imports.import_spend_file(
        session, authority=authority, path=path, data_dir=tmp_path / "store"
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "Date"), (5, "Amount")]
    # Row 4 has one cell too many ("12" and "5O"): its amount is 12 and the extra cell is
    # ignored; only rows 2 and 4 are stored.
    lines = session.scalars(
        select(SpendLine).where(SpendLine.batch_id == result.batch_id).order_by(SpendLine.id)
    ).all()
    assert [(ln.source_row, str(ln.amount)) for ln in lines] == [(2, "100.00"), (4, "12.00")]


def test_formulas_are_stored_as_inert_text_never_evaluated(
    session: Session, tmp_path: Path
) -> None:
    csv_path = tmp_path / "formulas.csv"
    csv_path.write_text(
        HEADER + "01/05/2023,=cmd|' /C calc'!A0,100.00,\"=1+1\"\n"
        '02/05/2023,"=HYPERLINK(""http://evil.example"")",5.00,@SUM(A1)\n',
        encoding="utf-8",
    )
    xlsx_path = _workbook(
        tmp_path / "formulas.xlsx",
        [["Date", "Supplier", "Amount", "Description"], ["01/05/2023", "Acme", 100, "=1+1"]],
    )
    authority = _authority(session)
    stored = []
    for path in (csv_path, xlsx_path):
        result = imports.import_spend_file(
            session, authority=authority, path=path, data_dir=tmp_path / "store"
        )
        stored += session.execute(
            select(SpendLine.supplier_name, SpendLine.description)
            .where(SpendLine.batch_id == result.batch_id)
            .order_by(SpendLine.id)
        ).all()
    assert stored == [
        ("=cmd|' /C calc'!A0", "=1+1"),
        ('=HYPERLINK("http://evil.example")', "@SUM(A1)"),
        # openpyxl saves "=1+1" as a formula with no cached value: read as empty, never 2.
        ("Acme", None),
    ]
