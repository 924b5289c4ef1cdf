"""/suppliers over HTTP as the browser opens it: the search form's ``?q=`` and a
supplier's ``?id=`` reach the page, scoped by who is signed in (dash_seed: Beta does not
share, so its payee "Beta Secret Supplies" is never sent to Alpha's users)."""

from __future__ import annotations

import json

import dash
from dash_seed_data import PASSWORD, SeedUsers
from factories import DashSeed
from sqlalchemy import select
from sqlalchemy.orm import Session
from web import login, route

from tracker.models import Supplier


def _page(app: dash.Dash, email: str, search: str) -> str:
    client = app.server.test_client()
    assert login(client, email, PASSWORD).status_code == 302
    assert client.get(f"/suppliers{search}").status_code == 200
    return json.dumps(route(client, "/suppliers", search))


def test_search_and_detail_over_http(
    app: dash.Dash, dash_seed: DashSeed, users: SeedUsers, session: Session
) -> None:
    secret = session.scalar(select(Supplier.id).where(Supplier.name == "Beta Secret Supplies"))
    coaches = session.scalar(select(Supplier.id).where(Supplier.name == "Shared Coaches Ltd"))
    officer = _page(app, users.alpha_officer.email, "?q=shared+coaches")
    assert "Shared Coaches Ltd" in officer and f"/suppliers?id={coaches}" in officer
    assert "Beta Secret Supplies" not in _page(app, users.alpha_officer.email, "?q=secret")
    assert "No such supplier" in _page(app, users.alpha_officer.email, f"?id={secret}")
    assert "Beta Secret Supplies" in _page(app, users.admin.email, "?q=secret")
    detail = _page(app, users.admin.email, f"?id={coaches}")
    assert "Bought by the authorities you can see" in detail and "Beta District Council" in detail
    assert "Doubtful merges to review" in detail  # the admin's review
    assert "Doubtful merges" not in officer
