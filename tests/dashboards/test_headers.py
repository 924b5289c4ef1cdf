"""Security headers (issue 15, finding 8): no-store on everything a signed-in user
receives, and a Content-Security-Policy that allows Dash's inline script by its hash."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace

import dash
import pytest
from dash_seed_data import PASSWORD, SeedUsers
from factories import DashSeed
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker
from test_dashboard_app import year_payload
from web import login, post_callback

from dashboards.app import create_app
from tracker.config import Settings

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)  # e.g. Dash's <!--[if IE]> warning, never run


@pytest.fixture
def client(app: dash.Dash, users: SeedUsers) -> FlaskClient:
    client = app.server.test_client()
    assert login(client, users.alpha_officer.email, PASSWORD).status_code == 302
    return client


def _directives(response: object) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]  # type: ignore[attr-defined]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


def test_signed_in_responses_are_never_stored(client: FlaskClient, dash_seed: DashSeed) -> None:
    """Before, a signed-in page, callback JSON and a download had no Cache-Control."""
    page = client.get("/")
    callback = post_callback(client, year_payload(dash_seed.alpha.code, 2022))
    download = client.get("/compare/download?year=2023")
    for response in (page, callback, download, client.get("/login"), client.get("/nowhere")):
        assert response.headers["Cache-Control"] == "no-store", response.request.path
    assert page.status_code == callback.status_code == download.status_code == 200
    # Static files hold nothing of a user's and may be cached.
    assert "no-store" not in client.get("/assets/style.css").headers.get("Cache-Control", "")


def test_the_policy_allows_dash_inline_scripts_by_hash_only(client: FlaskClient) -> None:
    page = client.get("/")
    directives = _directives(page)
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    # Every inline script the page runs is allowed by the SHA-256 of its text (CSP Level 2:
    # base64 of the digest of the script element's content).
    inline = [
        m["body"]
        for m in INLINE_SCRIPT.finditer(COMMENT.sub("", page.get_data(as_text=True)))
        if "src=" not in m["attrs"] and "application/json" not in m["attrs"]
    ]
    assert inline, "Dash's page has an inline script to start its renderer"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in directives["script-src"], body
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in page.headers  # not HTTPS in this test


def test_the_login_page_carries_the_policy_too(app: dash.Dash) -> None:
    response = app.server.test_client().get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_https_sites_get_strict_transport_security(
    session_factory: sessionmaker[Session], dash_settings: Settings
) -> None:
    app = create_app(session_factory, settings=replace(dash_settings, cookie_secure=True))
    response = app.server.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
