"""The compare and collaboration pages and callbacks, scoped by the Viewer
(factories.seed_group)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import dash
import pytest
from dash_seed_data import PASSWORD
from dash_tree import by_id, text
from factories import GroupSeed, seed_group
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker
from test_dashboard_app import pages_by_path
from web import login, post_callback, route

from dashboards import ids
from dashboards.app import create_app
from dashboards.data.compare import comparison_data
from dashboards.layouts.collaboration import (
    collaboration_layout,
    parse_top,
    select_collaboration,
)
from dashboards.layouts.compare import compare_layout, select_compare_year
from tracker.access import Viewer
from tracker.services.users import add_user

D = Decimal


def viewer_of(authority_id: int, role: str = "viewer") -> Viewer:
    return Viewer(user_id=None, email="v@example.org", role=role, authority_id=authority_id)


@pytest.fixture
def seed(session: Session, session_factory: sessionmaker[Session]) -> GroupSeed:
    return seed_group(session)


def test_compare_layout_for_a_viewer(seed: GroupSeed) -> None:
    layout = compare_layout(viewer_of(seed.a.id), "2023")
    content = text(layout)
    assert "Ashby Council" in content and "Bexley Council" in content
    assert "Carden Council" not in content and seed.c.code not in content
    # Pooled over A and B: 2,900 kg ÷ £12,000 = 0.242 kg/£; 2,900 / 400,000 residents.
    assert "0.242 kgCO2e/£" in content
    assert "Read these figures with care" in content
    assert "Coverage differs" in text(by_id(layout, ids.COMPARE_WARNINGS))
    bars = by_id(layout, ids.COMPARE_INTENSITY_FIGURE).figure.data[0]
    assert bars.y == ("Bexley Council", "Ashby Council") and bars.x == (0.3, 0.23)
    assert bars.marker.pattern.shape == ("/", "")  # B's coverage is much lower
    table = text(by_id(layout, ids.COMPARE_TABLE))
    assert "off track" in table and "Target: −50 % by 2030/31 from the 2022/23" in table
    assert "test, edition test 2;" in table and "edition test 1, data year 2022" in table
    assert "test test-2" not in table and "matched (test-cpi)" not in table
    assert "each year's own factors; spend brought to their price year with test-cpi" in table
    assert by_id(layout, ids.COMPARE_YEAR).value == 2023
    # Years named as on every other page: April-start authorities, so 2023 is 2023/24.
    assert {"label": "2023/24", "value": 2023} in by_id(layout, ids.COMPARE_YEAR).options
    assert by_id(layout, ids.COMPARE_DOWNLOAD).href == "/compare/download?year=2023"


def test_compare_year_callback_is_scoped(seed: GroupSeed) -> None:
    body = select_compare_year(viewer_of(seed.b.id, "officer"), 2023)
    content = text(body)
    assert "Bexley Council" in content
    assert "Ashby Council" not in content and "Carden Council" not in content
    assert "Like for like" in content  # one authority: nothing to warn about
    empty = text(select_compare_year(viewer_of(seed.b.id), 1999))
    assert "No authority you can see has an inventory" in empty


def test_collaboration_layout_for_a_viewer(seed: GroupSeed) -> None:
    layout = collaboration_layout(viewer_of(seed.a.id), 2023, "10")
    content = text(layout)
    ranking = text(by_id(layout, ids.COLLAB_RANKING_TABLE))
    assert "Shared Coaches" in ranking and "83%" in ranking  # 2,400 of 2,900 kg
    assert "C Secret Supplies" not in content and seed.c.code not in content
    shared = by_id(layout, ids.COLLAB_SHARED_FIGURE).figure.data[0]
    assert shared.x == (2.4,)
    spread = text(by_id(layout, ids.COLLAB_SPREAD_TABLE))
    assert "Land transport services (49)" in spread and "3.00" in spread
    assert "a supplier's own footprint" in spread
    assert by_id(layout, ids.COLLAB_TOP).value == 10
    assert {"label": "2023/24", "value": 2023} in by_id(layout, ids.COLLAB_YEAR).options


def test_collaboration_callback_is_scoped(seed: GroupSeed) -> None:
    content = text(select_collaboration(viewer_of(seed.c.id), 2023, 20))
    assert "Shared Coaches" in content and "Bexley" not in content  # codes, not names
    assert seed.b.code in content and seed.a.code not in content
    assert "A Catering" not in content


@pytest.mark.parametrize(("value", "expected"), [(10, 10), ("50", 50), (7, 20), (None, 20)])
def test_parse_top(value: object, expected: int) -> None:
    assert parse_top(value) == expected


@pytest.fixture
def app(session_factory: sessionmaker[Session]) -> dash.Dash:
    return create_app(session_factory)


def _signed_in(app: dash.Dash, session: Session, role: str, authority: Any) -> FlaskClient:
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.org"
    add_user(session, email=email, password=PASSWORD, role=role, authority=authority)
    client = app.server.test_client()
    login(client, email, PASSWORD)
    return client


def _post(client: FlaskClient, output: dict[str, str], inputs: list[Any]) -> Any:
    response = post_callback(
        client,
        {
            "output": f"{output['id']}.{output['property']}",
            "outputs": output,
            "inputs": inputs,
            "changedPropIds": [f"{inputs[0]['id']}.value"],
            "state": [],
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def test_pages_render_through_the_router(app: dash.Dash, seed: GroupSeed, session: Session) -> None:
    pages = pages_by_path()
    assert pages["/compare"]["name"] == "Compare"
    assert pages["/collaboration"]["name"] == "Collaboration"
    admin = _signed_in(app, session, "admin", None)
    assert "Carden Council" in str(route(admin, "/compare", "?year=2023"))
    assert "C Secret Supplies" in str(route(admin, "/collaboration", "?year=2023&top=50"))


def test_callbacks_over_http_use_the_signed_in_viewer(
    app: dash.Dash, seed: GroupSeed, session: Session
) -> None:
    client = _signed_in(app, session, "viewer", seed.a)
    compare = _post(
        client,
        {"id": ids.COMPARE_BODY, "property": "children"},
        [{"id": ids.COMPARE_YEAR, "property": "value", "value": 2023}],
    )
    assert "Bexley Council" in str(compare) and "Carden Council" not in str(compare)
    collab = _post(
        client,
        {"id": ids.COLLAB_BODY, "property": "children"},
        [
            {"id": ids.COLLAB_YEAR, "property": "value", "value": 2023},
            {"id": ids.COLLAB_TOP, "property": "value", "value": 50},
        ],
    )
    dump = str(collab)
    assert "Shared Coaches" in dump
    assert "C Secret Supplies" not in dump and seed.c.code not in dump
    assert comparison_data(viewer_of(seed.c.id), 2023).authorities[0].code in {
        seed.b.code,
        seed.c.code,
    }
