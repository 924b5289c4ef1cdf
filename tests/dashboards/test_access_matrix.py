"""The access-control matrix over HTTP: every page and every callback of the running app
needs a log-in, and each role, on each authority's pages, gets back through the router and
the pages' data callbacks (posted as the browser would) nothing of an authority it may not
see — not even when it edits the authority code in a callback request itself."""

from __future__ import annotations

import json
from typing import Any

import dash
import pytest
from contract_factories import make_contract
from dash_seed_data import PASSWORD, SeedUsers
from factories import DashSeed
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from test_no_leaks import ALPHA_ONLY, BETA_ONLY
from web import login, post_callback, route

from bench.dash_client import component_props, initial_payloads, split_output
from tracker.services.reference import load_shipped_reference_data

PAGES = (
    "/", "/compare", "/collaboration", "/upload", "/review", "/signoff", "/factors", "/reports",
    "/suppliers",
    "/contracts",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _shipped_factors(session: Session) -> None:
    """The review page suggests categories from the shipped factor sets, as in production."""
    load_shipped_reference_data(session)


@pytest.fixture
def contracts(session: Session, dash_seed: DashSeed) -> tuple[int, int]:
    """A contract of each authority, named after a supplier only its users may see."""
    ids = []
    for authority, name in ((dash_seed.alpha, "Alpha Catering"),
                            (dash_seed.beta, "Beta Secret Supplies")):  # fmt: skip
        c = make_contract(session, authority_id=authority.id, supplier=name, title=f"{name} deal",
                          start=None, end=None, value=None)  # fmt: skip
        ids.append(c.id)
    return ids[0], ids[1]


@pytest.fixture
def pages(dash_seed: DashSeed, contracts: tuple[int, int]) -> list[str]:
    return [
        *PAGES,
        f"/authority/{dash_seed.alpha.code}",
        f"/authority/{dash_seed.beta.code}",
        *(f"/contracts/{cid}" for cid in contracts),
    ]


def _registered_paths(seed: DashSeed, contract_id: int) -> set[str]:
    templates = {
        str(page.get("path_template") or page["path"]) for page in dash.page_registry.values()
    }
    return {
        t.replace("<code>", seed.alpha.code).replace("<contract_id>", str(contract_id))
        for t in templates
        if t != "/404"
    }


def test_the_matrix_covers_every_registered_page(
    app: dash.Dash, dash_seed: DashSeed, contracts: tuple[int, int], pages: list[str]
) -> None:
    assert _registered_paths(dash_seed, contracts[0]) <= set(pages)


def test_every_page_and_callback_refuses_anonymous_users(
    app: dash.Dash, dash_seed: DashSeed, pages: list[str]
) -> None:
    client = app.server.test_client()
    for path in pages:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next=")
    client.get("/login")  # a session with a CSRF token, so only the log-in check is left
    assert app.callback_map, "no callbacks registered"
    for output, spec in app.callback_map.items():
        payload = {
            "output": output,
            "outputs": split_output(output),
            "inputs": [{**i, "value": None} for i in spec["inputs"]],
            "state": [{**s, "value": None} for s in spec["state"]],
            "changedPropIds": [],
        }
        response = post_callback(client, payload)
        assert response.status_code == 401, output


def _browse(client: FlaskClient, path: str) -> tuple[str, list[int]]:
    """Open ``path`` as the browser does: the page, the router, then the data callbacks.
    Returns everything received and the callbacks' status codes."""
    page = client.get(path)
    if page.status_code == 403:
        return page.get_data(as_text=True), [403]
    assert page.status_code == 200, path
    layout = route(client, path)
    received = [json.dumps(layout)]
    dependencies = client.get("/_dash-dependencies").get_json()
    statuses = []
    for payload in initial_payloads(dependencies, component_props(layout), interactions=True):
        response = post_callback(client, payload)
        statuses.append(response.status_code)
        received.append(response.get_data(as_text=True))
    return "\n".join(received), statuses


def _signed_in(app: dash.Dash, email: str) -> FlaskClient:
    client = app.server.test_client()
    assert login(client, email, PASSWORD).status_code == 302
    return client


@pytest.mark.parametrize("who", ["alpha_officer", "alpha_viewer"])
def test_alpha_users_receive_nothing_of_beta(
    app: dash.Dash, dash_seed: DashSeed, users: SeedUsers, who: str, pages: list[str]
) -> None:
    client = _signed_in(app, getattr(users, who).email)
    seen = []
    for path in pages:
        received, statuses = _browse(client, path)
        assert all(code in (200, 204, 403) for code in statuses), (path, statuses)
        seen.append(received)
    everything = "\n".join(seen)
    assert "Alpha Catering" in everything  # their own authority's pages did load
    for marker in (*BETA_ONLY, dash_seed.beta.name):
        assert marker not in everything, marker


def test_beta_officer_receives_nothing_of_alpha(
    app: dash.Dash, dash_seed: DashSeed, users: SeedUsers, pages: list[str]
) -> None:
    client = _signed_in(app, users.beta_officer.email)
    everything = "\n".join(_browse(client, path)[0] for path in pages)
    assert "Beta Secret Supplies" in everything
    for marker in (*ALPHA_ONLY, dash_seed.alpha.name):
        assert marker not in everything, marker


def test_admin_receives_both(
    app: dash.Dash, dash_seed: DashSeed, users: SeedUsers, pages: list[str]
) -> None:
    client = _signed_in(app, users.admin.email)
    everything = "\n".join(_browse(client, path)[0] for path in pages)
    for marker in (*ALPHA_ONLY, *BETA_ONLY):
        assert marker in everything, marker


def _retarget(value: Any, old: str, new: str) -> Any:
    return json.loads(json.dumps(value).replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1]))


@pytest.mark.parametrize("who", ["alpha_officer", "alpha_viewer"])
def test_callbacks_edited_to_name_beta_are_refused(
    app: dash.Dash, dash_seed: DashSeed, users: SeedUsers, who: str
) -> None:
    """The alpha authority page's data callbacks, with Alpha's code replaced by Beta's in
    every input and state, as a user could forge them: refused or empty, never Beta's data."""
    client = _signed_in(app, getattr(users, who).email)
    alpha, beta = dash_seed.alpha.code, dash_seed.beta.code
    layout = route(client, f"/authority/{alpha}")
    dependencies = client.get("/_dash-dependencies").get_json()
    forged = [
        {
            **p,
            "inputs": _retarget(p["inputs"], alpha, beta),
            "state": _retarget(p["state"], alpha, beta),
        }
        for p in initial_payloads(dependencies, component_props(layout), interactions=True)
    ]
    assert any(beta in json.dumps(p) for p in forged), "no callback carried the code"
    for payload in forged:
        response = post_callback(client, payload)
        assert response.status_code in (200, 204, 403)
        body = response.get_data(as_text=True)
        for marker in (*BETA_ONLY, dash_seed.beta.name):
            assert marker not in body, (payload["output"], marker)
