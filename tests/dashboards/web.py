"""Signing in and posting Dash callbacks through Flask's test client, as a browser would:
with the CSRF token from the log-in form, the ``X-CSRFToken`` header copied from the
``_csrf_token`` cookie, and an ``Origin`` header naming the site."""

from __future__ import annotations

import re
from typing import Any

import dash
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from bench.dash_client import router_payload, split_output

ORIGIN = "http://localhost"


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str) -> TestResponse:
    token = form_token(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        headers={"Origin": ORIGIN},
    )


def csrf_header(client: FlaskClient) -> dict[str, str]:
    cookie = client.get_cookie("_csrf_token")
    return {"X-CSRFToken": cookie.value if cookie else "", "Origin": ORIGIN}


def post_callback(
    client: FlaskClient, payload: dict[str, Any], headers: dict[str, str] | None = None
) -> TestResponse:
    return client.post(
        "/_dash-update-component",
        json=payload,
        headers=csrf_header(client) if headers is None else headers,
    )


def route(client: FlaskClient, pathname: str, search: str = "") -> dict[str, Any]:
    """What Dash's page router returns for ``pathname`` to the signed-in client."""
    response = post_callback(client, router_payload(pathname, search))
    assert response.status_code == 200, response.get_data(as_text=True)
    result: dict[str, Any] = response.get_json()["response"]
    return result


def trigger_payload(app: dash.Dash, trigger: dict[str, Any], state: list[Any]) -> dict[str, Any]:
    """The request Dash's renderer sends when ``trigger`` (an input with its id, property
    and value) fires the callback it belongs to, with ``state`` in the callback's order."""
    for output, spec in app.callback_map.items():
        if any(i["id"] == trigger["id"] for i in spec["inputs"]):
            return {
                "output": output,
                "outputs": split_output(output),
                "inputs": [trigger],
                "state": state,
                "changedPropIds": [f"{trigger['id']}.{trigger['property']}"],
            }
    raise AssertionError(f"no callback is fired by {trigger['id']}")
