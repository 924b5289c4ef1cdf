"""Smoke tests: the app builds (twice), pages are registered, and signed-in requests render
pages through Dash's router."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from dash_seed_data import PASSWORD, SeedUsers
from factories import DashSeed
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from web import login, post_callback, route

from bench.dash_client import ROUTER_OUTPUT
from dashboards import ids
from dashboards.app import create_app
from dashboards.data import sessions
from tracker.config import Settings
from tracker.errors import SchemaOutdatedError

YEAR_OUTPUT = f"..{ids.YEARS_FIGURE}.figure...{ids.YEAR_PANEL}.children...{ids.YEAR_SHOWN}.data.."
PAGES = {
    "/", "/authority/<code>", "/404", "/review", "/signoff", "/upload", "/factors", "/reports"
}  # fmt: skip


@pytest.fixture
def restore_factory() -> Iterator[None]:
    previous = sessions._factory
    yield
    sessions._factory = previous


def pages_by_path() -> dict[str, dict[str, Any]]:
    return {p.get("path_template") or p["path"]: p for p in dash.page_registry.values()}


def test_pages_are_registered(app: dash.Dash) -> None:
    pages = pages_by_path()
    assert set(pages) >= PAGES
    assert pages["/"]["name"] == "Overview"


def test_create_app_twice(
    session_factory: sessionmaker[Session], dash_settings: Settings, users: SeedUsers
) -> None:
    first = create_app(session_factory, settings=dash_settings)
    second = create_app(session_factory, settings=dash_settings)
    for app in (first, second):
        client = app.server.test_client()
        login(client, users.admin.email, PASSWORD)
        client.get("/")  # sets up callbacks
        assert ROUTER_OUTPUT in app.callback_map
        assert YEAR_OUTPUT in app.callback_map
    assert len([p for p in dash.page_registry.values() if p["path"] == "/"]) == 1


def test_routing_renders_pages_for_admin(
    app: dash.Dash, dash_seed: DashSeed, users: SeedUsers
) -> None:
    client = app.server.test_client()
    login(client, users.admin.email, PASSWORD)
    overview = route(client, "/")
    assert "Alpha Borough Council" in str(overview) and "Beta District Council" in str(overview)
    authority = route(client, f"/authority/{dash_seed.alpha.code}", "?year=2022")
    assert "Alpha Borough Council" in str(authority)
    assert authority["_pages_store"]["data"]["title"] == f"{dash_seed.alpha.code} emissions"
    assert "Authority not found" in str(route(client, "/authority/NOPE"))
    assert "Page not found" in str(route(client, "/no/such/page"))
    for path in ("/review", "/signoff", "/upload", "/factors", "/reports"):
        assert "_pages_content" in route(client, path)


def test_year_callback_over_http(app: dash.Dash, dash_seed: DashSeed, users: SeedUsers) -> None:
    client = app.server.test_client()
    login(client, users.alpha_viewer.email, PASSWORD)
    client.get("/")
    response = post_callback(client, year_payload(dash_seed.alpha.code, 2022))
    assert response.status_code == 200
    panel = str(response.get_json()["response"][ids.YEAR_PANEL]["children"])
    assert "£3,000" in panel
    assert "Beta Secret Supplies" not in panel


def test_year_callback_redraws_only_a_new_year(
    app: dash.Dash, dash_seed: DashSeed, users: SeedUsers
) -> None:
    client = app.server.test_client()
    login(client, users.alpha_viewer.email, PASSWORD)
    client.get("/")
    # The year already shown: nothing to redraw (Dash answers 204 No Content).
    same = post_callback(client, year_payload(dash_seed.alpha.code, 2022, shown=2022))
    assert same.status_code == 204 and not same.data
    # Another year: redrawn, and the page now says it shows that year.
    other = post_callback(client, year_payload(dash_seed.alpha.code, 2022, shown=2023))
    assert other.status_code == 200
    answer = other.get_json()["response"]
    assert answer[ids.YEAR_SHOWN]["data"] == 2022
    assert "£3,000" in str(answer[ids.YEAR_PANEL]["children"])
    # Another authority's year, shown or not, gives none of its data.
    for shown in (2023, None):
        refused = post_callback(client, year_payload(dash_seed.beta.code, 2023, shown=shown))
        assert "Beta District Council" not in refused.get_data(as_text=True)
        assert "Beta Secret Supplies" not in refused.get_data(as_text=True)


def year_payload(code: str, year: int, shown: int | None = None) -> dict[str, Any]:
    return {
        "output": YEAR_OUTPUT,
        "outputs": [
            {"id": ids.YEARS_FIGURE, "property": "figure"},
            {"id": ids.YEAR_PANEL, "property": "children"},
            {"id": ids.YEAR_SHOWN, "property": "data"},
        ],
        "inputs": [{"id": ids.YEAR_DROPDOWN, "property": "value", "value": year}],
        "state": [
            {"id": ids.AUTHORITY_CODE_STORE, "property": "data", "value": code},
            {"id": ids.YEAR_SHOWN, "property": "data", "value": shown},
        ],
        "changedPropIds": [f"{ids.YEAR_DROPDOWN}.value"],
    }


def test_create_app_from_environment(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, restore_factory: None, tmp_path: Path
) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    app = create_app()
    assert isinstance(app, dash.Dash)
    # Without TRACKER_SECRET_KEY a key is generated once and kept, readable by its owner only.
    key_file = tmp_path / "home" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert app.server.config["SECRET_KEY"] == key_file.read_text().strip()
    create_app()
    assert app.server.config["SECRET_KEY"] == key_file.read_text().strip()


def test_create_app_refuses_unmigrated_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_factory: None
) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path / "home"))
    with pytest.raises(SchemaOutdatedError, match="tracker db upgrade"):
        create_app()
