"""Plain data types produced by the spend-file importers (no I/O here)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

#: Canonical field names a spend column can be mapped to.
FIELDS: tuple[str, ...] = (
    "date",
    "amount",
    "net_amount",
    "gross_amount",
    "vat",
    "supplier",
    "description",
    "expense_type",
    "sic",
    "naics",
    "proclass",
    "mcc",
    "cpv",
    "unspsc",
    "currency",
    "transaction_id",
    "cost_centre",
    "capital_or_revenue",
    "original_amount",
    "original_currency",
)

#: Fields holding a money value.
MONEY_FIELDS: tuple[str, ...] = ("amount", "net_amount", "gross_amount", "vat", "original_amount")

#: Fields holding a classification code or identifier (float cells rendered as integers).
CODE_FIELDS: tuple[str, ...] = (
    "sic",
    "naics",
    "proclass",
    "mcc",
    "cpv",
    "unspsc",
    "transaction_id",
)


class ImportFileError(Exception):
    """A file that cannot be imported at all; ``str()`` is a one-line reason naming the file."""


@dataclass(frozen=True)
class RowError:
    """A problem with one row; the row is not imported."""

    row: int  # 1-based row number as a spreadsheet user sees it
    column: str | None  # header text, or None for whole-row problems
    message: str


class SpendRecord(NamedTuple):
    """One imported transaction.

    A named tuple (immutable; fields read by name): the parser makes each record from
    the list of its fields with ``tuple.__new__``, where a frozen dataclass costs an
    ``object.__setattr__`` per field, and a consumer can turn a chunk of records into
    columns with ``zip(*records)``.
    """

    source_row: int
    date: datetime.date
    date_precision: str  # "day" or "month"
    amount: Decimal  # net of VAT where the file allows; negative for credit notes
    gross_amount: Decimal | None
    vat: Decimal | None
    # A foreign-currency purchase: what was paid in the purchase currency (``amount`` is
    # the converted amount the authority was billed).
    original_amount: Decimal | None
    currency: str | None
    supplier: str | None
    description: str | None
    expense_type: str | None
    sic: str | None
    naics: str | None
    proclass: str | None
    mcc: str | None
    cpv: str | None
    unspsc: str | None
    transaction_id: str | None
    cost_centre: str | None
    capital_or_revenue: str | None
    original_currency: str | None


@dataclass
class ParsedSpend:
    """Everything learned from one file."""

    file_name: str
    file_format: str  # "csv", "xlsx", "xls", "ods"
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int  # 1-based
    headers: list[str]
    mapping: dict[str, str]  # FIELD -> header text used
    amount_rule: str  # "net" | "gross-minus-vat" | "gross" | "amount"
    records: list[SpendRecord]
    errors: list[RowError]
    skipped: dict[str, int]
    rows_read: int
    #: "day-first" or "month-first": how ambiguous numeric dates were read.
    date_order: str = "day-first"
    #: Human-readable notes about decisions taken (sheet choice, date order ...).
    notes: list[str] = field(default_factory=list)
    #: Where the file names a publishing body and what it says: (column header or
    #: "title row N", text), distinct values in the order found.
    organisations: list[tuple[str, str]] = field(default_factory=list)
