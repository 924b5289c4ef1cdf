"""`tracker serve` and `tracker demo`: the dashboard, with or without demo data."""

from __future__ import annotations

import click

from tracker.cli.support import check_database
from tracker.config import Settings
from tracker.db import make_engine, make_session_factory, session_scope


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8050, show_default=True)
@click.option(
    "--workers", type=int, default=2, show_default=True, help="Server processes (gunicorn)."
)
@click.option("--threads", type=int, default=4, show_default=True, help="Threads per process.")
@click.option("--debug", is_flag=True, hidden=True)
@click.pass_obj
def serve_cmd(
    settings: Settings, host: str, port: int, workers: int, threads: int, debug: bool
) -> None:
    """Serve the dashboard in production mode (gunicorn; needs TRACKER_SECRET_KEY).

    \b
    Example:
        export TRACKER_SECRET_KEY=...   # 32+ random characters
        tracker serve --workers 4 --port 8050
    """
    engine = make_engine(settings.database_url)
    try:
        check_database(engine)
    finally:
        engine.dispose()
    if debug:
        from dashboards.app import serve

        serve(host=host, port=port, debug=True)
        return
    from dashboards.production import serve_production

    click.echo(f"Dashboard at http://{host}:{port}/  ({workers} workers × {threads} threads)")
    serve_production(settings, host, port, workers=workers, threads=threads)


@click.command("demo")
@click.option("--port", type=int, default=8050, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--no-serve", is_flag=True, help="Seed the demo data and exit.")
@click.pass_obj
def demo_cmd(settings: Settings, port: int, host: str, no_serve: bool) -> None:
    """Migrate, seed synthetic demo authorities (if not already there) and serve the dashboard.

    \b
    Example:
        tracker demo --port 8050
    """
    from tracker import migrate
    from tracker.services.demo.seed import seed_demo, seed_demo_users
    from tracker.services.reference import load_shipped_reference_data

    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        load_shipped_reference_data(session)
    with session_scope(factory) as session:
        summary = seed_demo(session, data_dir=settings.data_dir)
    with session_scope(factory) as session:
        logins = seed_demo_users(session)
    click.echo(summary)
    click.echo("Demo log-ins (new passwords each time `tracker demo` runs):")
    for login in logins:
        where = f" of {login.authority}" if login.authority else ""
        click.echo(f"  {login.role}{where}: {login.email}  password: {login.password}")
    if no_serve:
        return
    from dashboards.app import serve

    click.echo(f"Dashboard at http://{host}:{port}/  (demo data; sign in with a log-in above)")
    serve(host=host, port=port, session_factory=factory, debug=False)
