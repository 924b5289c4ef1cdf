"""Issue 16 without a browser: every page each role may open, with what its data callbacks
return as the page loads, shows no raw code, no unformatted amount and no second year
format (the checker of tests/browser/page_text.py, on the text of the layouts and callback
outputs as Dash sends them: tests/dashboards/dash_tree.json_text). Every year picker is
labelled with financial-year labels only."""

from __future__ import annotations

import re
from typing import Any

import dash
import pytest
from dash_seed_data import PASSWORD, DashSeed, SeedUsers
from dash_tree import json_text
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from web import login, post_callback, route

from bench.dash_client import component_props, initial_payloads
from tests.browser.page_text import check_page
from tracker.domain.vocabulary import INDEX_NAMES
from tracker.services.reference import load_shipped_reference_data

PAGES = (
    "/", "/compare", "/collaboration", "/suppliers", "/contracts", "/review", "/signoff",
    "/factors", "/reports", "/no-such-page",
)  # fmt: skip
ROLES = {"admin": "admin", "officer": "alpha_officer", "viewer": "alpha_viewer"}


@pytest.fixture(autouse=True)
def _shipped_factors(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """The factors page lists the shipped factor sets, as in production; the seeded
    factor set's price index ("test-cpi", tests/factories.py) has a name, as
    every shipped index has in tracker.domain.vocabulary."""
    load_shipped_reference_data(session)
    monkeypatch.setitem(INDEX_NAMES, "test-cpi", "the test price index")


def _pages(role: str, seed: DashSeed) -> list[str]:
    pages = [*PAGES, f"/authority/{seed.alpha.code}", f"/authority/{seed.alpha.code}?year=2022"]
    if role != "viewer":
        pages.append("/upload")
    if role == "admin":
        pages.append(f"/authority/{seed.beta.code}")
    return pages


def _output_text(outputs: dict[str, Any]) -> str:
    """The text of one component's outputs (``{"children": …, "figure": …}``)."""
    shown = [outputs.get(k) for k in ("children", "figure", "placeholder", "label")]
    options = outputs.get("options")
    if isinstance(options, list):
        shown += [o.get("label") if isinstance(o, dict) else o for o in options]
    return json_text([s for s in shown if s is not None])


def _shown(client: FlaskClient, path: str) -> tuple[str, dict[str, dict[str, Any]]]:
    """The text of the page at ``path`` once its data callbacks have answered, and its
    components' props (as the router sent them)."""
    pathname, _, search = path.partition("?")
    assert client.get(pathname).status_code == 200, path
    layout = route(client, pathname, f"?{search}" if search else "")
    props = component_props(layout)
    texts = [_output_text(outputs) for outputs in layout.values()]
    dependencies = client.get("/_dash-dependencies").get_json()
    for payload in initial_payloads(dependencies, props):
        response = post_callback(client, payload)
        assert response.status_code in (200, 204), (path, payload["output"])
        if response.status_code == 200:
            texts += [_output_text(o) for o in response.get_json()["response"].values()]
    return "\n".join(texts), props


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_shows_words_formatted_amounts_and_one_year_format(
    app: dash.Dash, dash_seed: DashSeed, users: SeedUsers, role: str
) -> None:
    client = app.server.test_client()
    assert login(client, getattr(users, ROLES[role]).email, PASSWORD).status_code == 302
    problems = []
    for path in _pages(role, dash_seed):
        text, props = _shown(client, path)
        assert text.strip(), path
        try:
            check_page(text, page=path, role=role)
        except AssertionError as found:  # every page's problems, not only the first's
            problems.append(str(found))
        for component_id, p in props.items():
            if "year" in component_id and isinstance(p.get("options"), list):
                labels = [str(o["label"]) for o in p["options"]]
                # The seeded authorities' years start in April: each option names its year
                # as 2022/23 ("2022/23", "Apr-Jun 2024/25: 3 of 12 months ..."), never "2022".
                assert all(re.search(r"(?<!\d)\d{4}/\d{2}(?!\d)", lb) for lb in labels), (
                    path,
                    labels,
                )
    assert not problems, "\n".join(problems)
