"""The Dash callbacks, one module per page. Each module's decorated callbacks are a few
lines that hand off to plain functions taking the signed-in viewer first (unit-tested
without Dash).

Callbacks are registered on the app (not with the global ``dash.callback``), so building
the app twice in one process never registers them twice.
"""

from __future__ import annotations

from dash import Dash

from dashboards.callbacks.authority import register_authority_callbacks
from dashboards.callbacks.collaboration import register_collaboration_callbacks
from dashboards.callbacks.compare import register_compare_callbacks
from dashboards.callbacks.contracts import register_contracts_callbacks
from dashboards.callbacks.paged import register_paged_callbacks
from dashboards.callbacks.reports import register_reports_callbacks
from dashboards.callbacks.review import register_review_callbacks
from dashboards.callbacks.signoff import register_signoff_callbacks
from dashboards.callbacks.suppliers import register_supplier_callbacks
from dashboards.callbacks.upload import register_upload_callbacks
from dashboards.callbacks.year_forms import register_year_form_callbacks


def register_callbacks(app: Dash) -> None:
    """Register every page's callbacks on ``app``."""
    register_contracts_callbacks(app)
    register_review_callbacks(app)
    register_signoff_callbacks(app)
    register_supplier_callbacks(app)
    register_upload_callbacks(app)
    register_reports_callbacks(app)
    register_authority_callbacks(app)
    register_year_form_callbacks(app)
    register_compare_callbacks(app)
    register_collaboration_callbacks(app)
    register_paged_callbacks(app)
