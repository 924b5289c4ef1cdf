"""Serve the app in production mode with gunicorn: several worker processes, each with a
few threads, no debugger and no reloader.

Each worker builds its own app (and database engine) after the fork, so no connection is
shared between processes. Every worker must sign session cookies with the same key, so
production mode refuses to start without ``TRACKER_SECRET_KEY`` in the environment.
"""

from __future__ import annotations

import gc
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from dashboards.server.secret_key import HOW_TO_MAKE_ONE, check_secret_key
from tracker.config import Settings
from tracker.errors import TrackerError

DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4
REQUEST_TIMEOUT_SECONDS = 60
# How long an idle kept-alive connection stays open. gunicorn's default (2 s) is shorter
# than the pause between two page views of a person reading (the load bench's users wait
# 0.5-1.5 s, more when the machine is busy): a connection closed by the server just as the
# client sends its next request on it is reset, which the load bench saw as an error now
# and then on a loaded machine. Idle connections wait in the worker's poller, not in a
# thread, so keeping them longer costs no server thread.
KEEPALIVE_SECONDS = 10


class NoSecretKey(TrackerError):
    """Production mode without ``TRACKER_SECRET_KEY``."""


def require_secret_key(settings: Settings) -> None:
    """Refuse, before any worker starts, a missing or guessable ``TRACKER_SECRET_KEY``."""
    if not settings.secret_key:
        raise NoSecretKey(
            "Set TRACKER_SECRET_KEY (at least 32 random characters, the same for every "
            f"server process) before serving in production mode, e.g. the output of "
            f"{HOW_TO_MAKE_ONE}"
        )
    check_secret_key(settings.secret_key)


def build_server() -> Flask:
    """The Flask server of a new app, configured from the environment (one per worker)."""
    from dashboards.app import create_app

    app = create_app()
    server: Flask = app.server
    # Dash learns which script bundles it may serve while rendering its index page. Render it
    # once now, so that a worker asked for a script before it has rendered a page itself (the
    # page came from another worker) serves it instead of refusing it.
    with server.test_request_context("/"):
        app.index()  # type: ignore[no-untyped-call]
    freeze_start_up()
    return server


def freeze_start_up() -> None:
    """Leave the objects a worker holds once its app is built (modules, Dash's component
    registry, Plotly's schema: about 200,000 objects) out of every later garbage
    collection. A full collection walks every tracked object; with these in it, one
    request in two or three (a first visit to /compare, which makes many objects) paid
    about 100 ms of CPU for it. Garbage left by the start-up is collected first, so nothing
    is kept that could have been freed; frozen objects are still freed by reference
    counting, and what requests create is collected as before (``gc.freeze``)."""
    gc.collect()
    gc.freeze()


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return build_server()


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": REQUEST_TIMEOUT_SECONDS,
        "keepalive": KEEPALIVE_SECONDS,
        "preload_app": False,
        "reload": False,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "tracker",
    }


def serve_production(
    settings: Settings,
    host: str,
    port: int,
    *,
    workers: int = DEFAULT_WORKERS,
    threads: int = DEFAULT_THREADS,
) -> None:
    """Run gunicorn in the foreground until it is stopped (SIGINT or SIGTERM)."""
    require_secret_key(settings)
    if workers < 1 or threads < 1:
        raise TrackerError("--workers and --threads must be at least 1")
    _Gunicorn(gunicorn_options(host, port, workers, threads)).run()
