"""Suppliers shared by every authority: search, detail, KPIs and the merge review."""

from __future__ import annotations

from typing import Any

import dash
from dash.development.base_component import Component

from dashboards.data import suppliers as suppliers_data
from dashboards.layouts.suppliers import TITLE, suppliers_layout
from dashboards.server.auth import current_viewer

dash.register_page(__name__, path="/suppliers", name="Suppliers", title=TITLE, order=2)  # type: ignore[no-untyped-call]


def layout(q: str = "", id: str = "", **_query: Any) -> Component:
    viewer = current_viewer()
    supplier_id = int(id) if str(id).isdigit() else None
    query = str(q or "")[:200]
    return suppliers_layout(
        kpi_rows=suppliers_data.kpis(viewer),
        contracts=suppliers_data.unplanned(viewer),
        not_assessed=suppliers_data.not_assessed(viewer),
        query=query,
        results=suppliers_data.search(viewer, query) if query else [],
        detail=suppliers_data.detail(viewer, supplier_id) if supplier_id else None,
        show_detail=supplier_id is not None or bool(id),
        merges=suppliers_data.pending(viewer) if viewer.is_admin else None,
    )
