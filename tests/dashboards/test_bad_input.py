"""Bad input gets a 400-class answer with a message, never a 500 (issue 15, finding 11): a
NUL byte in the log-in e-mail or an authority code, a year out of range or not in ASCII
digits in a download link, a list or an object where a callback expects a code; and a
database fault on the import path gives the documented 503."""

from __future__ import annotations

import base64
from typing import Any

import dash
import pytest
from dash_seed_data import PASSWORD, SeedUsers
from driver_faults import fail_bulk_inserts
from factories import DashSeed
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from test_dashboard_app import year_payload
from web import ORIGIN, form_token, login, post_callback, trigger_payload

from dashboards import ids
from dashboards.callbacks.upload import confirm, receive, recheck
from dashboards.data import upload as upload_data
from dashboards.server.unavailable import MESSAGE
from tracker.config import Settings
from tracker.services.users import viewer_of


@pytest.fixture
def client(app: dash.Dash, users: SeedUsers) -> FlaskClient:
    client = app.server.test_client()
    assert login(client, users.alpha_officer.email, PASSWORD).status_code == 302
    return client


def test_a_nul_byte_in_the_log_in_e_mail_gets_a_message(app: dash.Dash, users: SeedUsers) -> None:
    client = app.server.test_client()
    token = form_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"email": "alpha\x00@example.org", "password": PASSWORD, "csrf_token": token},
        headers={"Origin": ORIGIN},
    )
    assert response.status_code == 400
    assert "holds a character that no e-mail address has" in response.get_data(as_text=True)
    assert login(client, users.alpha_officer.email, PASSWORD).status_code == 302


@pytest.mark.parametrize("year", ["0", "99999", "9" * 30, "²", "２０２３", "-1", ""])
def test_a_bad_year_in_a_download_link_gets_a_message(
    client: FlaskClient, dash_seed: DashSeed, year: str
) -> None:
    response = client.get(f"/reports/download?authority={dash_seed.alpha.code}&year={year}")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "Give a financial year from 1900 to 2200, e.g. year=2023."
    )
    if year:
        compare = client.get(f"/compare/download?year={year}")
        assert compare.status_code == 400
        assert "from 1900 to 2200" in compare.get_data(as_text=True)


@pytest.mark.parametrize("code", ["ALPHA\x00", ["ALPHA"], {"code": "ALPHA"}])
def test_a_code_that_is_not_plain_text_gets_a_400_class_answer(
    client: FlaskClient, dash_seed: DashSeed, code: Any
) -> None:
    response = post_callback(client, year_payload(code, 2023))
    assert response.status_code < 500  # a NUL code is no authority's: the page says so
    if not isinstance(code, str):
        assert response.status_code == 400
        assert "An authority code is text" in response.get_data(as_text=True)
    nul = client.get("/reports/download?authority=ALPHA%00&year=2023")
    assert nul.status_code == 403


def test_a_database_fault_while_importing_gives_the_503(
    app: dash.Dash,
    client: FlaskClient,
    session: Session,
    dash_seed: DashSeed,
    users: SeedUsers,
    dash_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The spend lines go in through the driver's own COPY / executemany; a fault there
    (the server gone, a disk I/O error) is a database fault like any other: 503."""
    officer = viewer_of(users.alpha_officer)
    csv = "Payment Date,Supplier Name,Amount\n15/06/2024,Acme Ltd,120.00\n"
    url = "data:text/csv;base64," + base64.b64encode(csv.encode()).decode()
    token = upload_data.stage_upload(officer, dash_seed.alpha.code, "s.csv", url, dash_settings)
    fail_bulk_inserts(monkeypatch, session.get_bind().dialect.name)
    payload = trigger_payload(
        app,
        {"id": ids.UPLOAD_CONFIRM, "property": "n_clicks", "value": 1},
        [
            [],  # no mapping dropdowns
            {"id": ids.UPLOAD_OVERLAP, "property": "value", "value": None},
            {"id": ids.UPLOAD_AUTHORITY, "property": "value", "value": dash_seed.alpha.code},
            {"id": ids.UPLOAD_TOKEN, "property": "data", "value": token},
            {"id": ids.UPLOAD_ORGANISATION, "property": "value", "value": []},
            {"id": ids.UPLOAD_IMPORTED, "property": "data", "value": None},
        ],
    )
    response = post_callback(client, payload)
    assert response.status_code == 503
    assert response.get_data(as_text=True) == MESSAGE


@pytest.mark.parametrize("bad", [["x"], {"a": 1}])
def test_lists_and_objects_on_the_upload_page_get_a_message(
    dash_seed: DashSeed, users: SeedUsers, dash_settings: Settings, bad: Any
) -> None:
    officer = viewer_of(users.alpha_officer)
    code = dash_seed.alpha.code
    url = "data:text/csv;base64," + base64.b64encode(b"a,b\n1,2\n").decode()
    for file_name, contents in ((bad, url), ("s.csv", bad)):
        token, panel = receive(officer, code, file_name, contents, dash_settings)
        assert token is None and "Choose an authority and a file." in str(panel)
    assert "Upload a file first." in str(recheck(officer, code, bad, {}, dash_settings))
    assert "Upload a file first." in str(confirm(officer, code, bad, {}, None, dash_settings))
    assert "Upload a file first." in str(confirm(officer, code, "t" * 32, {}, bad, dash_settings))
