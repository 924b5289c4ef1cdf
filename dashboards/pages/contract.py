"""One contract: spend and emissions to date, and the estimate for what is left."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component

from dashboards.layouts.contract_detail import contract_detail_layout
from dashboards.server.auth import current_viewer

dash.register_page(  # type: ignore[no-untyped-call]
    __name__, path_template="/contracts/<contract_id>", title="Contract", name="Contract"
)


def layout(contract_id: str | None = None, **_query: Any) -> Component:
    return contract_detail_layout(current_viewer(), contract_id)
