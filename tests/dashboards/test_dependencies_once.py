"""/_dash-dependencies is serialised once per app (dashboards.server.dependencies): the
same body as Dash's own, still behind the log-in, and not worked out again."""

from __future__ import annotations

import dash
import pytest
from dash._utils import to_json
from dash_seed_data import PASSWORD, SeedUsers
from web import login

from dashboards.server import dependencies


def test_the_kept_answer_is_dashs_and_is_made_once(
    app: dash.Dash, users: SeedUsers, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = app.server.test_client()
    assert client.get("/_dash-dependencies").status_code == 401  # the guard runs first
    login(client, users.alpha_viewer.email, PASSWORD)
    first = client.get("/_dash-dependencies")
    assert first.status_code == 200 and first.content_type == "application/json"
    assert first.get_data() == to_json(app._callback_list).encode()
    assert any(d["output"].startswith("..") for d in first.get_json())  # the page router too

    def fail(_: object) -> str:
        raise AssertionError("serialised again")

    monkeypatch.setattr(dependencies, "to_json", fail)
    again = client.get("/_dash-dependencies")
    assert again.get_data() == first.get_data()
    assert again.headers["X-Frame-Options"] == "DENY"  # the site's headers still apply
