"""``parse_spend_file``: turn one spend file into records, row errors and skip counts."""

from __future__ import annotations

import datetime
import gc
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from tracker.domain.organisation import is_organisation_header

from .columns import normalise_header
from .extent import check_extent
from .header import HeaderInfo, NoHeaderError, check_width, find_header
from .limits import ImportLimits
from .model import CODE_FIELDS, FIELDS, ImportFileError, ParsedSpend, RowError, SpendRecord
from .readers import (
    ReaderError,
    Row,
    detect_format,
    iter_sheet,
    iter_text_rows,
    open_text,
    workbook_sheets,
)
from .values import (
    _PAD,
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


#: SpendRecord fields read from text cells, in SpendRecord order (after the money fields).
_RECORD_TEXT_FIELDS = (
    "currency", "supplier", "description", "expense_type", "sic", "naics", "proclass", "mcc",
    "cpv", "unspsc", "transaction_id", "cost_centre", "capital_or_revenue", "original_currency",
)  # fmt: skip
#: Fields whose values repeat a lot: equal strings are stored once when the whole file's
#: records are held (``_Body(pooled=True)``); a streamed chunk is stored and let go, so
#: pooling it would only cost time.
_POOLED_FIELDS = frozenset(_RECORD_TEXT_FIELDS) - {"description", "transaction_id"}
#: A pool that grows past this many distinct values stops pooling (the column is not
#: repetitive after all) so that it cannot hold more than the records do.
_POOL_LIMIT = 100_000

# A pending row is a list of the SpendRecord fields in order, except that the date slot
# holds the raw date cell and the precision slot the row's value errors (or None) until
# ``finish`` parses the date and turns the list into a SpendRecord.
_Pending = list[Any]
#: Distinct values kept per organisation column (a file naming more bodies is odd anyway).
_MAX_BODIES = 20
#: Rows above the header examined as title rows.
_TITLE_ROWS = 10
_RECORD_FIELDS = SpendRecord._fields
_TEXT_START = 7
assert _RECORD_FIELDS[_TEXT_START:] == _RECORD_TEXT_FIELDS


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
    """Row classification and value parsing below the header.

    Rows are read in one pass into compact pending lists; dates are parsed at the end, once
    per distinct text, when the whole column has decided day/month order.
    """

    def __init__(
        self, name: str, header: HeaderInfo, limits: ImportLimits, *, pooled: bool = True
    ) -> None:
        self.name = name
        self.headers = header.headers
        self.fields = header.match.fields
        self.rule = amount_rule_for(self.fields)
        self.limits = limits
        self.first_row = header.index + 2
        self._number = self.first_row - 1  # the last row number read
        self.pending: list[Any] = []  # _Pending rows, then records
        self.skipped: dict[str, int] = {}
        self.rows_read = 0
        self._date_index = self.fields["date"]
        # distinct date texts (each stored once); parsed in ``finish``
        self._dates: dict[str, str] = {}
        # (position in the pending list, column index, is a code, is the currency, pool)
        self._texts: list[tuple[int, int, bool, bool, dict[str, str] | None]] = [
            (
                _TEXT_START + position,
                self.fields[field_name],
                field_name in CODE_FIELDS,
                field_name in ("currency", "original_currency"),
                {} if pooled and field_name in _POOLED_FIELDS else None,
            )
            for position, field_name in enumerate(_RECORD_TEXT_FIELDS)
            if field_name in self.fields
        ]
        # Text cells kept as they are (trimmed; not codes, currencies or pooled) are read
        # by a shorter loop than the others.
        self._plain_texts = [(t[0], t[1]) for t in self._texts if t[2:] == (False, False, None)]
        self._texts = [t for t in self._texts if t[2:] != (False, False, None)]
        self._blank: _Pending = [None] * (_TEXT_START + len(_RECORD_TEXT_FIELDS))
        # the amount's column when it is the only money cell read (the "amount" rule)
        self._amount_index = self.fields["amount"] if self.rule == "amount" else None
        # organisation columns: (column index, distinct raw values seen, at most _MAX_BODIES)
        self.bodies: list[tuple[int, dict[object, None]]] = [
            (i, {}) for i, h in enumerate(self.headers) if is_organisation_header(h)
        ]

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

    def feed(self, rows: Iterator[Row], limit: int | None = None) -> bool:
        """Read the rows (at most ``limit`` of them) into ``pending``; True when ``limit``
        rows were read, so that more may follow."""
        name, max_rows, max_columns = self.name, self.limits.max_rows, self.limits.max_columns
        date_index = self._date_index
        append = self.pending.append
        read_values = self.read_values
        number = started = self._number
        last = self.first_row - 1 + max_rows  # the number of the last row allowed
        for row in rows if limit is None else itertools.islice(rows, limit):
            number += 1
            if number > last:
                raise ImportFileError(
                    f"{name}: more than {max_rows:,} data rows (the row limit, TRACKER_MAX_ROWS)"
                )
            if len(row) > max_columns:
                check_width(name, row, number, max_columns)
            # A row with a date is a transaction: the common case, decided without the
            # blank/total/placeholder checks (which all need an empty date).
            date = row[date_index] if date_index < len(row) else None
            if type(date) is str:
                if date.strip(_PAD):
                    append(read_values(row, number, date))
                    continue
            elif date is not None and clean_text(date) != "":
                append(read_values(row, number, date))
                continue
            self.classify(row, number)
        self._number = number
        self.rows_read = number - self.first_row + 1
        return limit is not None and number - started == limit

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
        self.pending.append(self.read_values(row, number, self.cell(row, "date")))

    def _money(
        self, row: Row, number: int, field_name: str, errors: list[RowError] | None
    ) -> Decimal | None:
        """Parse a money cell; problems go to ``errors`` (or are ignored when it is None)."""
        index = self.fields.get(field_name)
        if index is None:
            return None
        value = row[index] if index < len(row) else ""
        try:
            return parse_amount("" if value is None else value)
        except ValueParseError as exc:
            if errors is not None:
                errors.append(RowError(number, self.column(field_name), str(exc)))
            return None

    def _read_net(self, row: Row, number: int, pending: _Pending) -> None:
        """The money cells of a file whose rule is not "amount" (net, gross, gross minus
        VAT) into ``pending``: its errors, amount, gross and VAT slots."""
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
        elif rule == "gross":
            amount = gross
        else:
            amount = None if gross is None else gross - (vat or Decimal(0))
        pending[2] = errors or None
        pending[3] = amount
        pending[4] = gross
        pending[5] = vat

    def read_values(self, row: Row, number: int, raw_date: object) -> _Pending:
        width = len(row)
        for index, seen in self.bodies:
            if index < width and len(seen) < _MAX_BODIES:
                seen[row[index]] = None
        if isinstance(raw_date, str):  # keep one copy of each distinct date text
            raw_date = self._dates.setdefault(raw_date, raw_date)
        pending = self._blank.copy()
        pending[0] = number
        pending[1] = raw_date
        at = self._amount_index
        if at is not None:  # the "amount" rule (one money column): the common case
            value = row[at] if at < width else None
            try:
                pending[3] = parse_amount("" if value is None else value)
            except ValueParseError as exc:
                pending[2] = [RowError(number, self.headers[at], str(exc))]
        else:
            self._read_net(row, number, pending)
        if "original_amount" in self.fields:  # informational: a bad value is left out
            pending[6] = self._money(row, number, "original_amount", None)
        for position, index in self._plain_texts:  # most text cells, in few steps
            value = row[index] if index < width else None
            if type(value) is str:
                value = value.strip(_PAD)
                if value:
                    pending[position] = value
            elif value is not None and (text := clean_text(value)):
                pending[position] = text
        for position, index, is_code, is_currency, pool in self._texts:
            value = row[index] if index < width else None
            if type(value) is str:
                text = value.strip(_PAD)
                if is_code and "." in text:
                    text = clean_code(text)
            elif value is None:
                continue
            else:
                text = clean_code(value) if is_code else clean_text(value)
            if not text:
                continue
            if is_currency:
                text = text.upper()
            if pool is not None:
                text = pool.setdefault(text, text)
                if len(pool) > _POOL_LIMIT:
                    self._stop_pooling(position)
            pending[position] = text
        return pending

    def _stop_pooling(self, position: int) -> None:
        self._texts = [(*t[:4], None) if t[0] == position else t for t in self._texts]

    def evidence(self) -> str:
        """Day/month evidence of the date texts pending. Only text cells carry it, and it
        does not depend on order or on repeats, so the distinct texts decide it as the
        whole column would."""
        return date_order_evidence(self._dates)

    def finish(self, day_first: bool) -> tuple[list[SpendRecord], list[RowError]]:
        """The pending rows as records and row errors, dates read ``day_first`` or not."""
        dates: dict[str, tuple[datetime.date, str] | str] = {}  # text -> result or error
        for text in self._dates:
            try:
                dates[text] = parse_date(text, day_first=day_first)
            except ValueParseError as exc:
                dates[text] = str(exc)
        self._dates.clear()
        errors: list[RowError] = []
        date_column = self.column("date")
        # Records replace the pending rows in place, so both are never held in full.
        pending: list[Any] = self.pending
        new_record = tuple.__new__  # SpendRecord(*item) without its Python __new__
        kept = 0
        for item in pending:
            raw_date = item[1]
            parsed = dates.get(raw_date) if isinstance(raw_date, str) else None
            if parsed is None:
                try:
                    parsed = parse_date(raw_date, day_first=day_first)
                except ValueParseError as exc:
                    parsed = str(exc)
            if isinstance(parsed, str):  # the date error comes first, then the row's others
                errors.append(RowError(item[0], date_column, parsed))
                errors.extend(item[2] or ())
                continue
            if item[2] or item[3] is None:
                errors.extend(item[2] or ())
                continue
            item[1], item[2] = parsed
            pending[kept] = new_record(SpendRecord, item)
            kept += 1
        del pending[kept:]
        self.pending = []
        return pending, errors


def _above_header_rows(header: HeaderInfo) -> list[tuple[int, Row]]:
    """Rows above the header whose date and amount cells both parse, with their numbers.

    A real file (Birmingham card spend, November 2019) has its header on row 802 below 801
    transactions in the same columns: those rows are read with the header's columns, never
    taken as the header or dropped.
    """
    date_index = header.match.fields["date"]
    money = [header.match.fields[f] for f in ("net_amount", "gross_amount", "amount")
             if f in header.match.fields]  # fmt: skip
    found: list[tuple[int, Row]] = []
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
        found.append((index + 1, row))
    return found


def _organisations(header: HeaderInfo, body: _Body) -> list[tuple[str, str]]:
    """Where the file names a body: its title rows (a row of at most three cells among the
    first ``_TITLE_ROWS``) and the distinct values of its organisation columns."""
    found: list[tuple[str, str]] = []
    for index, row in enumerate(header.preamble[:_TITLE_ROWS]):
        cells = [t for t in (clean_text(c) for c in row) if t]
        if 0 < len(cells) <= 3:
            found.append((f"title row {index + 1}", " ".join(cells)))
    for index, seen in body.bodies:
        texts = dict.fromkeys(clean_text(v) for v in seen)
        found.extend((body.headers[index], t) for t in texts if t)
    return found


#: Order of the day/month evidence as rows add to it (see ``date_order_evidence``): more
#: rows can only move it up this list.
_EVIDENCE = ("none", "ambiguous", "month-first", "day-first")


def _stronger(a: str, b: str) -> str:
    return a if _EVIDENCE.index(a) >= _EVIDENCE.index(b) else b


class DateOrderChanged(Exception):
    """A later chunk of a streamed file changed how its numeric dates are read after
    earlier chunks were handed out: read the file again from the start with ``evidence``."""

    def __init__(self, evidence: str) -> None:
        super().__init__(f"numeric dates now read as {evidence}")
        self.evidence = evidence


class SpendStream:
    """A spend file whose header is found, read chunk by chunk by :meth:`chunks`.

    What is known from the header (format, headers, mapping, amount rule …) is set from
    the start; the row errors, skip counts, rows read and notes are complete once
    :meth:`chunks` is exhausted, when :meth:`summary` gives them as a ParsedSpend.
    """

    def __init__(
        self,
        path: Path,
        file_format: str,
        header: HeaderInfo,
        rows: Iterator[Row],
        limits: ImportLimits,
        notes: list[str],
        *,
        chunk_rows: int | None,
        evidence: str,
    ) -> None:
        self.file_name = path.name
        self.file_format = file_format
        self.encoding: str | None = None
        self.delimiter: str | None = None
        self.sheet: str | None = None
        self.header_row = header.index + 1
        self.headers = header.headers
        self.mapping = {
            f: header.headers[i]
            for f, i in sorted(header.match.fields.items(), key=lambda item: FIELDS.index(item[0]))
        }
        self._header = header
        self._body = _Body(path.name, header, limits, pooled=chunk_rows is None)
        self.amount_rule = self._body.rule
        self._rows = itertools.chain(header.lookahead, rows)
        self._above = _above_header_rows(header)
        self.notes = notes
        if self._above:
            notes.append(
                f"{len(self._above)} rows above the header row (row {header.index + 1}) are "
                "transactions in the same columns and were read with it"
            )
        self._chunk_rows = chunk_rows
        self.evidence = evidence
        self.errors: list[RowError] = []
        self.done = False

    def chunks(self) -> Iterator[list[SpendRecord]]:
        """The records in file order, ``chunk_rows`` rows read at a time (all at once when
        None). Raises :class:`ImportFileError` for a file that turns out unreadable, and
        :class:`DateOrderChanged` when a chunk's dates decide day/month order otherwise
        than the chunks before it were read with."""
        body = self._body
        for number, row in self._above:  # above the header: first in the file
            body.pending.append(body.read_values(row, number, body.cell(row, "date")))
        used: bool | None = None  # day-first, as the chunks so far were read
        more = True
        while more:
            with gc_paused(), _file_errors(self.file_name):
                more = body.feed(self._rows, self._chunk_rows)
                evidence = _stronger(body.evidence(), self.evidence)
                day_first = evidence != "month-first"
                if used is not None and used != day_first:
                    raise DateOrderChanged(evidence)
                used, self.evidence = day_first, evidence
                records, errors = body.finish(day_first)
            self.errors.extend(errors)
            if records:
                yield records
        self.done = True

    def summary(self) -> ParsedSpend:
        """What was learned from the whole file, without its records (read them from
        :meth:`chunks` first)."""
        if not self.done:
            raise RuntimeError("read every chunk before the summary")
        notes = list(self.notes)
        if self.evidence == "month-first":
            notes.append("dates read month-first (US style): a second part above 12 was found")
        elif self.evidence == "ambiguous":
            notes.append("numeric dates were ambiguous (no part above 12): read day-first (UK)")
        body = self._body
        return ParsedSpend(
            file_name=self.file_name, file_format=self.file_format, encoding=self.encoding,
            delimiter=self.delimiter, sheet=self.sheet, header_row=self.header_row,
            headers=self.headers, mapping=dict(self.mapping), amount_rule=self.amount_rule,
            records=[], errors=sorted(self.errors, key=lambda e: e.row),
            skipped=body.skipped, rows_read=body.rows_read + len(self._above),
            date_order="month-first" if self.evidence == "month-first" else "day-first",
            notes=notes, organisations=_organisations(self._header, body),
        )  # fmt: skip


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while rows are read (and, for a caller
    storing a stream's chunks, while one chunk is stored: ``tracker.services.imports``).

    Parsing allocates one container per row and keeps a chunk's (a whole file's, unchunked)
    until it is handed out; every collection would walk the growing set again (about a
    sixth of the run time at a million rows). Reading creates no reference cycles, so
    nothing is lost by collecting afterwards instead.

    The collector is the whole process's, so under a threaded server every request's
    cyclic garbage waits while it is paused: hold the pause for one chunk at a time (a
    stream pauses while it reads each chunk, not while its caller holds the chunk), never
    across a whole import. Pauses that overlap in two threads end when the first of them to
    begin ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _file_errors(name: str) -> Iterator[None]:
    """A reader's or the file system's error as the ImportFileError naming the file."""
    try:
        yield
    except ReaderError as exc:
        raise ImportFileError(f"{name}: {exc}") from None
    except OSError as exc:
        raise ImportFileError(f"{name}: cannot read file ({exc.strerror or exc})") from None


def parse_spend_file(
    path: Path,
    *,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    limits: ImportLimits | None = None,
) -> ParsedSpend:
    """Parse a CSV/TSV/.xlsx/.xls/.ods spend file.  Raises only :class:`ImportFileError`.

    The limits (:class:`ImportLimits`; the defaults when None) bound what a hostile or
    broken file can cost: its size, rows, columns, the length of one cell, and what a
    zip-based workbook expands to (in bytes, and as a multiple of its own size).
    """
    with gc_paused():
        stream = open_spend_file(path, sheet=sheet, mapping=mapping, limits=limits)
        records = [record for chunk in stream.chunks() for record in chunk]
    parsed = stream.summary()
    parsed.records = records
    return parsed


def open_spend_file(
    path: Path,
    *,
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    limits: ImportLimits | None = None,
    chunk_rows: int | None = None,
    evidence: str = "none",
) -> SpendStream:
    """Find the header of a spend file and return it as a :class:`SpendStream` whose
    records are read ``chunk_rows`` data rows at a time (all at once when None), numeric
    dates read with at least ``evidence`` of their day/month order. Raises only
    :class:`ImportFileError` (from the stream's chunks too)."""
    limits = limits or ImportLimits()
    path = Path(path)
    max_bytes = limits.max_bytes
    name = path.name
    with _file_errors(name):
        if not path.is_file():
            raise ImportFileError(f"{name}: not a file or does not exist")
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportFileError(
                f"{name}: file is {size:,} bytes, over the limit of {max_bytes:,} bytes "
                "(TRACKER_MAX_UPLOAD_MB)"
            )
        overrides = _check_overrides(name, mapping)
        file_format = detect_format(path, limits)
        check_extent(path, file_format)
        if file_format == "csv":
            source = open_text(path)
            rows = iter_text_rows(path, source, limits.max_cell_chars)
            header = find_header(name, rows, overrides, limits.max_columns, "")
            stream = SpendStream(
                path, "csv", header, rows, limits, [], chunk_rows=chunk_rows, evidence=evidence
            )
            stream.encoding, stream.delimiter = source.encoding, source.delimiter
            return stream
        return _open_workbook(
            path, file_format, sheet, overrides, limits, chunk_rows=chunk_rows, evidence=evidence
        )


def _open_workbook(
    path: Path,
    file_format: str,
    sheet: str | None,
    overrides: dict[str, str],
    limits: ImportLimits,
    *,
    chunk_rows: int | None,
    evidence: str,
) -> SpendStream:
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
            rows = iter_sheet(path, candidate, limits.max_cell_chars)
            header = find_header(name, rows, overrides, limits.max_columns, where)
        except NoHeaderError as exc:
            first_error = first_error or exc
            continue
        notes = []
        if len(sheets) > 1 and sheet is None:
            notes.append(f"used sheet {candidate!r} of {len(sheets)}: the first with spend columns")
        stream = SpendStream(
            path, file_format, header, rows, limits, notes, chunk_rows=chunk_rows, evidence=evidence
        )
        stream.sheet = candidate
        return stream
    if first_error is not None:
        raise first_error
    raise ImportFileError(f"{name}: the workbook has no sheets")
