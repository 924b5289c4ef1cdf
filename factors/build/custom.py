"""The project's own long factor format ``code,name,year,kgco2e_per_unit`` as a parser.

Used by ``tracker factors load custom`` for factor sets a user brings (e.g. a national
set not shipped here). Extra columns are ignored; values are kept as text and checked.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, InvalidOperation

from factors.build._common import SourceDataError

COLUMNS = ("code", "name", "year", "kgco2e_per_unit")
_YEAR = re.compile(r"\d{4}")


def parse_factor_csv(data: bytes, source_name: str) -> list[tuple[str, str, str, str]]:
    """Rows ``(code, name, year, value)`` of a UTF-8 CSV with at least :data:`COLUMNS`.

    Errors name the file, line and column: missing columns, empty codes, bad years,
    non-numeric or negative values, and a code repeated within a year.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceDataError(f"{source_name}: not UTF-8 text ({exc.reason})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip() for f in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in fields]
    if missing:
        raise SourceDataError(
            f"{source_name} line 1: missing column(s) {', '.join(missing)}; "
            f"expected {','.join(COLUMNS)}"
        )
    reader.fieldnames = fields
    rows: list[tuple[str, str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for record in reader:
        line = reader.line_num
        if None in record or any(record.get(c) is None for c in COLUMNS):
            raise SourceDataError(f"{source_name} line {line}: wrong number of fields")
        code, name, year, value = (str(record[c]).strip() for c in COLUMNS)
        if not any((code, name, year, value)):
            continue
        if not code:
            raise SourceDataError(f"{source_name} line {line}, column 'code': empty")
        if not _YEAR.fullmatch(year):
            raise SourceDataError(
                f"{source_name} line {line}, column 'year': {year!r} is not a year"
            )
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise SourceDataError(
                f"{source_name} line {line}, column 'kgco2e_per_unit': not a number: {value!r}"
            ) from None
        if not number.is_finite() or number < 0:
            raise SourceDataError(
                f"{source_name} line {line}, column 'kgco2e_per_unit': implausible {value!r}"
            )
        if (code, year) in seen:
            raise SourceDataError(
                f"{source_name} line {line}, column 'code': {code!r} repeated for {year}"
            )
        seen.add((code, year))
        rows.append((code, name, year, value))
    if not rows:
        raise SourceDataError(f"{source_name}: no data rows")
    return rows
