"""The notes an import gives about its column mapping name fields in words ("SIC code",
not "sic"): the upload page shows them as they are (issue 16, no raw codes)."""

from __future__ import annotations

from tests.browser.page_text import violations
from tracker.services.mappings import LayoutComparison


def test_a_field_the_new_file_lacks_is_named_in_words() -> None:
    notes = LayoutComparison(
        saved_from="spend-2023.csv",
        mapping={"date": "Payment Date"},
        headers_gone=["SIC"],
        headers_new=[],
        fields_lost={"sic": "SIC", "expense_type": "Expense Type"},
    ).describe()
    assert notes[-2:] == [
        "SIC code was read from “SIC”, which this file does not have",
        "Expense type was read from “Expense Type”, which this file does not have",
    ]
    assert violations(" ".join(notes)) == []
