"""Upload a spend file (officers and admins)."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component
from flask import current_app

from dashboards.data.upload import editable_authorities
from dashboards.layouts.authority import forbidden
from dashboards.layouts.upload import TITLE, upload_layout
from dashboards.server.auth import current_viewer

dash.register_page(__name__, path="/upload", name="Upload", title=TITLE, order=1)  # type: ignore[no-untyped-call]


def layout(**_query: Any) -> Component:
    viewer = current_viewer()
    if viewer.role not in ("admin", "officer"):
        return forbidden("Uploading spend files needs an officer's or an admin's log-in.")
    settings = current_app.config["TRACKER_SETTINGS"]
    return upload_layout(editable_authorities(viewer), settings.max_upload_bytes // 2**20)
