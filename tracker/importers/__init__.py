"""Pure file-parsing layer for spend files (CSV/TSV, .xlsx, .xls, .ods): no database here.

Use :func:`parse_spend_file` (the whole file at once) or :func:`open_spend_file` (its
records chunk by chunk, for a large file); :func:`parse_amount` and :func:`parse_date`
also work alone.
"""

from .columns import ALIASES, normalise_header
from .model import FIELDS, ImportFileError, ParsedSpend, RowError, SpendRecord
from .parse import DateOrderChanged, SpendStream, gc_paused, open_spend_file, parse_spend_file
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
    "DateOrderChanged",
    "ImportFileError",
    "ParsedSpend",
    "RowError",
    "SpendRecord",
    "SpendStream",
    "ValueParseError",
    "date_order_evidence",
    "gc_paused",
    "infer_day_first",
    "normalise_header",
    "open_spend_file",
    "parse_amount",
    "parse_date",
    "parse_spend_file",
]
