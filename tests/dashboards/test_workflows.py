"""Upload, lock and restate, and the report download, on real factor data: what officers
do from the dashboard, and that viewers and other authorities' users cannot."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from decimal import Decimal

import dash
import pytest
from dash_seed_data import PASSWORD, TEST_SECRET_KEY
from dash_tree import by_id, text
from factories import suffix
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker
from web import login

from dashboards import ids
from dashboards.callbacks.authority import change_year_state
from dashboards.callbacks.upload import confirm_import, receive
from dashboards.data import actions
from dashboards.data import upload as upload_data
from dashboards.data.authority import authority_data
from dashboards.data.upload import EditableAuthority
from dashboards.layouts.upload import preview_panel, upload_layout
from dashboards.server.secret_key import load_secret_key
from tracker.access import AccessDenied, Viewer
from tracker.config import Settings
from tracker.errors import TrackerError
from tracker.models import User
from tracker.services.authorities import add_authority
from tracker.services.reference import load_shipped_reference_data
from tracker.services.users import add_user, viewer_of

CSV = (
    "Payment Date,Supplier Name,Amount,Expense Type,SIC code\n"
    "15/06/2024,Flow Haulage Ltd,12000.00,Freight,49410\n"
    "20/07/2024,Flow Haulage Ltd,8000.00,Freight,49410\n"
    "02/08/2024,Flow Cleaning Ltd,5000.00,Cleaning,81210\n"
)


def data_url(text: str) -> str:
    return "data:text/csv;base64," + base64.b64encode(text.encode()).decode()


@dataclass
class Flow:
    code: str
    other: str
    officer: User
    viewer: User
    other_officer: User


@pytest.fixture
def flow(session: Session, session_factory: sessionmaker[Session]) -> Flow:
    load_shipped_reference_data(session)
    tag = suffix().upper()
    own = add_authority(session, code=f"FLOW{tag}", name="Flow Council")
    other = add_authority(session, code=f"OTHR{tag}", name="Other Council")

    def user(name: str, role: str, authority: object) -> User:
        return add_user(
            session,
            email=f"{name}-{tag.lower()}@example.org",
            password=PASSWORD,
            role=role,
            authority=authority,  # type: ignore[arg-type]
        )

    return Flow(
        own.code,
        other.code,
        user("officer", "officer", own),
        user("viewer", "viewer", own),
        user("other", "officer", other),
    )


def test_upload_preview_confirm_then_lock_and_restate(flow: Flow, dash_settings: Settings) -> None:
    officer = viewer_of(flow.officer)
    token = upload_data.stage_upload(
        officer, flow.code, "../spend 2024.csv", data_url(CSV), dash_settings
    )
    preview = upload_data.preview_upload(officer, flow.code, token, None, dash_settings)
    assert (preview.rows_read, preview.rows_imported, preview.rows_rejected) == (3, 3, 0)
    assert preview.header_row == 1 and preview.total_amount == Decimal("25000.00")
    assert preview.headers[:3] == ["Payment Date", "Supplier Name", "Amount"]
    assert preview.mapping["sic"] == "SIC code"
    # Shown as money to the penny, and the financial year (April start) as 2024/25.
    shown = text(preview_panel(preview))
    assert "£12,000.00" in shown and "£8,000.00" in shown and "£5,000.00" in shown
    assert "12000.0" not in shown
    assert "Financial years 2024/25 " in shown
    # Nothing stored by the preview.
    assert authority_data(officer, flow.code).runs == ()
    # Another user cannot use this user's upload.
    other = viewer_of(flow.other_officer)
    with pytest.raises(TrackerError, match="Upload the file again"):
        upload_data.staged_file(other, token, dash_settings)
    message, stored = confirm_import(officer, flow.code, token, {}, "skip", dash_settings, None)
    assert text(message).startswith("Imported 3 rows from spend 2024.csv as batch ")
    assert "inventories recalculated for 2024/25." in text(message)
    assert stored is not None and stored.startswith("spend 2024.csv was imported as batch ")
    # Clicking "Import" again (the page has dropped the token) says it was imported.
    again, nothing = confirm_import(
        officer, flow.code, None, {}, "skip", dash_settings, imported=stored
    )
    assert nothing is None
    assert text(again) == (
        f"{stored} and is not imported again. To add more spend, upload another file."
    )
    runs = authority_data(officer, flow.code).runs
    assert [(r.fy_year, r.total_spend) for r in runs] == [(2024, Decimal("25000.00"))]
    detail = authority_data(officer, flow.code, 2024).selected
    assert detail is not None
    assert detail.run.total_spend == Decimal("25000.00")
    assert detail.run.mapped_spend == Decimal("25000.00") and detail.run.total_kgco2e > 0
    # The staged copy is gone once imported.
    with pytest.raises(TrackerError):
        upload_data.staged_file(officer, token, dash_settings)

    # A viewer of the same authority may not lock; the officer may, once.
    viewer = viewer_of(flow.viewer)
    with pytest.raises(AccessDenied):
        change_year_state(viewer, "authority-lock", flow.code, 2024, "published")
    for blank in (None, "", "   "):
        refused = change_year_state(officer, "authority-lock", flow.code, 2024, blank)
        assert refused == "Not done: Give the reason for locking the year (where it was published)."
    assert not authority_data(officer, flow.code, 2024).selected.locked  # type: ignore[union-attr]
    assert "Locked" in actions.lock_year(officer, flow.code, 2024, "published")
    assert authority_data(officer, flow.code, 2024).selected.locked  # type: ignore[union-attr]
    again = change_year_state(officer, "authority-lock", flow.code, 2024, "again")
    assert again.startswith("Not done:") and "already locked" in again
    assert "reason" in change_year_state(officer, "authority-restate", flow.code, 2024, " ")
    restated = actions.restate_year(officer, flow.code, 2024, "corrected supplier codes")
    assert "version 1 → 2" in restated


def test_the_upload_preview_reads_through_a_read_only_session(
    flow: Flow, dash_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview is a dry run: it opens no write session (which would take the write
    lock), and it still reads the file whole (3 rows, £25,000.00)."""
    officer = viewer_of(flow.officer)
    token = upload_data.stage_upload(officer, flow.code, "s.csv", data_url(CSV), dash_settings)

    def no_write_session() -> None:
        raise AssertionError("the preview opened a write session")

    monkeypatch.setattr(upload_data, "write_session", no_write_session)
    preview = upload_data.preview_upload(officer, flow.code, token, None, dash_settings)
    assert (preview.rows_read, preview.total_amount) == (3, Decimal("25000.00"))


def test_the_authority_of_an_upload_is_chosen_not_defaulted(
    flow: Flow, dash_settings: Settings
) -> None:
    one = [EditableAuthority(flow.code, "Flow Council")]
    two = [*one, EditableAuthority(flow.other, "Other Council")]
    assert by_id(upload_layout(one, 5), ids.UPLOAD_AUTHORITY).value == flow.code
    picker = by_id(upload_layout(two, 5), ids.UPLOAD_AUTHORITY)
    assert picker.value is None
    assert picker.placeholder == "Choose the authority the file belongs to"
    token, panel = receive(viewer_of(flow.officer), None, "s.csv", data_url(CSV), dash_settings)
    assert token is None
    assert text(panel) == "Choose the authority the file belongs to, then upload it again."


def test_upload_refusals(flow: Flow, dash_settings: Settings) -> None:
    with pytest.raises(AccessDenied):
        upload_data.stage_upload(
            viewer_of(flow.viewer), flow.code, "a.csv", data_url(CSV), dash_settings
        )
    with pytest.raises(AccessDenied):
        upload_data.stage_upload(
            viewer_of(flow.other_officer), flow.code, "a.csv", data_url(CSV), dash_settings
        )
    with pytest.raises(TrackerError, match="upload limit"):
        upload_data.decode_upload(data_url("x" * 2000), 1000)
    with pytest.raises(TrackerError, match="could not be read"):
        upload_data.decode_upload("data:text/csv;base64,@@@", 1000)
    assert upload_data.safe_name("../../etc/passwd") == "passwd"
    assert upload_data.safe_name("C:\\Users\\me\\spend<1>.csv") == "spend_1_.csv"
    assert [a.code for a in upload_data.editable_authorities(viewer_of(flow.officer))] == [
        flow.code
    ]


def test_report_download_only_for_authorities_the_user_may_see(
    flow: Flow, app: dash.Dash, dash_settings: Settings
) -> None:
    officer = viewer_of(flow.officer)
    token = upload_data.stage_upload(officer, flow.code, "s.csv", data_url(CSV), dash_settings)
    upload_data.confirm_upload(officer, flow.code, token, None, dash_settings)
    client = app.server.test_client()
    login(client, flow.viewer.email, PASSWORD)
    ok = client.get(f"/reports/download?authority={flow.code}&year=2024")
    assert ok.status_code == 200
    assert f"{flow.code.lower()}-2024-inventory.xlsx" in ok.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(ok.data), read_only=True)
    assert "Lines" in workbook.sheetnames
    refused = client.get(f"/reports/download?authority={flow.other}&year=2024")
    assert refused.status_code == 403 and b"Other Council" not in refused.data
    assert client.get(f"/reports/download?authority={flow.code}&year=x").status_code == 400


def test_secret_key_from_environment_must_be_long(tmp_path: object) -> None:
    with pytest.raises(ValueError, match="at least 32"):
        load_secret_key(tmp_path, "short")  # type: ignore[arg-type]
    assert load_secret_key(tmp_path, TEST_SECRET_KEY) == TEST_SECRET_KEY  # type: ignore[arg-type]


def test_viewer_helper(flow: Flow) -> None:
    assert viewer_of(flow.viewer) == Viewer(
        flow.viewer.id, flow.viewer.email, "viewer", flow.viewer.authority_id
    )


def test_comparison_download_holds_only_authorities_the_user_may_compare(
    flow: Flow, app: dash.Dash, dash_settings: Settings
) -> None:
    """Both authorities have a 2024 inventory; the other one does not share its figures,
    so a viewer of Flow Council gets a comparison of Flow Council alone."""
    for user, code in ((flow.officer, flow.code), (flow.other_officer, flow.other)):
        officer = viewer_of(user)
        token = upload_data.stage_upload(officer, code, "s.csv", data_url(CSV), dash_settings)
        upload_data.confirm_upload(officer, code, token, None, dash_settings)
    client = app.server.test_client()
    assert client.get("/compare/download?year=2024").status_code == 302  # log in first
    login(client, flow.viewer.email, PASSWORD)
    ok = client.get("/compare/download?year=2024")
    assert ok.status_code == 200
    assert "authorities-compared-2024.xlsx" in ok.headers["Content-Disposition"]
    cells = {v for row in load_workbook(io.BytesIO(ok.data))["Comparison"].values for v in row if v}
    assert flow.code in cells and flow.other not in cells and "Other Council" not in cells
    assert client.get("/compare/download").status_code == 200  # each one's latest year
    assert client.get("/compare/download?year=x").status_code == 400
