"""Security headers on every response (OWASP ASVS V14.4, V8.2.1).

- ``Content-Security-Policy``: scripts, styles, images, fonts and requests only from this
  site; no plugins, no framing by other sites, forms post only here. Dash's one inline
  script (the renderer's start) and any clientside callbacks are allowed by their SHA-256
  hashes (``dash.Dash.csp_hashes``), never by ``'unsafe-inline'``; plotly.js draws every
  trace type the dashboards use without ``eval`` (its WebGL traces would need it and are not
  used). Styles need ``'unsafe-inline'``: plotly.js and Dash's components write ``<style>``
  rules and style attributes as they draw. Images may be ``data:`` URIs (Plotly's mode bar
  icons and downloads of a chart as PNG).
- ``Cache-Control: no-store`` on everything but the static files (Dash's scripts and
  ``/assets``, which hold nothing of a user's): signed-in pages, callback JSON and workbook
  downloads are never kept by the browser or a proxy for the next person at the computer.
- ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff``,
  ``Referrer-Policy: same-origin``, and ``Strict-Transport-Security`` when the session cookie
  is HTTPS-only (``TRACKER_COOKIE_SECURE``), i.e. the site is served over HTTPS.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash
from flask import Response, request

STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
STATIC_PATHS = frozenset({"/_favicon.ico"})
HSTS = "max-age=31536000"


def content_security_policy(script_hashes: Sequence[str]) -> str:
    """The policy, with the hashes (``'sha256-…'``) of the inline scripts to allow."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def is_static(path: str) -> bool:
    return path in STATIC_PATHS or path.startswith(STATIC_PREFIXES)


def install_headers(app: dash.Dash, *, https: bool) -> None:
    """Add the headers to every response of ``app``'s server.

    The script hashes are taken per response: Dash adds inline scripts of its own when it
    sets itself up at the first request (the pages feature's clientside callback that sets
    the document title), after ``create_app`` has returned. Hashing those few short scripts
    costs microseconds."""

    def add_headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = content_security_policy(app.csp_hashes())
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if https:
            headers.setdefault("Strict-Transport-Security", HSTS)
        if not is_static(request.path):
            headers["Cache-Control"] = "no-store"
        return response

    app.server.after_request(add_headers)
