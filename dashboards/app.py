"""Build and serve the dashboards app.

``create_app`` may be called more than once in a process (tests do): Dash re-imports the
page modules into its global page registry, which replaces the previous entries, and our
callbacks are registered on each app rather than globally. The session factory given to
the latest app is the one every app reads through (see ``dashboards.data``).

Every page and callback needs a signed-in user (``dashboards.server.auth``).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import dash
from dash.development.base_component import Component
from sqlalchemy.orm import Session, sessionmaker

from dashboards.callbacks import register_callbacks
from dashboards.components.shell import SignedIn, create_shell
from dashboards.data import sessions
from dashboards.server import auth
from dashboards.server.dependencies import serve_dependencies_once
from dashboards.server.downloads import register_downloads
from dashboards.server.headers import install_headers
from dashboards.server.secret_key import load_secret_key
from dashboards.server.unavailable import register_unavailable_handler
from tracker import PRODUCT_NAME
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory
from tracker.migrate import check_schema

HERE = Path(__file__).resolve().parent
PAGES_DIR = HERE / "pages"
ASSETS_DIR = HERE / "assets"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050


def session_factory_from_env() -> sessionmaker[Session]:
    """A session factory for the configured database, after checking its schema is current."""
    engine = make_engine(Settings.from_env().database_url)
    check_schema(engine)
    return make_session_factory(engine)


def shell_layout() -> Component:
    """The shell for the user of this request (navigation fits the role)."""
    try:
        viewer = auth.current_viewer()
    except (auth.NotSignedIn, RuntimeError):  # no user, or outside a request (start-up)
        return create_shell()
    return create_shell(SignedIn(viewer.email, viewer.role, auth.csrf_token()))


def create_app(
    session_factory: sessionmaker[Session] | None = None,
    *,
    settings: Settings | None = None,
) -> dash.Dash:
    settings = settings or Settings.from_env()
    if session_factory is None:
        session_factory = session_factory_from_env()
    sessions.configure(session_factory, settings.plausibility)
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(ASSETS_DIR),
        suppress_callback_exceptions=True,
        title=PRODUCT_NAME,
    )
    server = app.server
    auth.init_auth(
        server,
        secret_key=load_secret_key(settings.home, settings.secret_key),
        cookie_secure=settings.cookie_secure,
    )
    server.config["TRACKER_SETTINGS"] = settings
    # Uploads arrive base64-encoded inside a callback's JSON body (4/3 of the file size).
    server.config["MAX_CONTENT_LENGTH"] = settings.max_upload_bytes * 4 // 3 + 1024 * 1024
    app.layout = shell_layout
    register_callbacks(app)
    serve_dependencies_once(app)
    register_downloads(server)
    register_unavailable_handler(server)
    install_headers(app, https=settings.cookie_secure)
    return app


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    session_factory: sessionmaker[Session] | None = None,
    *,
    debug: bool = False,
) -> None:
    """Run the app on Dash's development server (use a WSGI server for production)."""
    create_app(session_factory).run(host=host, port=port, debug=debug)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dashboards", description=PRODUCT_NAME)
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args(argv)
    serve(args.host, args.port, debug=args.debug)
