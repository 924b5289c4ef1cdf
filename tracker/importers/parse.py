"""``parse_spend_file``: turn one spend file into records, row errors and skip counts."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .columns import normalise_header
from .header import HeaderInfo, NoHeaderError, check_width, find_header
from .model import CODE_FIELDS, FIELDS, ImportFileError, ParsedSpend, RowError, SpendRecord
from .readers import (
    ReaderError,
    Row,
    detect_format,
    iter_text_rows,
    open_text,
    read_sheet,
    workbook_sheets,
)
from .values import (
    ValueParseError,
    clean_code,
    clean_text,
    date_order_evidence,
    parse_amount,
    parse_date,
)

_TOTAL_LABELS = {"total", "totals", "grandtotal", "subtotal", "overalltotal", "reporttotal"}
_TEXT_FIELDS = (
    "supplier", "description", "expense_type", "currency", "cost_centre", "capital_or_revenue",
)  # fmt: skip
ABOVE_HEADER_MESSAGE = "row above the header looks like a transaction"


@dataclass
class _Pending:
    row: int
    raw_date: object
    amount: Decimal | None
    gross: Decimal | None
    vat: Decimal | None
    text: dict[str, str | None]
    errors: list[RowError] = field(default_factory=list)


@dataclass
class _Limits:
    max_rows: int
    max_columns: int


def amount_rule_for(fields: dict[str, int]) -> str:
    if "net_amount" in fields:
        return "net"
    if "gross_amount" in fields and "vat" in fields:
        return "gross-minus-vat"
    if "amount" in fields:
        return "amount"
    return "gross"


def _check_overrides(name: str, mapping: dict[str, str] | None) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for field_name, header in (mapping or {}).items():
        key = field_name.strip().lower()
        if key not in FIELDS:
            raise ImportFileError(
                f"{name}: unknown field {field_name!r} in mapping; "
                f"known fields: {', '.join(FIELDS)}"
            )
        overrides[key] = header.strip()
    return overrides


class _Body:
    """Row classification and value parsing below the header."""

    def __init__(self, name: str, header: HeaderInfo, limits: _Limits) -> None:
        self.name = name
        self.headers = header.headers
        self.fields = header.match.fields
        self.rule = amount_rule_for(self.fields)
        self.limits = limits
        self.first_row = header.index + 2
        self.pending: list[_Pending] = []
        self.skipped: dict[str, int] = {}
        self.rows_read = 0

    def column(self, field_name: str) -> str:
        return self.headers[self.fields[field_name]]

    def cell(self, row: Row, field_name: str) -> object:
        index = self.fields.get(field_name)
        if index is None or index >= len(row):
            return ""
        value = row[index]
        return "" if value is None else value

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def feed(self, rows: Iterator[Row]) -> None:
        for offset, row in enumerate(rows):
            number = self.first_row + offset
            self.rows_read += 1
            if self.rows_read > self.limits.max_rows:
                raise ImportFileError(
                    f"{self.name}: more than {self.limits.max_rows:,} data rows (the row limit)"
                )
            check_width(self.name, row, number, self.limits.max_columns)
            self.classify(row, number)

    def classify(self, row: Row, number: int) -> None:
        texts = [clean_text(cell) for cell in row]
        non_empty = [t for t in texts if t]
        if not non_empty:
            self.skip("blank")
            return
        date_empty = clean_text(self.cell(row, "date")) == ""
        if date_empty and normalise_header(non_empty[0]) in _TOTAL_LABELS:
            self.skip("total")
            return
        money = [f for f in ("amount", "net_amount", "gross_amount") if f in self.fields]
        if date_empty and all(clean_text(self.cell(row, f)) == "" for f in money):
            self.skip("placeholder")
            return
        if (
            date_empty
            and "transaction_id" in self.fields
            and clean_text(self.cell(row, "transaction_id")) == ""
        ):
            self.skip("summary")
            return
        self.pending.append(self.read_values(row, number))

    def _money(
        self, row: Row, number: int, field_name: str, errors: list[RowError] | None
    ) -> Decimal | None:
        """Parse a money cell; problems go to ``errors`` (or are ignored when it is None)."""
        if field_name not in self.fields:
            return None
        value = self.cell(row, field_name)
        try:
            return parse_amount(value)
        except ValueParseError as exc:
            if errors is not None:
                errors.append(RowError(number, self.column(field_name), str(exc)))
            return None

    def read_values(self, row: Row, number: int) -> _Pending:
        errors: list[RowError] = []
        rule = self.rule
        uses_gross = rule in ("gross", "gross-minus-vat")
        gross = self._money(row, number, "gross_amount", errors if uses_gross else None)
        vat: Decimal | None = None
        if "vat" in self.fields and clean_text(self.cell(row, "vat")) != "":
            vat = self._money(row, number, "vat", errors if rule == "gross-minus-vat" else None)
        amount: Decimal | None
        if rule == "net":
            amount = self._money(row, number, "net_amount", errors)
        elif rule == "amount":
            amount = self._money(row, number, "amount", errors)
        elif rule == "gross":
            amount = gross
        else:
            amount = None if gross is None else gross - (vat or Decimal(0))
        text: dict[str, str | None] = {}
        for field_name in _TEXT_FIELDS:
            if field_name in self.fields:
                text[field_name] = clean_text(self.cell(row, field_name)) or None
        for field_name in CODE_FIELDS:
            if field_name in self.fields:
                text[field_name] = clean_code(self.cell(row, field_name)) or None
        if text.get("currency"):
            text["currency"] = (text["currency"] or "").upper()
        return _Pending(number, self.cell(row, "date"), amount, gross, vat, text, errors)

    def finish(self) -> tuple[list[SpendRecord], list[RowError], str]:
        evidence = date_order_evidence(p.raw_date for p in self.pending)
        day_first = evidence != "month-first"
        records: list[SpendRecord] = []
        errors: list[RowError] = []
        date_column = self.column("date")
        for item in self.pending:
            row_errors = list(item.errors)
            try:
                date, precision = parse_date(item.raw_date, day_first=day_first)
            except ValueParseError as exc:
                row_errors.insert(0, RowError(item.row, date_column, str(exc)))
            if row_errors or item.amount is None:
                errors.extend(row_errors)
                continue
            get = item.text.get
            records.append(
                SpendRecord(
                    source_row=item.row,
                    date=date,
                    date_precision=precision,
                    amount=item.amount,
                    gross_amount=item.gross,
                    vat=item.vat,
                    currency=get("currency"),
                    supplier=get("supplier"),
                    description=get("description"),
                    expense_type=get("expense_type"),
                    sic=get("sic"),
                    naics=get("naics"),
                    proclass=get("proclass"),
                    mcc=get("mcc"),
                    cpv=get("cpv"),
                    unspsc=get("unspsc"),
                    transaction_id=get("transaction_id"),
                    cost_centre=get("cost_centre"),
                    capital_or_revenue=get("capital_or_revenue"),
                )
            )
        return records, errors, evidence


def _above_header_errors(header: HeaderInfo) -> list[RowError]:
    """Rows above the header whose date and amount cells both parse look like lost data."""
    date_index = header.match.fields["date"]
    money = [header.match.fields[f] for f in ("net_amount", "gross_amount", "amount")
             if f in header.match.fields]  # fmt: skip
    found: list[RowError] = []
    for index, row in enumerate(header.preamble):
        if date_index >= len(row) or money[0] >= len(row):
            continue
        try:
            parse_amount(row[money[0]])
            parse_date(row[date_index])
        except ValueParseError:
            try:
                parse_date(row[date_index], day_first=False)
                parse_amount(row[money[0]])
            except ValueParseError:
                continue
        found.append(RowError(index + 1, None, ABOVE_HEADER_MESSAGE))
    return found


def _parse_rows(
    name: str, rows: Iterator[Row], overrides: dict[str, str], limits: _Limits, where: str = ""
) -> tuple[HeaderInfo, _Body]:
    header = find_header(name, rows, overrides, limits.max_columns, where)
    body = _Body(name, header, limits)
    body.feed(itertools.chain(header.lookahead, rows))
    return header, body


def _build(
    path: Path, file_format: str, header: HeaderInfo, body: _Body, notes: list[str]
) -> ParsedSpend:
    records, errors, evidence = body.finish()
    above = _above_header_errors(header)
    if above:
        notes.append(f"{len(above)} rows above the header row look like transactions")
    date_order = "month-first" if evidence == "month-first" else "day-first"
    if evidence == "month-first":
        notes.append("dates read month-first (US style): a second part above 12 was found")
    elif evidence == "ambiguous":
        notes.append("numeric dates were ambiguous (no part above 12): read day-first (UK)")
    mapping = {
        f: header.headers[i]
        for f, i in sorted(header.match.fields.items(), key=lambda item: FIELDS.index(item[0]))
    }
    return ParsedSpend(
        file_name=path.name, file_format=file_format, encoding=None, delimiter=None,
        sheet=None, header_row=header.index + 1, headers=header.headers, mapping=mapping,
        amount_rule=body.rule, records=records,
        errors=sorted(above + errors, key=lambda e: e.row), skipped=body.skipped,
        rows_read=body.rows_read, date_order=date_order, notes=notes,
    )  # fmt: skip


def parse_spend_file(
    path: Path,
    *,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    max_bytes: int = 200 * 1024 * 1024,
    max_rows: int = 2_000_000,
    max_columns: int = 500,
) -> ParsedSpend:
    """Parse a CSV/TSV/.xlsx/.xls/.ods spend file.  Raises only :class:`ImportFileError`."""
    path = Path(path)
    name = path.name
    try:
        if not path.is_file():
            raise ImportFileError(f"{name}: not a file or does not exist")
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportFileError(
                f"{name}: file is {size:,} bytes, over the limit of {max_bytes:,} bytes"
            )
        overrides = _check_overrides(name, mapping)
        limits = _Limits(max_rows=max_rows, max_columns=max_columns)
        file_format = detect_format(path)
        if file_format == "csv":
            source = open_text(path)
            header, body = _parse_rows(name, iter_text_rows(path, source), overrides, limits)
            result = _build(path, "csv", header, body, [])
            result.encoding, result.delimiter = source.encoding, source.delimiter
            return result
        return _parse_workbook(path, file_format, sheet, overrides, limits)
    except ReaderError as exc:
        raise ImportFileError(f"{name}: {exc}") from None
    except OSError as exc:
        raise ImportFileError(f"{name}: cannot read file ({exc.strerror or exc})") from None


def _parse_workbook(
    path: Path, file_format: str, sheet: str | None, overrides: dict[str, str], limits: _Limits
) -> ParsedSpend:
    name = path.name
    sheets = workbook_sheets(path)
    if sheet is not None:
        if sheet not in sheets:
            raise ImportFileError(
                f"{name}: no sheet named {sheet!r}; sheets: {', '.join(map(repr, sheets))}"
            )
        candidates = [sheet]
    else:
        candidates = sheets
    first_error: NoHeaderError | None = None
    for candidate in candidates:
        where = f" (sheet {candidate!r})"
        try:
            header, body = _parse_rows(
                name, iter(read_sheet(path, candidate)), overrides, limits, where
            )
        except NoHeaderError as exc:
            first_error = first_error or exc
            continue
        notes = []
        if len(sheets) > 1 and sheet is None:
            notes.append(f"used sheet {candidate!r} of {len(sheets)}: the first with spend columns")
        result = _build(path, file_format, header, body, notes)
        result.sheet = candidate
        return result
    if first_error is not None:
        raise first_error
    raise ImportFileError(f"{name}: the workbook has no sheets")
