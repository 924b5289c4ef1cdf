"""Log-in, log-out, the rate limit, CSRF checks and session fixation, through Flask's test
client against the real app."""

from __future__ import annotations

from dataclasses import replace

import dash
import pytest
from dash_seed_data import PASSWORD, SeedUsers
from factories import DashSeed
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_dashboard_app import year_payload
from web import ORIGIN, csrf_header, form_token, login, post_callback, route

from dashboards.server.auth import safe_next
from tracker.config import Settings, parse_trusted_proxies
from tracker.models.users import LoginAttempt
from tracker.services import users as user_service


@pytest.fixture
def client(app: dash.Dash) -> FlaskClient:
    return app.server.test_client()


def test_pages_and_callbacks_need_a_log_in(client: FlaskClient, dash_seed: DashSeed) -> None:
    for path in ("/", f"/authority/{dash_seed.alpha.code}", "/upload", "/reports/download"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/_dash-dependencies").status_code == 401
    # A callback POST without a session fails the CSRF check before anything else.
    response = post_callback(client, year_payload(dash_seed.alpha.code, 2022), headers={})
    assert response.status_code == 403
    # The log-in page and static assets are public.
    assert client.get("/login").status_code == 200
    assert client.get("/assets/style.css").status_code == 200


def test_log_in_sets_a_hardened_session_cookie(client: FlaskClient, users: SeedUsers) -> None:
    response = login(client, users.alpha_viewer.email, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("tracker_session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert "Secure" not in session_cookie  # TRACKER_COOKIE_SECURE is off in this test
    csrf_cookie = next(c for c in cookies if c.startswith("_csrf_token="))
    assert "SameSite=Strict" in csrf_cookie and "HttpOnly" not in csrf_cookie
    assert client.get("/").status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"


def test_secure_cookie_when_configured(
    session_factory: object, dash_settings: object, users: SeedUsers
) -> None:

    from dashboards.app import create_app

    app = create_app(session_factory, settings=replace(dash_settings, cookie_secure=True))  # type: ignore[arg-type, type-var]
    client = app.server.test_client()
    response = login(client, users.admin.email, PASSWORD)
    assert any(
        c.startswith("tracker_session=") and "Secure" in c
        for c in response.headers.getlist("Set-Cookie")
    )


def test_wrong_password_and_unknown_user_get_the_same_answer(
    client: FlaskClient, users: SeedUsers
) -> None:
    wrong = login(client, users.admin.email, "not the password")
    unknown = login(client, "nobody@example.org", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "The e-mail or password is not right." in wrong.get_data(as_text=True)
    assert "The e-mail or password is not right." in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_log_in_is_rate_limited(client: FlaskClient, users: SeedUsers) -> None:
    for _ in range(user_service.MAX_FAILURES_PER_EMAIL):
        assert login(client, users.alpha_officer.email, "wrong password").status_code == 401
    refused = login(client, users.alpha_officer.email, PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed log-ins" in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302


def _failed_login_from(client: FlaskClient, email: str, forwarded_for: str) -> int:
    token = form_token(client.get("/login").get_data(as_text=True))
    form = {"email": email, "password": "not the password", "csrf_token": token}
    headers = {"Origin": ORIGIN, "X-Forwarded-For": forwarded_for}
    return client.post("/login", data=form, headers=headers).status_code


def _recorded_addresses(session: Session, email: str) -> list[str]:
    return list(
        session.scalars(select(LoginAttempt.remote_addr).where(LoginAttempt.email == email))
    )


def test_forwarded_for_is_ignored_without_a_trusted_proxy(
    client: FlaskClient, session: Session
) -> None:
    """Anyone can send X-Forwarded-For: unless the request comes from a trusted proxy the
    address is the connection's own (the test client's 127.0.0.1)."""
    assert _failed_login_from(client, "spoof@example.org", "203.0.113.7") == 401
    assert _recorded_addresses(session, "spoof@example.org") == ["127.0.0.1"]


def test_behind_a_trusted_proxy_each_client_is_limited_on_its_own(
    session_factory: object, dash_settings: Settings, users: SeedUsers, session: Session
) -> None:
    """Issue 15, finding 6: behind the proxy every client shared its address, so 20
    failures from anyone blocked every log-in."""
    from dashboards.app import create_app

    proxied = replace(dash_settings, trusted_proxies=parse_trusted_proxies("127.0.0.1"))
    client = create_app(session_factory, settings=proxied).server.test_client()  # type: ignore[arg-type]
    for i in range(user_service.MAX_FAILURES_PER_ADDRESS):
        assert _failed_login_from(client, f"guess{i}@example.org", "203.0.113.7") == 401
    assert _recorded_addresses(session, "guess0@example.org") == ["203.0.113.7"]
    assert _failed_login_from(client, "guess0@example.org", "203.0.113.7") == 429
    # Another client behind the same proxy signs in.
    token = form_token(client.get("/login").get_data(as_text=True))
    form = {"email": users.admin.email, "password": PASSWORD, "csrf_token": token}
    headers = {"Origin": ORIGIN, "X-Forwarded-For": "198.51.100.2"}
    assert client.post("/login", data=form, headers=headers).status_code == 302


def test_log_in_form_needs_its_csrf_token_and_this_origin(
    client: FlaskClient, users: SeedUsers
) -> None:
    token = form_token(client.get("/login").get_data(as_text=True))
    form = {"email": users.admin.email, "password": PASSWORD}
    assert client.post("/login", data=form, headers={"Origin": ORIGIN}).status_code == 403
    bad = {**form, "csrf_token": "forged"}
    assert client.post("/login", data=bad, headers={"Origin": ORIGIN}).status_code == 403
    good = {**form, "csrf_token": token}
    other_site = {"Origin": "https://evil.example"}
    assert client.post("/login", data=good, headers=other_site).status_code == 403
    assert client.post("/login", data=good).status_code == 403  # neither Origin nor Referer
    referer = {"Referer": f"{ORIGIN}/login"}
    assert client.post("/login", data=good, headers=referer).status_code == 302


def test_callbacks_need_the_csrf_header_and_this_origin(
    client: FlaskClient, dash_seed: DashSeed, users: SeedUsers
) -> None:
    login(client, users.alpha_viewer.email, PASSWORD)
    payload = year_payload(dash_seed.alpha.code, 2022)
    good = csrf_header(client)
    assert post_callback(client, payload, headers={"Origin": ORIGIN}).status_code == 403
    forged = {**good, "X-CSRFToken": "forged"}
    assert post_callback(client, payload, headers=forged).status_code == 403
    foreign = {**good, "Origin": "https://evil.example"}
    assert post_callback(client, payload, headers=foreign).status_code == 403
    token_only = {"X-CSRFToken": good["X-CSRFToken"]}  # neither Origin nor Referer
    assert post_callback(client, payload, headers=token_only).status_code == 403
    assert post_callback(client, payload, headers=good).status_code == 200


def test_log_in_starts_a_new_session(client: FlaskClient, users: SeedUsers) -> None:
    """Session fixation: a session cookie from before log-in never becomes a signed-in one."""
    client.get("/login")
    planted = client.get_cookie("tracker_session")
    assert planted is not None
    token_before = client.get_cookie("_csrf_token")
    login(client, users.admin.email, PASSWORD)
    signed_in = client.get_cookie("tracker_session")
    assert signed_in is not None and signed_in.value != planted.value
    token_after = client.get_cookie("_csrf_token")
    assert token_after is not None
    assert token_before is None or token_before.value != token_after.value
    # Someone holding the planted cookie is still not signed in.
    client.set_cookie("tracker_session", planted.value)
    assert client.get("/").status_code == 302


def test_log_out(client: FlaskClient, users: SeedUsers) -> None:
    login(client, users.admin.email, PASSWORD)
    assert client.get("/").status_code == 200
    # Log-out is a POST with the token, so another site cannot sign the user out.
    assert client.post("/logout", headers={"Origin": ORIGIN}).status_code == 403
    token = client.get_cookie("_csrf_token")
    assert token is not None
    response = client.post("/logout", data={"csrf_token": token.value}, headers={"Origin": ORIGIN})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def _log_out(client: FlaskClient) -> None:
    token = client.get_cookie("_csrf_token")
    assert token is not None
    response = client.post("/logout", data={"csrf_token": token.value}, headers={"Origin": ORIGIN})
    assert response.status_code == 302


def _replay(app: dash.Dash, cookie: str, path: str) -> int:
    """Open ``path`` from another client (another User-Agent) holding a copy of ``cookie``."""
    other = app.server.test_client()
    other.set_cookie("tracker_session", cookie)
    return other.get(path, headers={"User-Agent": "another browser"}).status_code


def _signed_in_cookie(client: FlaskClient, email: str) -> str:
    assert login(client, email, PASSWORD).status_code == 302
    cookie = client.get_cookie("tracker_session")
    assert cookie is not None
    return cookie.value


def test_log_out_ends_the_session_on_the_server(
    app: dash.Dash, client: FlaskClient, dash_seed: DashSeed, users: SeedUsers
) -> None:
    """Issue 15, finding 3: a cookie saved before log-out still opened / and downloaded a
    workbook afterwards, from another User-Agent too."""
    saved = _signed_in_cookie(client, users.alpha_officer.email)
    download = "/compare/download?year=2023"
    assert _replay(app, saved, "/") == 200  # the copy works while the session is open
    assert _replay(app, saved, download) == 200
    _log_out(client)
    assert _replay(app, saved, "/") == 302
    assert _replay(app, saved, download) == 302
    # Signing in again works, with a new session.
    assert _replay(app, _signed_in_cookie(client, users.alpha_officer.email), "/") == 200


def test_a_new_password_ends_the_users_sessions(
    app: dash.Dash, client: FlaskClient, users: SeedUsers, session: Session
) -> None:
    saved = _signed_in_cookie(client, users.alpha_officer.email)
    user_service.set_password(
        session, email=users.alpha_officer.email, password="a brand new passphrase"
    )
    assert _replay(app, saved, "/") == 302
    assert client.get("/").status_code == 302


def test_a_new_role_ends_the_users_sessions(
    app: dash.Dash, client: FlaskClient, dash_seed: DashSeed, users: SeedUsers, session: Session
) -> None:
    saved = _signed_in_cookie(client, users.alpha_officer.email)
    assert _replay(app, saved, "/upload") == 200
    user_service.set_role(
        session, email=users.alpha_officer.email, role="viewer", authority=dash_seed.alpha
    )
    assert _replay(app, saved, "/upload") == 302
    # Signed in again, the new role applies: viewers may not upload.
    assert _replay(app, _signed_in_cookie(client, users.alpha_officer.email), "/upload") == 403


def test_deactivated_user_is_signed_out(
    client: FlaskClient, users: SeedUsers, session: object
) -> None:
    login(client, users.alpha_officer.email, PASSWORD)
    assert client.get("/").status_code == 200
    users.alpha_officer.is_active = False
    session.flush()  # type: ignore[attr-defined]
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/authority/X", "/authority/X"),
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
        ("/\\evil.example", "/"),
        (None, "/"),
        # A browser drops tabs and newlines from a URL: these are //evil.example/x to it.
        ("/\t/evil.example/x", "/"),
        ("/\n/evil.example/x", "/"),
        ("\t//evil.example/x", "/"),
        (" //evil.example/x", "/"),
        ("/\t\\evil.example", "/"),
        ("https:\t//evil.example", "/"),
        ("/reports\x00", "/reports"),
        ("/rep\x00orts", "/"),
        ("/authority/\tX", "/authority/X"),
        ("/authority/X\r\n", "/authority/X"),
    ],
)
def test_next_is_always_a_local_path(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def _as_a_browser_reads(location: str) -> str:
    """A ``Location`` as a browser reads it (WHATWG URL parsing): leading and trailing C0
    controls and spaces stripped, tabs and newlines removed anywhere."""
    edge = "".join(chr(c) for c in range(0x21))
    return location.strip(edge).replace("\t", "").replace("\n", "").replace("\r", "")


@pytest.mark.parametrize(
    "target",
    ["/\t/evil.example/x", "/%09/evil.example/x", "/\r\n/evil.example/x", "/x\r\nSet-Cookie: a=b"],
)
def test_log_in_never_redirects_to_another_site(
    client: FlaskClient, users: SeedUsers, target: str
) -> None:
    """Finding 2 of issue 15: ``next=/%09/evil.example/x`` passed the check and the browser,
    dropping the tab, went to //evil.example/x; a CR or LF in ``next`` gave a 500."""
    from urllib.parse import unquote

    token = form_token(client.get("/login").get_data(as_text=True))
    form = {"email": users.admin.email, "password": PASSWORD, "csrf_token": token}
    response = client.post(
        "/login", data={**form, "next": unquote(target)}, headers={"Origin": ORIGIN}
    )
    assert response.status_code == 302
    followed = _as_a_browser_reads(response.headers["Location"])
    assert followed.startswith("/") and not followed.startswith("//"), followed
    assert not any(c.startswith("a=") for c in response.headers.getlist("Set-Cookie"))
    assert client.get("/").status_code == 200  # signed in, not refused


def test_log_in_page_offers_only_a_local_next(client: FlaskClient) -> None:
    page = client.get("/login?next=/%09/evil.example/x").get_data(as_text=True)
    assert 'name="next" value="/"' in page


def test_viewer_cannot_open_another_authority(
    client: FlaskClient, dash_seed: DashSeed, users: SeedUsers
) -> None:
    login(client, users.alpha_viewer.email, PASSWORD)
    assert client.get(f"/authority/{dash_seed.alpha.code}").status_code == 200
    for code in (dash_seed.beta.code, "NO-SUCH-CODE"):
        page = client.get(f"/authority/{code}")
        assert page.status_code == 403
        assert "Access denied" in page.get_data(as_text=True)
    routed = str(route(client, f"/authority/{dash_seed.beta.code}"))
    assert "Access denied" in routed and "Beta District Council" not in routed
    # Asking the year callback for Beta's data directly gets nothing of Beta's.
    response = post_callback(client, year_payload(dash_seed.beta.code, 2023))
    body = response.get_data(as_text=True)
    assert "Beta District Council" not in body and "Beta Secret Supplies" not in body
    assert "Access denied" in body
    # Uploading is for officers and admins.
    assert client.get("/upload").status_code == 403


def test_an_admin_opening_a_missing_authority_is_told_it_is_not_there(
    client: FlaskClient, dash_seed: DashSeed, users: SeedUsers
) -> None:
    """An admin may open every authority, so telling them a code does not exist gives
    nothing away; others get "Access denied" for it (test above) as for another's code."""
    login(client, users.admin.email, PASSWORD)
    assert client.get(f"/authority/{dash_seed.beta.code}").status_code == 200
    page = client.get("/authority/NO-SUCH-CODE")
    body = page.get_data(as_text=True)
    assert page.status_code == 404
    assert "Authority not found" in body and "Access denied" not in body
    assert "There is no authority with the code “NO-SUCH-CODE”." in body
