"""Header recognition: the alias table (data) and the logic that maps headers to fields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import FIELDS

# FIELD -> header aliases, highest priority first.  Matching ignores case, spaces,
# punctuation and currency symbols (see ``normalise_header``).
ALIASES: dict[str, tuple[str, ...]] = {
    "date": (
        "Payment Date", "PaymentDate", "payment_date", "Paid Date", "paid_date",
        "Invoice Payment Date", "Check/Payment Date", "Clearing Date", "Date Paid",
        "Date", "TRANS DATE", "Transaction Date", "Posting Date", "Invoice Date",
        "Invoice Creation Date", "Effective Date",
    ),
    "net_amount": (
        "Net Amount", "Invoice Net Amt", "Invoice Nett Amount", "Invoice Net Amount",
        "Nett Amount", "Net Amt", "Net Value", "Amount excl VAT",
        "Amount Excluding VAT", "Net",
    ),
    "original_amount": ("ORIGINAL GROSS AMT", "Original Amount", "Foreign Currency Amount"),
    "original_currency": ("ORIGINAL CUR", "Original Currency", "Foreign Currency"),
    "gross_amount": (
        "Gross Amount", "BILLING GROSS AMT", "Gross Value", "Amount incl VAT",
        "Amount Including VAT", "Gross",
    ),
    "amount": (
        "Amount", "Amount £", "Amount GBP", "Sum of Inv Amount", "Payment Amount",
        "Transaction Amount", "Invoice Amount", "Amount Paid", "Paid Amount", "Spend",
        "Value", "Total",
    ),
    "vat": ("VAT", "VAT Amount", "VAT Amt", "TRANS TAX AMT", "Tax Amount"),
    "supplier": (
        "Supplier Name", "Supplier", "Beneficiary Name", "BeneficiaryName", "beneficiary_name",
        "Vendor Name", "Vendor", "MERCHANT NAME", "supplier_name", "Payee", "Payee Name",
        "Merchant",
    ),
    "description": (
        "Description", "Extended Description", "Purpose", "Narrative", "Item Description",
        "Line Description", "Details",
    ),
    "expense_type": (
        "Expense Type", "Expenses Type", "Expenditure Type", "Account Description",
        "expenditure_category", "Expenditure Category", "Subj Description",
        "Commitmt Item Name", "Category Internal Name", "CategoryInternalName",
        "TRANS CAC DESC 1", "ProClass Description", "Category",
    ),
    "cost_centre": (
        "Service Area", "Expense Area", "Department", "Organisational Unit",
        "OrganisationalUnit", "organisational_unit", "Dept. Descrptn", "Service Division Label",
        "Directorate", "Headserv Name", "Service Area Categorisation", "Cost Centre",
        "Cost Center", "Service",
    ),
    "transaction_id": (
        "Transaction Number", "Transaction ID", "trans_no", "Inv Transaction",
        "TRANS REFERENCE", "Transaction Reference", "Transaction No", "Payment Reference",
    ),
    "sic": ("SIC", "SIC code", "sicc_int", "SIC 2007", "SIC 2007 Code"),
    "naics": ("NAICS", "NAICS Code"),
    "proclass": ("ProClass", "Proclass Code"),
    "mcc": ("MCC", "MCC CODE", "MerchantCategoryCode", "Merchant Category Code"),
    "cpv": ("CPV", "CPV Code"),
    "unspsc": ("UNSPSC", "UNSPSC Code"),
    "currency": ("Currency", "BILLING CUR CODE", "Currency Code"),
    "capital_or_revenue": ("Capital Or Revenue", "caporrev", "Capital/Revenue", "Cap/Rev"),
}  # fmt: skip

# Headers that are recognised (they help find the header row) but deliberately not mapped.
IGNORED_HEADERS: tuple[str, ...] = (
    "Irrecoverable VAT Amount", "IrrecoverableVATAmount", "Body",
    # Card files: the net amount in the purchase currency (not the billed sterling amount).
    "TRANS ORIGINAL NET AMT", "Body Name", "Organisation Name", "OrganisationLabel",
    "Supplier ID", "Invoice Number", "VAT Registration Number", "Expense Code",
    "TRANS POST DATE", "CARD NUMBER", "TRANS CAC CODE 1", "Organisation Code",
)  # fmt: skip

AMOUNT_FIELDS: tuple[str, ...] = ("amount", "net_amount", "gross_amount")


def normalise_header(text: str) -> str:
    """Lowercase and drop everything that is not a letter or digit ("Amount £" -> "amount")."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _build_lookup() -> dict[str, tuple[str, int]]:
    lookup: dict[str, tuple[str, int]] = {}
    for field_name, aliases in ALIASES.items():
        assert field_name in FIELDS, field_name
        for priority, alias in enumerate(aliases):
            lookup.setdefault(normalise_header(alias), (field_name, priority))
    for alias in IGNORED_HEADERS:
        lookup.setdefault(normalise_header(alias), ("", 0))
    return lookup


_LOOKUP = _build_lookup()


@dataclass(frozen=True)
class ColumnMatch:
    """The columns recognised in one candidate header row."""

    fields: dict[str, int]  # FIELD -> column index
    recognised: int  # cells matching any alias (mapped or ignored)

    @property
    def importable(self) -> bool:
        return "date" in self.fields and any(f in self.fields for f in AMOUNT_FIELDS)

    def missing(self) -> list[str]:
        missing = [] if "date" in self.fields else ["date"]
        if not any(f in self.fields for f in AMOUNT_FIELDS):
            missing.append("amount (or net_amount / gross_amount)")
        return missing


def find_header_index(headers: Sequence[str], header: str) -> int | None:
    """Index of ``header`` in ``headers``: exact (trimmed) text first, then normalised."""
    wanted = header.strip()
    if not wanted:
        return None
    for index, text in enumerate(headers):
        if text == wanted:
            return index
    key = normalise_header(wanted)
    if not key:
        return None
    for index, text in enumerate(headers):
        if normalise_header(text) == key:
            return index
    return None


def match_columns(headers: Sequence[str], overrides: dict[str, str] | None = None) -> ColumnMatch:
    """Recognise fields in a header row.

    ``overrides`` (FIELD -> header) win over the alias table; an override whose header is
    absent leaves the field unmapped (the caller reports it).  Between aliases, the higher
    priority alias wins, then the leftmost column.
    """
    best: dict[str, tuple[int, int]] = {}  # field -> (priority, index)
    recognised = 0
    for index, text in enumerate(headers):
        hit = _LOOKUP.get(normalise_header(text))
        if hit is None:
            continue
        recognised += 1
        field_name, priority = hit
        if field_name and (field_name not in best or (priority, index) < best[field_name]):
            best[field_name] = (priority, index)
    fields = {name: index for name, (_, index) in best.items()}
    if overrides:
        taken: set[int] = set()
        for field_name, header in overrides.items():
            found = find_header_index(headers, header)
            if found is None:
                fields.pop(field_name, None)
                continue
            fields[field_name] = found
            taken.add(found)
            recognised += 1
        # an auto-mapped field loses a column the user assigned to another field
        for field_name in list(fields):
            if field_name not in overrides and fields[field_name] in taken:
                del fields[field_name]
    return ColumnMatch(fields=fields, recognised=recognised)
