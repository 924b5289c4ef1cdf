"""Dash's ``/_dash-dependencies`` answer, serialised once per process.

The answer is the app's callback list, which is fixed once the app serves: every callback
is registered by ``create_app``, and Dash adds its page router before the first request is
handled. Dash serialises the list again for every full page load (about 3 ms of the
server's time a page, issue 18); this keeps the first answer's bytes and serves those.
The request guard still runs first, so the answer still needs a signed-in user.
"""

from __future__ import annotations

import threading

import dash
from dash._utils import to_json
from flask import Response

DEPENDENCIES = "_dash-dependencies"


def serve_dependencies_once(app: dash.Dash) -> None:
    """Replace Dash's view of ``/_dash-dependencies`` with one that keeps its first body."""
    endpoint = app.config.routes_pathname_prefix + DEPENDENCIES
    kept: list[bytes] = []
    lock = threading.Lock()

    def dependencies() -> Response:
        with lock:
            if not kept:
                kept.append(to_json(app._callback_list).encode())  # type: ignore[no-untyped-call]
        return Response(kept[0], content_type="application/json")

    app.server.view_functions[endpoint] = dependencies
