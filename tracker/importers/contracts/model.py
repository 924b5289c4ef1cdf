"""What the contract parsers produce: contracts as published, with every refusal named."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

#: A contract is flagged when it ends more than this many years after it starts.
IMPLAUSIBLE_YEARS = 30

#: Contract.source_key's width: a longer key (an ocid and award id of over 300
#: characters) is cut, the same way every time it is read.
SOURCE_KEY_WIDTH = 300

#: Doubts found on reading a contract, kept with it as published (Contract.flags).
FLAG_TEXT = {
    "end_date_before_start": "ends before it starts",
    "end_date_implausible": (
        f"ends implausibly late (over {IMPLAUSIBLE_YEARS} years after it starts, or after 2099)"
    ),
    "value_negative": "value is negative",
    "value_is_minimum": "value is the tender's minimum estimate",
    "value_includes_vat": (
        "value stated including VAT (estimates take it net: ÷ 1.2 in GBP; in another "
        "currency, as published)"
    ),
    "no_supplier": "no supplier named",
    "supplier_identifier_unreadable": (
        "a supplier identifier was given that is no valid number of its register; left out"
    ),
    "buyer_filled": "organisation missing on its row; the file's only organisation assumed",
}


@dataclass(frozen=True)
class Refusal:
    """Something in a file that was not imported (or not a contract), and why."""

    record: str  # "row 12", "line 3, ocid ocds-…", "release 5, ocid ocds-…"
    field: str  # the field or column at fault ("" when the whole record)
    message: str

    def text(self, file_name: str) -> str:
        where = f"{self.record}, {self.field}" if self.field else self.record
        return f"{file_name}: {where}: {self.message}"


@dataclass(frozen=True)
class ParsedParty:
    name: str
    scheme: str | None = None
    identifier: str | None = None
    sme: bool | None = None


@dataclass
class ParsedContract:
    source_key: str
    buyer_name: str
    status: str  # planned | awarded | cancelled
    ocid: str | None = None
    award_id: str | None = None
    source_row: int | None = None
    title: str | None = None
    description: str | None = None
    classification_scheme: str | None = None
    classification_code: str | None = None
    value_amount: Decimal | None = None
    currency: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    procurement_route: str | None = None
    released_at: dt.datetime | None = None
    flags: list[str] = field(default_factory=list)
    parties: list[ParsedParty] = field(default_factory=list)

    def check(self) -> None:
        """Flag what is doubtful, keeping the published figures; keys fit their columns."""
        self.source_key = self.source_key[:SOURCE_KEY_WIDTH]
        flags = set(self.flags)
        if self.start_date and self.end_date and self.end_date < self.start_date:
            flags.add("end_date_before_start")
        if self.end_date and (
            self.end_date.year > 2099
            or (self.start_date and self.end_date.year - self.start_date.year > IMPLAUSIBLE_YEARS)
        ):
            flags.add("end_date_implausible")
        if self.value_amount is not None and self.value_amount < 0:
            flags.add("value_negative")
        if not self.parties and self.status != "planned":
            flags.add("no_supplier")
        self.flags = sorted(flags)


@dataclass
class ParsedContracts:
    """A whole contracts file read: its contracts, refusals and notes (not contracts)."""

    file_name: str
    format: str
    records: int  # releases, records or rows read
    contracts: list[ParsedContract] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    # Records read that hold no contract (an unsuccessful tender, a repeated row …).
    skipped: list[Refusal] = field(default_factory=list)


class ContractFileError(Exception):
    """A contracts file that cannot be read at all; ``str()`` names the file and why."""
