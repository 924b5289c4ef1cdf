"""Smoke tests: the app builds (twice), pages are registered, and requests render pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from dash.development.base_component import Component
from dash_seed_data import DashSeed
from dash_tree import text
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from dashboards import data, ids
from dashboards.app import create_app
from tracker.errors import SchemaOutdatedError

ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
YEAR_OUTPUT = f"..{ids.YEARS_FIGURE}.figure...{ids.YEAR_PANEL}.children.."


@pytest.fixture
def app(session_factory: sessionmaker[Session]) -> dash.Dash:
    return create_app(session_factory)


@pytest.fixture
def restore_factory() -> Iterator[None]:
    previous = data._factory
    yield
    data._factory = previous


def pages_by_path() -> dict[str, dict[str, Any]]:
    return {p.get("path_template") or p["path"]: p for p in dash.page_registry.values()}


def route(app: dash.Dash, pathname: str, search: str = "") -> dict[str, Any]:
    """What Dash's page router returns for ``pathname`` (as the browser would request it)."""
    client = app.server.test_client()
    assert client.get("/").status_code == 200  # first request sets the router up
    response = client.post(
        "/_dash-update-component",
        json={
            "output": ROUTER_OUTPUT,
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": pathname},
                {"id": "_pages_location", "property": "search", "value": search},
            ],
            "changedPropIds": ["_pages_location.pathname"],
            "state": [],
        },
    )
    assert response.status_code == 200
    result: dict[str, Any] = response.get_json()["response"]
    return result


def test_pages_are_registered(app: dash.Dash) -> None:
    pages = pages_by_path()
    assert {"/", "/authority/<code>", "/404"} <= set(pages)
    assert pages["/"]["name"] == "Overview"


def test_create_app_twice(session_factory: sessionmaker[Session]) -> None:
    first = create_app(session_factory)
    second = create_app(session_factory)
    for app in (first, second):
        app.server.test_client().get("/")  # sets up callbacks
        assert ROUTER_OUTPUT in app.callback_map
        assert YEAR_OUTPUT in app.callback_map
    assert len([p for p in dash.page_registry.values() if p["path"] == "/"]) == 1


def test_layouts_build_without_error(app: dash.Dash, dash_seed: DashSeed) -> None:
    pages = pages_by_path()
    assert isinstance(app.layout, Component)
    assert "_pages_content" in str(app.layout)
    for path, kwargs in [
        ("/", {}),
        ("/authority/<code>", {"code": dash_seed.alpha.code}),
        ("/authority/<code>", {"code": "NOPE"}),
        ("/404", {}),
    ]:
        assert isinstance(pages[path]["layout"](**kwargs), Component)


def test_routing_renders_pages(app: dash.Dash, dash_seed: DashSeed) -> None:
    overview = route(app, "/")
    assert "Alpha Borough Council" in str(overview)
    authority = route(app, f"/authority/{dash_seed.alpha.code}", "?year=2022")
    assert "Alpha Borough Council" in str(authority)
    assert authority["_pages_store"]["data"]["title"] == f"{dash_seed.alpha.code} emissions"
    assert "Authority not found" in str(route(app, "/authority/NOPE"))
    assert "Page not found" in str(route(app, "/no/such/page"))


def test_year_callback_over_http(app: dash.Dash, dash_seed: DashSeed) -> None:
    client = app.server.test_client()
    client.get("/")
    response = client.post(
        "/_dash-update-component",
        json={
            "output": YEAR_OUTPUT,
            "outputs": [
                {"id": ids.YEARS_FIGURE, "property": "figure"},
                {"id": ids.YEAR_PANEL, "property": "children"},
            ],
            "inputs": [{"id": ids.YEAR_DROPDOWN, "property": "value", "value": 2022}],
            "state": [
                {"id": ids.AUTHORITY_CODE_STORE, "property": "data", "value": dash_seed.alpha.code}
            ],
            "changedPropIds": [f"{ids.YEAR_DROPDOWN}.value"],
        },
    )
    assert response.status_code == 200
    panel = str(response.get_json()["response"][ids.YEAR_PANEL]["children"])
    assert "£3,000" in panel
    assert "Beta Secret Supplies" not in panel


def test_create_app_from_environment(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, restore_factory: None
) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    app = create_app()
    assert isinstance(app, dash.Dash)
    assert "Procurement emissions" in text(pages_by_path()["/"]["layout"]())


def test_create_app_refuses_unmigrated_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_factory: None
) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(SchemaOutdatedError, match="tracker db upgrade"):
        create_app()
