"""The upload page warns that a file names another body and imports it only once the
officer ticks the confirmation (issue 16)."""

from __future__ import annotations

import base64

import pytest
from dash_seed_data import PASSWORD
from factories import suffix
from sqlalchemy.orm import Session, sessionmaker

from dashboards.callbacks.upload import confirm, receive
from dashboards.layouts.upload import ORGANISATION_CONFIRMED
from tracker.access import Viewer
from tracker.config import Settings
from tracker.services.authorities import add_authority
from tracker.services.reference import load_shipped_reference_data
from tracker.services.users import add_user, viewer_of

CSV = (
    "Body Name,Payment Date,Supplier Name,Amount,SIC code\n"
    "Manchester City Council,15/06/2024,Acme Haulage Ltd,120.00,49410\n"
)
MESSAGE = "s.csv: column 'Body Name' names 'Manchester City Council', not Salford City Council."


def _url(text: str) -> str:
    return "data:text/csv;base64," + base64.b64encode(text.encode()).decode()


@pytest.fixture
def salford(session: Session, session_factory: sessionmaker[Session]) -> tuple[str, Viewer]:
    load_shipped_reference_data(session)
    tag = suffix().upper()
    authority = add_authority(session, code=f"SAL{tag}", name="Salford City Council")
    officer = add_user(
        session,
        email=f"officer-{tag.lower()}@example.org",
        password=PASSWORD,
        role="officer",
        authority=authority,
    )
    return authority.code, viewer_of(officer)


def test_a_file_naming_another_council_needs_the_officers_confirmation(
    salford: tuple[str, Viewer], dash_settings: Settings
) -> None:
    code, officer = salford
    token, panel = receive(officer, code, "s.csv", _url(CSV), dash_settings)
    assert token is not None
    assert f"This file may belong to another organisation: {MESSAGE}" in str(panel)
    stopped = str(confirm(officer, code, token, {}, None, dash_settings, []))
    assert MESSAGE in stopped and "Nothing was stored" in stopped
    done = str(confirm(officer, code, token, {}, None, dash_settings, [ORGANISATION_CONFIRMED]))
    assert "Imported 1 rows from s.csv" in done


def test_the_own_councils_file_shows_no_warning(
    salford: tuple[str, Viewer], dash_settings: Settings
) -> None:
    code, officer = salford
    own = CSV.replace("Manchester City Council", "Salford City Council")
    token, panel = receive(officer, code, "s.csv", _url(own), dash_settings)
    assert token is not None and "another organisation" not in str(panel)
    assert "Imported 1 rows from s.csv" in str(
        confirm(officer, code, token, {}, None, dash_settings)
    )
