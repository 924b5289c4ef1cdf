"""Factor sets, their editions and provenance (public reference data)."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component

from dashboards.data.factors import factor_editions
from dashboards.layouts.factors import TITLE, factors_layout
from dashboards.server.auth import current_viewer

dash.register_page(__name__, path="/factors", name="Factors", title=TITLE, order=3)  # type: ignore[no-untyped-call]


def layout(**_query: Any) -> Component:
    current_viewer()  # signed in (reference data is the same for every role)
    return factors_layout(factor_editions())
