"""The sign-off review: the groups making 80 % of a year's tonnes, to confirm."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component

from dashboards.data.access import visible_authorities
from dashboards.layouts.signoff import TITLE, signoff_layout
from dashboards.server.auth import current_viewer

dash.register_page(__name__, path="/signoff", name="Sign-off", title=TITLE, order=3)  # type: ignore[no-untyped-call]


def layout(**_query: Any) -> Component:
    return signoff_layout(visible_authorities(current_viewer()))
