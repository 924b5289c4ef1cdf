"""Callbacks of the contracts page: stage and preview a file, import it, page the list.
Thin wrappers over the plain functions here and in ``dashboards.data.contract_import``."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, no_update
from dash.development.base_component import Component

from dashboards import ids
from dashboards.callbacks.upload import all_text, app_settings, form_error
from dashboards.data import contract_import as contract_import_data
from dashboards.data import upload as upload_data
from dashboards.layouts.contracts import contract_table, import_message, preview_panel
from dashboards.server import auth
from tracker.access import AccessDenied, Viewer
from tracker.config import Settings
from tracker.errors import TrackerError


def receive(
    viewer: Viewer, code: object, file_name: object, contents: object, settings: Settings
) -> tuple[str | None, list[Component]]:
    """Keep the uploaded file and preview its import for ``code``: (token, panel)."""
    if not code or not contents or not file_name or not all_text(code, file_name, contents):
        return None, form_error("Choose an authority and a file.")
    assert isinstance(code, str) and isinstance(file_name, str) and isinstance(contents, str)
    token = None
    try:
        token = upload_data.stage_upload(viewer, code, file_name, contents, settings)
        result = contract_import_data.preview_contracts(viewer, code, token, settings)
    except AccessDenied:
        raise
    except TrackerError as exc:
        if token is not None:
            upload_data.discard_upload(viewer, token, settings)
        return None, form_error(str(exc))
    return token, preview_panel(result, code)


def confirm(
    viewer: Viewer, code: object, token: object, buyers: object, settings: Settings
) -> tuple[list[Component], bool]:
    """Import the staged file: (the message, whether anything was stored)."""
    if not code or not token or not all_text(code, token):
        return form_error("Upload a file first."), False
    assert isinstance(code, str) and isinstance(token, str)
    names = [b for b in buyers if isinstance(b, str)] if isinstance(buyers, list) else []
    try:
        result = contract_import_data.import_contracts(viewer, code, token, names, settings)
    except AccessDenied:
        raise
    except TrackerError as exc:
        return form_error(str(exc)), False
    return import_message(result), True


def show_page(
    viewer: Viewer, code: object, page: object
) -> tuple[list[Component], int, bool, bool]:
    """The list's page: (table, page shown, Previous disabled, Next disabled)."""
    if not code or not isinstance(code, str):
        return [], 1, True, True
    number = page if isinstance(page, int) else 1
    found = contract_import_data.contract_page(viewer, code, number)
    return contract_table(found), found.page, found.page <= 1, found.page >= found.pages


def register_contracts_callbacks(app: Dash) -> None:
    @app.callback(
        Output(ids.CONTRACTS_TOKEN, "data"),
        Output(ids.CONTRACTS_PREVIEW, "children"),
        Output(ids.CONTRACTS_RESULT, "children"),
        Input(ids.CONTRACTS_UPLOAD, "contents"),
        State(ids.CONTRACTS_UPLOAD, "filename"),
        State(ids.CONTRACTS_AUTHORITY, "value"),
        prevent_initial_call=True,
    )
    def _on_upload(
        contents: Any, file_name: Any, code: Any
    ) -> tuple[str | None, list[Component], list[Component]]:
        token, panel = auth.authorised(receive)(code, file_name, contents, app_settings())
        return token, panel, []

    @app.callback(
        Output(ids.CONTRACTS_RESULT, "children", allow_duplicate=True),
        Output(ids.CONTRACTS_TOKEN, "data", allow_duplicate=True),
        Output(ids.CONTRACTS_PREVIEW, "children", allow_duplicate=True),
        Output(ids.CONTRACTS_VERSION, "data"),
        Input(ids.CONTRACTS_CONFIRM, "n_clicks"),
        State(ids.CONTRACTS_AUTHORITY, "value"),
        State(ids.CONTRACTS_TOKEN, "data"),
        State(ids.CONTRACTS_BUYERS, "value"),
        State(ids.CONTRACTS_VERSION, "data"),
        prevent_initial_call=True,
    )
    def _on_confirm(
        n: Any, code: Any, token: Any, buyers: Any, version: Any
    ) -> tuple[Any, Any, Any, Any]:
        if not n:
            return no_update, no_update, no_update, no_update
        message, stored = auth.authorised(confirm)(code, token, buyers, app_settings())
        if not stored:
            return message, no_update, no_update, no_update
        return message, None, [], (version if isinstance(version, int) else 0) + 1

    @app.callback(
        Output(ids.CONTRACTS_LIST, "children"),
        Output(ids.CONTRACTS_PAGE, "data"),
        Output(ids.CONTRACTS_PREV, "disabled"),
        Output(ids.CONTRACTS_NEXT, "disabled"),
        Input(ids.CONTRACTS_AUTHORITY, "value"),
        Input(ids.CONTRACTS_PREV, "n_clicks"),
        Input(ids.CONTRACTS_NEXT, "n_clicks"),
        Input(ids.CONTRACTS_VERSION, "data"),
        State(ids.CONTRACTS_PAGE, "data"),
    )
    def _on_list(
        code: Any, _prev: Any, _next: Any, _version: Any, page: Any
    ) -> tuple[list[Component], int, bool, bool]:
        number = page if isinstance(page, int) else 1
        if ctx.triggered_id == ids.CONTRACTS_PREV:
            number -= 1
        elif ctx.triggered_id == ids.CONTRACTS_NEXT:
            number += 1
        else:
            number = 1  # another authority, or a fresh import: from the start
        return auth.authorised(show_page)(code, number)
