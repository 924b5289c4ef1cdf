"""Contracts: upload (officers and admins) and the authority's contracts (everyone who
may see the authority; viewers read only)."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component
from flask import current_app

from dashboards.data.contract_import import visible_authorities
from dashboards.layouts.contracts import TITLE, contracts_layout
from dashboards.server.auth import current_viewer

dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path="/contracts", name="Contracts", title=TITLE, order=2
)


def layout(**_query: Any) -> Component:
    settings = current_app.config["TRACKER_SETTINGS"]
    return contracts_layout(
        visible_authorities(current_viewer()), settings.max_upload_bytes // 2**20
    )
