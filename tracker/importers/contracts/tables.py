"""Contract CSVs: the Transparency Code contract register and the flattened award CSV.

Rows are numbered as a spreadsheet shows them (the header is row 1), whatever the line
breaks inside quoted cells. Amounts and dates are read as spend files' are
(:mod:`tracker.importers.values`): ``(3728)`` is −3,728, dates are day first.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from tracker.domain.contract_estimate import VALUE_INCLUDES_VAT
from tracker.domain.contracts import party_identifier
from tracker.domain.suppliers import supplier_key
from tracker.importers.readers import ReaderError, iter_text_rows, open_text
from tracker.importers.values import ValueParseError, clean_text, parse_amount, parse_date

from .model import ContractFileError, ParsedContract, ParsedContracts, ParsedParty, Refusal
from .ocds import classification_code

Row = dict[str, str]
PENNY = Decimal("0.01")
SUPPLIER = "supplier name"  # the supplier column's header_key in both formats


def header_key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


#: Columns of the LGA Transparency Code contract register (Annex I of "Local transparency
#: guidance – publishing spending and procurement information", v1.1), by header_key.
REGISTER = {
    "buyer": "organisation name",
    "reference": "contract reference number id",
    "ocid": "open contracting id",
    "title": "title of the agreement",
    "description": "description of goods and services",
    "cpv": "procurement classification cpv code",
    "proclass": "procurement classification proclass code",
    "start": "contract start date",
    "end": "end date",
    "value": "contract value",
    "supplier": "supplier name",
    "company": "supplier registered company number",
    "charity": "supplier registered charity number",
    "sme": "sme supplier",
    "route": "tender process type",
}
#: The register's value column when a council states it with VAT ("Contract value (inc
#: VAT)"), by header_key: read as the value, flagged VALUE_INCLUDES_VAT so that estimates
#: take it net (tracker.domain.contract_estimate). A file with both reads the net one.
VALUE_WITH_VAT = (
    "contract value inc vat",
    "contract value incl vat",
    "contract value including vat",
)
AWARDS = {
    "buyer": "buyer name",
    "award": "award id",
    "title": "award title",
    "description": "award description",
    "status": "award status",
    "value": "award value amount",
    # OCDS 1.2's net and gross amounts, and the flag saying an amount includes VAT, as a
    # flattened award CSV names them (award_value_amountNet ...).
    "value_net": "award value amountnet",
    "value_gross": "award value amountgross",
    "value_vat_included": "award value valueaddedtaxincluded",
    "currency": "award value currency",
    "start": "award contractperiod startdate",
    "end": "award contractperiod enddate",
    "supplier": "supplier name",
    "scheme": "supplier identifier scheme",
    "identifier": "supplier identifier id",
    "sme": "supplier sme",
}


def table_format(header: list[str]) -> str | None:
    keys = {header_key(h) for h in header}
    if {AWARDS["award"], AWARDS["supplier"], AWARDS["buyer"]} <= keys:
        return "award-csv"
    if {REGISTER["title"], REGISTER["supplier"]} <= keys:
        return "contract-register-csv"
    return None


def read_table(path: Path, max_rows: int, max_cell_chars: int) -> tuple[list[str], Iterator[Row]]:
    """The header and the rows (as ``{header_key: cell}``) of a delimited text file."""
    try:
        source = open_text(path)
        rows = iter_text_rows(path, source, max_cell_chars)
        first = next(rows, None)
    except ReaderError as exc:
        raise ContractFileError(f"{path.name}: {exc}") from None
    if not first:
        raise ContractFileError(f"{path.name}: empty file")
    header = [str(h) for h in first]
    keys = [header_key(h) for h in header]

    def body() -> Iterator[Row]:
        try:
            for number, row in enumerate(rows, start=2):
                cells = [str(c) for c in row]
                if number - 1 > max_rows:
                    raise ContractFileError(
                        f"{path.name}: more than {max_rows:,} data rows (the row limit, "
                        "TRACKER_MAX_ROWS)"
                    )
                if any(c.strip() for c in cells):
                    yield {"#": str(number)} | dict(zip(keys, cells, strict=False))
        except ReaderError as exc:
            raise ContractFileError(f"{path.name}: {exc}") from None

    return header, body()


class _RowError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _cell(row: Row, key: str) -> str | None:
    text = clean_text(html.unescape(row.get(key) or ""))
    return text or None


def _required(row: Row, key: str, why: str) -> str:
    text = _cell(row, key)
    if text is None:
        raise _RowError(key, f"empty: {why}")
    return text


def _amount(row: Row, key: str, column: str) -> Decimal | None:
    text = _cell(row, key)
    if text is None:
        return None
    try:
        # To the penny, as stored: an award of 221.047 is 221.05 (so reading it again
        # finds the stored contract unchanged).
        return parse_amount(text).quantize(PENNY, rounding=ROUND_HALF_UP)
    except ValueParseError as exc:
        raise _RowError(column, str(exc)) from None


def _date(row: Row, key: str, column: str) -> dt.date | None:
    text = _cell(row, key)
    if text is None:
        return None
    try:
        return parse_date(text, day_first=True)[0]
    except ValueParseError as exc:
        raise _RowError(column, str(exc)) from None


def _read_rows(
    out: ParsedContracts,
    rows: Iterator[Row],
    header: dict[str, str],
    build: Callable[[Row], ParsedContract],
    same: str,
) -> None:
    """Build one contract per row, refusing a row with its column; a contract read twice
    (same source key) keeps its first row, and the later one is reported."""
    seen: dict[str, ParsedContract] = {}
    for row in rows:
        out.records += 1
        number = int(row["#"])
        try:
            contract = build(row)
        except _RowError as exc:
            out.refused.append(
                Refusal(f"row {number}", header.get(exc.column, exc.column), str(exc))
            )
            continue
        contract.source_row = number
        first = seen.get(contract.source_key)
        if first is None:
            seen[contract.source_key] = contract
            out.contracts.append(contract)
        elif not _merge_supplier(first, contract):
            out.skipped.append(_repeat(number, first, contract, header, same))


def _repeat(
    number: int, first: ParsedContract, later: ParsedContract, header: dict[str, str], same: str
) -> Refusal:
    """Why a row adding nothing to the contract of an earlier row is left out: a row that
    names no supplier says so (with what it gave instead, an unreadable identifier)."""
    again = f"repeats the contract of row {first.source_row}"
    if later.parties:
        return Refusal(f"row {number}", "", f"{again} ({same}); the first is kept")
    unreadable = "supplier_identifier_unreadable" in later.flags
    return Refusal(
        f"row {number}",
        header.get(SUPPLIER, SUPPLIER),
        f"{again} and names no supplier"
        + (" (its supplier identifier is no valid number of its register)" if unreadable else "")
        + "; the first is kept",
    )


def _merge_supplier(first: ParsedContract, later: ParsedContract) -> bool:
    """An award CSV row naming another supplier of the same award adds that supplier; one
    naming a supplier again with what the first mention lacked (an identifier, SME)
    completes it. False when the row adds nothing."""
    if later.award_id is None:
        return False
    added = False
    for party in later.parties:
        same = [i for i, p in enumerate(first.parties) if p.name == party.name]
        if not same:
            first.parties.append(party)
            added = True
            continue
        known = first.parties[same[0]]
        merged = ParsedParty(
            name=known.name,
            scheme=known.scheme or party.scheme,
            identifier=known.identifier or party.identifier,
            sme=known.sme if known.sme is not None else party.sme,
        )
        if merged != known and (known.identifier is None or party.identifier is None):
            first.parties[same[0]] = merged
            added = True
    if added:
        flags = set(first.flags) - {"no_supplier"}
        flags |= set(later.flags) & {"supplier_identifier_unreadable"}
        first.flags = sorted(flags)
    return added


def read_register(out: ParsedContracts, rows: Iterator[Row], header: list[str]) -> None:
    rows_list = list(rows)
    buyers = {b for r in rows_list if (b := _cell(r, REGISTER["buyer"]))}
    named = {header_key(h): h for h in header}
    value_key = REGISTER["value"]
    if value_key not in named:
        value_key = next((k for k in VALUE_WITH_VAT if k in named), value_key)
    with_vat = value_key != REGISTER["value"]

    def build(row: Row) -> ParsedContract:
        supplier = _required(row, REGISTER["supplier"], "every contract names its supplier")
        title = _required(row, REGISTER["title"], "every contract has a title")
        buyer, flags = _cell(row, REGISTER["buyer"]), []
        if buyer is None:
            if len(buyers) != 1:
                raise _RowError(
                    REGISTER["buyer"],
                    "empty, and the file names "
                    + ("no organisation" if not buyers else f"{len(buyers)} organisations"),
                )
            buyer, flags = next(iter(buyers)), ["buyer_filled"]
        reference = _cell(row, REGISTER["reference"]) or ""
        start = _date(row, REGISTER["start"], REGISTER["start"])
        key = f"register:{reference}|{supplier_key(supplier)}|{supplier_key(title)}"
        if not reference:
            key += f"|{start.isoformat() if start else ''}"
        scheme, code = _register_class(row)
        company = _cell(row, REGISTER["company"])
        charity = _cell(row, REGISTER["charity"])
        pscheme, ident = (
            party_identifier(None, company) if company else party_identifier("GB-CHC", charity)
        )
        if (company or charity) and ident is None:
            flags.append("supplier_identifier_unreadable")
        sme_text = (_cell(row, REGISTER["sme"]) or "").casefold()
        value = _amount(row, value_key, value_key)
        if with_vat and value is not None:
            flags.append(VALUE_INCLUDES_VAT)
        contract = ParsedContract(
            source_key=key[:300],
            buyer_name=buyer,
            status="awarded",
            ocid=_cell(row, REGISTER["ocid"]),
            title=title,
            description=_cell(row, REGISTER["description"]),
            classification_scheme=scheme,
            classification_code=code,
            value_amount=value,
            currency="GBP",
            start_date=start,
            end_date=_date(row, REGISTER["end"], REGISTER["end"]),
            procurement_route=_cell(row, REGISTER["route"]),
            flags=flags,
            parties=[
                ParsedParty(
                    name=supplier,
                    scheme=pscheme,
                    identifier=ident,
                    sme=True if sme_text in ("yes", "y", "true") else False if sme_text else None,
                )
            ],
        )
        contract.check()
        return contract

    _read_rows(out, iter(rows_list), named, build, "same reference, supplier and title")


def _register_class(row: Row) -> tuple[str | None, str | None]:
    cpv = _cell(row, REGISTER["cpv"])
    if cpv:
        return "CPV", classification_code("CPV", cpv)
    proclass = _cell(row, REGISTER["proclass"])
    return ("ProClass", proclass[:32]) if proclass else (None, None)


def read_awards(out: ParsedContracts, rows: Iterator[Row], header: list[str]) -> None:
    named = {header_key(h): h for h in header}

    def build(row: Row) -> ParsedContract:
        award = _required(row, AWARDS["award"], "every row names its award")
        buyer = _required(row, AWARDS["buyer"], "every award names its buyer")
        supplier = _cell(row, AWARDS["supplier"])
        status = (_cell(row, AWARDS["status"]) or "active").casefold()
        if status == "unsuccessful":
            raise _RowError(AWARDS["status"], "unsuccessful: an unsuccessful award is no contract")
        currency = _cell(row, AWARDS["currency"])
        if currency is not None and (len(currency) != 3 or not currency.isalpha()):
            raise _RowError(AWARDS["currency"], f"{currency!r} is not a 3-letter currency code")
        sme = _cell(row, AWARDS["sme"])
        given = _cell(row, AWARDS["identifier"])
        scheme, ident = party_identifier(_cell(row, AWARDS["scheme"]), given)
        # An identifier no register reads is left out, never silently: the contract (or,
        # for a row repeating an award, the row's refusal) says so.
        flags = ["supplier_identifier_unreadable"] if given and ident is None else []
        value, with_vat = _award_value(row)
        if with_vat and value is not None:
            flags.append(VALUE_INCLUDES_VAT)
        parties = []
        if supplier:
            parties.append(
                ParsedParty(
                    name=supplier,
                    scheme=scheme,
                    identifier=ident,
                    # The CSV writes true as "1.0" (a pandas float); blank is not known.
                    sme=_sme(sme),
                )
            )
        contract = ParsedContract(
            source_key=f"award:{award}"[:300],
            award_id=award[:200],
            buyer_name=buyer,
            status="cancelled" if status == "cancelled" else "awarded",
            title=_cell(row, AWARDS["title"]),
            description=_cell(row, AWARDS["description"]),
            value_amount=value,
            currency=currency.upper() if currency else None,
            start_date=_date(row, AWARDS["start"], AWARDS["start"]),
            end_date=_date(row, AWARDS["end"], AWARDS["end"]),
            parties=parties,
            flags=flags,
        )
        contract.check()
        return contract

    _read_rows(out, rows, named, build, "same award and supplier")


def _award_value(row: Row) -> tuple[Decimal | None, bool]:
    """An award row's value and whether it includes VAT, read as an OCDS Value object is
    (tracker.importers.contracts.ocds): the net amount when given, else the amount
    (including VAT when the row says so or gives it equal to the gross amount), else the
    gross amount."""
    net = _amount(row, AWARDS["value_net"], AWARDS["value_net"])
    amount = _amount(row, AWARDS["value"], AWARDS["value"])
    gross = _amount(row, AWARDS["value_gross"], AWARDS["value_gross"])
    if net is not None:
        return net, False
    if amount is not None:
        said = (_cell(row, AWARDS["value_vat_included"]) or "").casefold()
        return amount, said in ("true", "1", "1.0", "yes") or amount == gross
    return gross, gross is not None


def _sme(text: str | None) -> bool | None:
    if text is None:
        return None
    folded = text.casefold()
    if folded in ("1", "1.0", "true", "yes", "y"):
        return True
    if folded in ("0", "0.0", "false", "no", "n"):
        return False
    raise _RowError(AWARDS["sme"], f"{text!r} is neither yes nor no")
