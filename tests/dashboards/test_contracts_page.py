"""The /contracts page: an officer uploads a contracts file, ticks the buyers that are
the authority's and imports; the list pages 25 at a time; viewers read only; nobody sees
another authority's contracts."""

from __future__ import annotations

import base64
import csv
import io
import uuid

import pytest
from dash_seed_data import SeedUsers
from dash_tree import by_id, text
from factories import DashSeed

from dashboards import ids
from dashboards.callbacks.contracts import confirm, receive, show_page
from dashboards.data.contract_import import likely_first, visible_authorities
from dashboards.layouts.contracts import contracts_layout
from tracker.access import AccessDenied
from tracker.config import Settings


def data_url(content: str) -> str:
    return "data:text/csv;base64," + base64.b64encode(content.encode()).decode()


def award_csv(own: str, portal: str, own_rows: int) -> str:
    """``own_rows`` awards of buyer ``own`` ending on day 1…n of January 2027, and one of
    ``portal``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["buyer_name", "award_id", "award_title", "award_value_amount",
                     "award_value_currency", "award_contractPeriod_startDate",
                     "award_contractPeriod_endDate", "supplier_name", "supplier_sme"])  # fmt: skip
    for day in range(1, own_rows + 1):
        writer.writerow([own, f"a-{day}", f"Works {day}", "1500", "GBP", "2024-01-01T00:00:00",
                         f"2027-01-{day:02d}T00:00:00", "Roads Ltd", "1.0"])  # fmt: skip
    writer.writerow([portal, "p-1", "Portal", "10", "GBP", "2024-01-01T00:00:00",
                     "2025-01-01T00:00:00", "Other Ltd", ""])  # fmt: skip
    return out.getvalue()


def test_officer_uploads_ticks_buyer_and_pages_the_list(
    dash_seed: DashSeed, users: SeedUsers, dash_settings: Settings
) -> None:
    officer = users.viewer(users.alpha_officer)
    code = dash_seed.alpha.code
    own = f"Alpha Buyer {uuid.uuid4().hex[:6]}"
    portal = f"Portal {uuid.uuid4().hex[:6]}"
    token, panel = receive(officer, code, "awards.csv", data_url(award_csv(own, portal, 26)),
                           dash_settings)  # fmt: skip
    assert token is not None
    shown = text(panel)
    assert "award CSV (Contracts Finder, flattened), 27 records read, 27 contracts" in shown
    assert "2 buyers in the file are not mapped to any authority" in shown
    ticks = by_id(panel, ids.CONTRACTS_BUYERS)
    assert [o["value"] for o in ticks.options] == [own, portal]  # most contracts first
    message, stored = confirm(officer, code, token, [own], dash_settings)
    assert stored and text(message).startswith(f"Imported awards.csv: added 26 for {code}")
    first, page, prev_off, next_off = show_page(officer, code, 1)
    assert (page, prev_off, next_off) == (1, True, False)
    assert "Showing 1–25 of 26 contracts" in text(first)
    table = text(by_id(first, ids.CONTRACTS_TABLE))
    assert "Works 1 Roads Ltd £1,500 01 Jan 2027 not classified awarded" in table
    last, page, prev_off, next_off = show_page(officer, code, 5)  # past the end: the last
    assert (page, prev_off, next_off) == (2, False, True)
    assert "Showing 26–26 of 26 contracts" in text(last) and "Works 26" in text(last)
    # The staged file is gone once imported.
    again, stored = confirm(officer, code, token, [], dash_settings)
    assert not stored and text(again) == "Upload the file again."


def test_viewer_reads_only_and_others_see_nothing(
    dash_seed: DashSeed, users: SeedUsers, dash_settings: Settings
) -> None:
    viewer = users.viewer(users.alpha_viewer)
    code = dash_seed.alpha.code
    page = contracts_layout(visible_authorities(viewer), 1)
    assert by_id(page, ids.CONTRACTS_LIST) is not None
    with pytest.raises(KeyError):  # no upload for a viewer
        by_id(page, ids.CONTRACTS_UPLOAD)
    with pytest.raises(AccessDenied):
        receive(viewer, code, "a.csv", data_url(award_csv("X", "Y", 1)), dash_settings)
    other = users.viewer(users.beta_officer)
    with pytest.raises(AccessDenied):
        show_page(other, code, 1)
    assert [a.code for a, _ in visible_authorities(other)] == [dash_seed.beta.code]
    admin = users.viewer(users.admin)
    assert {(a.code, can) for a, can in visible_authorities(admin)} >= {
        (dash_seed.alpha.code, True), (dash_seed.beta.code, True),
    }  # fmt: skip


def test_unreadable_file_is_refused_on_the_page(
    dash_seed: DashSeed, users: SeedUsers, dash_settings: Settings
) -> None:
    officer = users.viewer(users.alpha_officer)
    token, panel = receive(officer, dash_seed.alpha.code, "spend.csv",
                           data_url("Date,Amount\n01/01/2024,5\n"), dash_settings)  # fmt: skip
    assert token is None
    assert "spend.csv: not a contracts file this tracker reads" in text(panel)


def test_the_authoritys_own_spellings_are_offered_first() -> None:
    """Of the award CSV's buyers (README: 1,503 names), those sharing a word of the
    authority's name beyond "city council" come first, then by contracts."""
    buyers = {"Ministry of Justice": 382, "Leeds City Council - PACS": 1, "LEEDS BECKETT": 4,
              "Oxford City Council": 13}  # fmt: skip
    assert list(likely_first(buyers, "Leeds City Council")) == [
        "LEEDS BECKETT", "Leeds City Council - PACS", "Ministry of Justice", "Oxford City Council",
    ]  # fmt: skip
