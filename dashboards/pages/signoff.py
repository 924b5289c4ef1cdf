"""The sign-off review: the groups making 80 % of a year's tonnes, to confirm."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component

from dashboards import data
from dashboards.auth import current_viewer
from dashboards.layouts.signoff import TITLE, signoff_layout

dash.register_page(__name__, path="/signoff", name="Sign-off", title=TITLE, order=3)  # type: ignore[no-untyped-call]


def layout(**_query: Any) -> Component:
    return signoff_layout(data.visible_authorities(current_viewer()))
