"""Pure file-parsing layer for spend files (CSV/TSV, .xlsx, .xls, .ods): no database here.

Use :func:`parse_spend_file`; :func:`parse_amount` and :func:`parse_date` also work alone.
"""

from .columns import ALIASES, normalise_header
from .model import FIELDS, ImportFileError, ParsedSpend, RowError, SpendRecord
from .parse import parse_spend_file
from .values import (
    ValueParseError,
    date_order_evidence,
    infer_day_first,
    parse_amount,
    parse_date,
)

__all__ = [
    "ALIASES",
    "FIELDS",
    "ImportFileError",
    "ParsedSpend",
    "RowError",
    "SpendRecord",
    "ValueParseError",
    "date_order_evidence",
    "infer_day_first",
    "normalise_header",
    "parse_amount",
    "parse_date",
    "parse_spend_file",
]
