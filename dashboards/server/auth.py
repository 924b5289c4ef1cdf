"""Log-in, sessions, CSRF protection and the signed-in :class:`~tracker.access.Viewer`.

For pages and callbacks (including those of other modules) the whole API is:

- :func:`current_viewer` returns the signed-in user as a ``Viewer``; call it inside a page
  ``layout`` or a callback and pass it to ``dashboards.data`` functions, which check what
  the viewer may see through ``tracker.access``.
- :func:`authorised` decorates a callback: it passes the viewer as the first argument and
  turns :class:`~tracker.access.AccessDenied` into an HTTP 403 answer.

Every request is checked in :func:`_guard` before Dash sees it:

- Signed in? Pages redirect to ``/login``; Dash's JSON endpoints answer 401. Only the log-in
  page and static files (Dash's scripts, ``/assets``) are public.
- Every state-changing request (POST, PUT, PATCH, DELETE) must (1) come from this site —
  its ``Origin`` (or, without one, its ``Referer``) names this host — and (2) carry the
  session's CSRF token: the ``csrf_token`` form field on ``/login`` and ``/logout``, the
  ``X-CSRFToken`` header on Dash's callback POSTs. Dash's renderer copies that header from
  the ``_csrf_token`` cookie, which this module sets (readable by scripts, SameSite=Strict);
  the token it is compared with lives in the signed, HttpOnly session cookie. Another site
  can neither read the cookie nor set the header, so it cannot forge a callback.
- Logging in starts a new session (the old one is cleared, a new CSRF token is made), so a
  session planted before log-in never becomes a signed-in one (no session fixation).
- A session carries the user's session version (``app_user.session_version``), checked on
  every request: logging out, a new password and a new role or authority raise it, which
  ends every session of that user on the server, not only the cookie in one browser.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar
from urllib.parse import quote, urlsplit

import flask
import flask_login
from flask import Flask, Response, abort, redirect, request, session
from werkzeug.wrappers import Response as BaseResponse

from dashboards.data.access import page_forbidden, page_missing
from dashboards.data.users import end_sessions, load_viewer, login
from dashboards.server.client_address import client_address
from dashboards.server.headers import STATIC_PREFIXES
from dashboards.server.login_page import forbidden_html, login_html
from tracker.access import AccessDenied, Viewer
from tracker.services.users import LoginThrottled

CSRF_SESSION_KEY = "csrf"
CSRF_COOKIE = "_csrf_token"  # the cookie Dash's renderer reads (Dash's default name)
CSRF_HEADER = "X-CSRFToken"  # the header Dash's renderer sends it in
SESSION_LIFETIME = dt.timedelta(hours=8)
PUBLIC_PREFIXES = STATIC_PREFIXES  # Dash's scripts and /assets
PUBLIC_PATHS = frozenset({"/login", "/_favicon.ico"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

P = ParamSpec("P")
R = TypeVar("R")


class NotSignedIn(Exception):
    """No user is signed in on this request."""


class _LoginUser(flask_login.UserMixin):  # type: ignore[misc]
    """The signed-in user. Its id, kept in the signed session cookie, is
    ``<user id>.<session version>``: a cookie whose version is no longer the user's (after
    log-out, a new password or a new role) signs nobody in."""

    def __init__(self, viewer: Viewer, session_version: int) -> None:
        self.viewer = viewer
        self.session_version = session_version

    def get_id(self) -> str:
        return f"{self.viewer.user_id}.{self.session_version}"


def current_viewer() -> Viewer:
    """The signed-in user of this request (raises :class:`NotSignedIn` if there is none)."""
    user = flask_login.current_user
    if not getattr(user, "is_authenticated", False) or not isinstance(user, _LoginUser):
        raise NotSignedIn
    return user.viewer


def authorised(func: Callable[Concatenate[Viewer, P], R]) -> Callable[P, R]:
    """Decorate a callback: call it with the signed-in viewer first; refuse with 401 when
    nobody is signed in and 403 when it raises ``AccessDenied``."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            viewer = current_viewer()
        except NotSignedIn:
            abort(401)
        try:
            return func(viewer, *args, **kwargs)
        except AccessDenied:
            abort(403)

    return wrapper


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_SESSION_KEY] = token
    return token


def _same_origin() -> bool:
    expected = f"{request.scheme}://{request.host}"
    origin = request.headers.get("Origin")
    if origin:
        return origin == expected
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" == expected
    return False


def _csrf_ok() -> bool:
    expected = session.get(CSRF_SESSION_KEY)
    if not isinstance(expected, str) or not _same_origin():
        return False
    given = request.headers.get(CSRF_HEADER) or request.form.get("csrf_token") or ""
    return hmac.compare_digest(given.encode(), expected.encode())


def _is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def _is_page_request(path: str) -> bool:
    return request.method in SAFE_METHODS and not path.startswith("/_")


# What a browser drops from a URL before reading it (WHATWG URL standard): C0 controls and
# spaces at either end, and tabs and newlines anywhere.
_URL_EDGE = "".join(chr(c) for c in range(0x21))
_URL_DROPPED = str.maketrans("", "", "\t\n\r")


def safe_next(target: str | None) -> str:
    """A path on this site to go to after log-in; ``/`` for anything else.

    ``target`` is first normalised as the browser will read the ``Location`` header, and
    only then checked, so the check sees what the browser follows: ``/<TAB>/evil.example``
    becomes ``//evil.example`` (another site) and is refused. A path must start with one
    ``/``, hold no backslash (browsers read it as ``/``) and no control character, and name
    no scheme or host. CR and LF are removed with the tabs, so they never reach the header
    (werkzeug refuses a header holding one, which was a 500 instead of a log-in).
    """
    if not target:
        return "/"
    path = target.strip(_URL_EDGE).translate(_URL_DROPPED)
    if (
        not path.startswith("/")
        or path.startswith("//")
        or "\\" in path
        or any(ord(c) < 0x20 or ord(c) == 0x7F for c in path)
    ):
        return "/"
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return "/"
    return path


def _guard() -> BaseResponse | None:
    path = request.path
    if request.method not in SAFE_METHODS and not _csrf_ok():
        return Response("Forbidden: the request failed the CSRF check.", 403)
    if _is_public(path):
        return None
    if not flask_login.current_user.is_authenticated:
        if _is_page_request(path):
            return redirect(f"/login?next={quote(path)}")
        return Response("Sign in first.", 401)
    if not _is_page_request(path):
        return None
    missing = page_missing(current_viewer(), path)
    if missing:
        return Response(forbidden_html(missing, "Authority not found"), 404, mimetype="text/html")
    forbidden = page_forbidden(current_viewer(), path)
    if forbidden:
        return Response(forbidden_html(forbidden), 403, mimetype="text/html")
    return None


def _after(response: Response) -> Response:
    token = session.get(CSRF_SESSION_KEY)
    if isinstance(token, str) and request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(
            CSRF_COOKIE,
            token,
            httponly=False,  # Dash's renderer reads it to send the header
            samesite="Strict",
            secure=flask.current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def _client_address() -> str:
    """The client's address, read through the trusted reverse proxies (finding 6)."""
    settings = flask.current_app.config["TRACKER_SETTINGS"]
    return client_address(
        request.remote_addr or "", request.headers.get("X-Forwarded-For"), settings.trusted_proxies
    )


def _login() -> BaseResponse | str:
    if request.method == "GET":
        return login_html(csrf_token(), next_path=safe_next(request.args.get("next")))
    email = request.form.get("email", "")
    next_path = safe_next(request.form.get("next"))
    if "\x00" in email:  # no address has one, and PostgreSQL refuses to store or compare it
        error = "The e-mail address holds a character that no e-mail address has."
        return Response(login_html(csrf_token(), error=error, email=email.replace("\x00", "")), 400)
    try:
        signed_in = login(email, request.form.get("password", ""), _client_address())
    except LoginThrottled as exc:
        return Response(login_html(csrf_token(), error=str(exc), email=email), 429)
    if signed_in is None:
        error = "The e-mail or password is not right."
        return Response(login_html(csrf_token(), error=error, email=email), 401)
    session.clear()  # a fresh session: nothing from before log-in carries over
    session.permanent = True
    flask_login.login_user(_LoginUser(signed_in.viewer, signed_in.session_version))
    csrf_token()
    return redirect(next_path)


def _logout() -> BaseResponse:
    user = flask_login.current_user
    if isinstance(user, _LoginUser) and user.viewer.user_id is not None:
        # Ended on the server too: a copy of this session's cookie (or any other session
        # of the user) signs nobody in from now on.
        end_sessions(user.viewer.user_id)
    flask_login.logout_user()
    session.clear()
    response = redirect("/login")
    response.delete_cookie(CSRF_COOKIE)
    return response


def _load_user(session_id: str) -> _LoginUser | None:
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None  # e.g. a session from before session versions: sign in again
    viewer = load_viewer(int(user_id), int(version))
    return None if viewer is None else _LoginUser(viewer, int(version))


def init_auth(server: Flask, *, secret_key: str, cookie_secure: bool) -> None:
    """Wire log-in, the request guard and cookie settings into Dash's Flask server."""
    server.config.update(
        SECRET_KEY=secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=cookie_secure,
        SESSION_COOKIE_NAME="tracker_session",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        REMEMBER_COOKIE_HTTPONLY=True,
    )
    manager = flask_login.LoginManager()
    manager.session_protection = "strong"
    manager.user_loader(_load_user)
    manager.init_app(server)
    server.before_request(_guard)
    server.after_request(_after)
    server.add_url_rule("/login", "login", _login, methods=["GET", "POST"])
    server.add_url_rule("/logout", "logout", _logout, methods=["POST"])
