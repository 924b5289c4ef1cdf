"""Build and serve the dashboards app.

``create_app`` may be called more than once in a process (tests do): Dash re-imports the
page modules into its global page registry, which replaces the previous entries, and our
callbacks are registered on each app rather than globally. The session factory given to
the latest app is the one every app reads through (see ``dashboards.data``).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import dash
from sqlalchemy.orm import Session, sessionmaker

from dashboards import data
from dashboards.callbacks import register_callbacks
from dashboards.components.shell import PRODUCT_NAME, create_shell
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


def create_app(session_factory: sessionmaker[Session] | None = None) -> dash.Dash:
    if session_factory is None:
        session_factory = session_factory_from_env()
    data.configure(session_factory)
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(ASSETS_DIR),
        suppress_callback_exceptions=True,
        title=PRODUCT_NAME,
    )
    app.layout = create_shell()
    register_callbacks(app)
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
