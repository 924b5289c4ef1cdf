from __future__ import annotations

from tracker.importers import ALIASES, FIELDS, normalise_header
from tracker.importers.columns import match_columns


def test_alias_table_only_uses_known_fields() -> None:
    assert set(ALIASES) <= set(FIELDS)


def test_normalise_header() -> None:
    assert normalise_header("Amount £") == "amount"
    assert normalise_header("  PaymentDate ") == normalise_header("payment_date")
    assert normalise_header("Check/Payment Date") == "checkpaymentdate"
    assert normalise_header("Account Description ") == "accountdescription"


def fields(headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    match = match_columns(headers, overrides)
    return {name: headers[index] for name, index in match.fields.items()}


def test_payment_date_beats_effective_date() -> None:
    headers = ["Effective Date", "Amount", "Payment Date"]
    assert fields(headers)["date"] == "Payment Date"


def test_irrecoverable_vat_unused_and_original_gross_kept_apart() -> None:
    # The billed sterling amount is the spend; the original (purchase-currency) amount is
    # kept beside it, never used as the spend.
    headers = ["TRANS DATE", "ORIGINAL GROSS AMT", "BILLING GROSS AMT", "Irrecoverable VAT Amount"]
    got = fields(headers)
    assert got == {
        "date": "TRANS DATE",
        "gross_amount": "BILLING GROSS AMT",
        "original_amount": "ORIGINAL GROSS AMT",
    }
    assert match_columns(headers).recognised == 4


def test_leftmost_wins_for_equal_alias() -> None:
    assert fields(["Date", "Amount", "Amount"]) == {"date": "Date", "amount": "Amount"}
    assert match_columns(["Date", "x", "Amount", "Amount"]).fields["amount"] == 2


def test_expected_recognition() -> None:
    got = fields(
        ["Inv Transaction", "Supplier Name", "Headserv Name", "Account Description ",
         "Paid Date", "Sum of Inv Amount", "sicc_int", "MerchantCategoryCode", "caporrev"]
    )  # fmt: skip
    assert got == {
        "transaction_id": "Inv Transaction",
        "supplier": "Supplier Name",
        "cost_centre": "Headserv Name",
        "expense_type": "Account Description ",
        "date": "Paid Date",
        "amount": "Sum of Inv Amount",
        "sic": "sicc_int",
        "mcc": "MerchantCategoryCode",
        "capital_or_revenue": "caporrev",
    }


def test_overrides_take_columns_from_auto_fields() -> None:
    headers = ["When", "Amount", "Supplier Name", "Narrative"]
    got = fields(headers, {"date": "When", "supplier": "Narrative"})
    assert got == {"date": "When", "amount": "Amount", "supplier": "Narrative"}
    assert match_columns(headers, {"date": "when"}).importable  # normalised match
    assert not match_columns(headers, {"date": "Nope"}).importable


def test_empty_override_header_never_matches_blank_cells() -> None:
    headers = ["Date", "", "Amount"]
    assert "supplier" not in match_columns(headers, {"supplier": " "}).fields
