"""Callbacks of the upload page: stage and preview, re-check with a corrected mapping,
confirm. Thin wrappers over the plain functions here and in ``dashboards.data.upload``."""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component
from flask import current_app

from dashboards import ids
from dashboards.data import upload as upload_data
from dashboards.format import fy_label
from dashboards.layouts.upload import ORGANISATION_CONFIRMED, preview_panel
from dashboards.server import auth
from tracker.access import AccessDenied, Viewer
from tracker.config import Settings
from tracker.errors import TrackerError
from tracker.importers import ImportFileError


def app_settings() -> Settings:
    settings: Settings = current_app.config["TRACKER_SETTINGS"]
    return settings


def form_error(text: str) -> list[Component]:
    return [html.P(text, className="form-error", role="alert")]


def all_text(*values: object) -> bool:
    """Whether every value is text (a request edited to send a list or an object is not)."""
    return all(isinstance(v, str) for v in values)


def mapping_from(values: list[Any], id_list: list[dict[str, Any]]) -> dict[str, str]:
    """The field → header mapping from the mapping dropdowns (unset fields left out)."""
    return {
        i["field"]: v for i, v in zip(id_list, values, strict=False) if isinstance(v, str) and v
    }


def receive(
    viewer: Viewer,
    code: str | None,
    file_name: str | None,
    contents: str | None,
    settings: Settings,
) -> tuple[str | None, list[Component]]:
    """Keep the uploaded file and preview it: (token, preview panel)."""
    if not code:
        return None, form_error("Choose the authority the file belongs to, then upload it again.")
    if not contents or not file_name or not all_text(code, file_name, contents):
        return None, form_error("Choose an authority and a file.")
    token = None
    try:
        token = upload_data.stage_upload(viewer, code, file_name, contents, settings)
        result = upload_data.preview_upload(viewer, code, token, None, settings)
    except AccessDenied:
        raise
    except (TrackerError, ImportFileError) as exc:
        if token is not None:  # refused: nothing to confirm, so nothing is kept
            upload_data.discard_upload(viewer, token, settings)
        return None, form_error(str(exc))
    return token, preview_panel(result)


def recheck(
    viewer: Viewer,
    code: str | None,
    token: str | None,
    mapping: dict[str, str],
    settings: Settings,
) -> list[Component]:
    if not code or not token or not all_text(code, token):
        return form_error("Upload a file first.")
    try:
        return preview_panel(upload_data.preview_upload(viewer, code, token, mapping, settings))
    except AccessDenied:
        raise
    except (TrackerError, ImportFileError) as exc:
        return form_error(str(exc))


def confirm(
    viewer: Viewer,
    code: str | None,
    token: str | None,
    mapping: dict[str, str],
    overlap: str | None,
    settings: Settings,
    organisation: object = None,
) -> list[Component]:
    """The message of :func:`confirm_import` alone."""
    return confirm_import(viewer, code, token, mapping, overlap, settings, organisation)[0]


def confirm_import(
    viewer: Viewer,
    code: str | None,
    token: str | None,
    mapping: dict[str, str],
    overlap: str | None,
    settings: Settings,
    organisation: object = None,
    imported: object = None,
) -> tuple[list[Component], str | None]:
    """Import the staged file: (the message, a note of what was stored when it worked).

    ``organisation`` is the confirm box's value (a list holding ``ORGANISATION_CONFIRMED``
    when the officer confirmed a file naming another body). ``imported`` is the note of the
    import this page last confirmed: a second click on "Import" (the staged file is gone by
    then) is answered with it, not with "Upload a file first".
    """
    if not token and isinstance(imported, str) and imported:
        return already_imported(imported), None
    if not code or not token or not all_text(code, token) or not all_text(overlap or ""):
        return form_error("Upload a file first."), None
    try:
        result = upload_data.confirm_upload(
            viewer,
            code,
            token,
            mapping,
            settings,
            overlap,
            confirm_organisation=isinstance(organisation, list)
            and ORGANISATION_CONFIRMED in organisation,
        )
    except AccessDenied:
        raise
    except (TrackerError, ImportFileError) as exc:
        return form_error(str(exc)), None
    computed = [y for y in result.financial_years if y not in result.not_computed]
    years = ", ".join(fy_label(y, result.fy_start_month) for y in computed)
    stored = f"{result.file_name} was imported as batch {result.batch_id}"
    return [
        html.P(
            f"Imported {result.rows_imported:,} rows from {result.file_name} as batch "
            f"{result.batch_id}" + (f"; inventories recalculated for {years}." if years else "."),
            className="form-ok",
        ),
        # a year that could not be computed, with what to load (as tracker import says)
        *[html.P(note, className="form-error") for note in result.not_computed.values()],
        dcc.Link("See the inventory", href=f"/authority/{code}", className="button-link"),
    ], stored


def already_imported(stored: str) -> list[Component]:
    return [
        html.P(
            f"{stored} and is not imported again. To add more spend, upload another file.",
            className="form-ok",
            role="status",
        )
    ]


def register_upload_callbacks(app: Dash) -> None:
    @app.callback(
        Output(ids.UPLOAD_TOKEN, "data"),
        Output(ids.UPLOAD_PREVIEW, "children"),
        Output(ids.UPLOAD_RESULT, "children"),
        Output(ids.UPLOAD_IMPORTED, "data"),
        Input(ids.UPLOAD, "contents"),
        State(ids.UPLOAD, "filename"),
        State(ids.UPLOAD_AUTHORITY, "value"),
        prevent_initial_call=True,
    )
    def _on_upload(
        contents: str | None, file_name: str | None, code: str | None
    ) -> tuple[str | None, list[Component], list[Component], None]:
        token, panel = auth.authorised(receive)(code, file_name, contents, app_settings())
        return token, panel, [], None

    @app.callback(
        Output(ids.UPLOAD_PREVIEW, "children", allow_duplicate=True),
        Input(ids.UPLOAD_CHECK, "n_clicks"),
        State({"type": ids.UPLOAD_MAPPING, "field": ALL}, "value"),
        State(ids.UPLOAD_AUTHORITY, "value"),
        State(ids.UPLOAD_TOKEN, "data"),
        prevent_initial_call=True,
    )
    def _on_check(
        n: Any, values: list[Any], code: str | None, token: str | None
    ) -> list[Component] | Any:
        if not n:
            return no_update
        mapping = mapping_from(values, [s["id"] for s in ctx.states_list[0]])
        return auth.authorised(recheck)(code, token, mapping, app_settings())

    @app.callback(
        Output(ids.UPLOAD_RESULT, "children", allow_duplicate=True),
        Output(ids.UPLOAD_TOKEN, "data", allow_duplicate=True),
        Output(ids.UPLOAD_IMPORTED, "data", allow_duplicate=True),
        Input(ids.UPLOAD_CONFIRM, "n_clicks"),
        State({"type": ids.UPLOAD_MAPPING, "field": ALL}, "value"),
        State(ids.UPLOAD_OVERLAP, "value"),
        State(ids.UPLOAD_AUTHORITY, "value"),
        State(ids.UPLOAD_TOKEN, "data"),
        State(ids.UPLOAD_ORGANISATION, "value"),
        State(ids.UPLOAD_IMPORTED, "data"),
        prevent_initial_call=True,
    )
    def _on_confirm(
        n: Any,
        values: list[Any],
        overlap: str | None,
        code: str | None,
        token: str | None,
        organisation: Any,
        imported: Any,
    ) -> tuple[list[Component], Any, Any]:
        if not n:
            return [], no_update, no_update
        mapping = mapping_from(values, [s["id"] for s in ctx.states_list[0]])
        message, stored = auth.authorised(confirm_import)(
            code, token, mapping, overlap, app_settings(), organisation, imported
        )
        return message, None, stored if stored else no_update
