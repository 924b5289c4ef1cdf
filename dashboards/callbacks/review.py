"""Callbacks of the review page (and the authority → year pickers it shares with
/reports). Thin: the plain functions below take the viewer first and are unit-tested."""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.controls import find_choice, parse_year, year_options
from dashboards.data import review as review_data
from dashboards.data.access import visible_authorities
from dashboards.layouts.review import queue_table, rules_table
from dashboards.server import auth
from tracker.access import AccessDenied, Viewer
from tracker.errors import TrackerError


def years_for(viewer: Viewer, code: object) -> tuple[list[dict[str, Any]], int | None]:
    """Year options of an authority the viewer may see (none for any other code)."""
    options = year_options(find_choice(visible_authorities(viewer), code))
    return options, options[0]["value"] if options else None


def show_queue(viewer: Viewer, code: object, year: object, rank: object = "spend") -> Component:
    return queue_page(viewer, code, year, rank)[0]


def queue_page(
    viewer: Viewer, code: object, year: object, rank: object = "spend", page: object = 0
) -> tuple[Component, int, bool, bool]:
    """A page of the queue, the page actually shown (the last one if ``page`` is past the
    end), and whether the Previous and Next buttons are disabled."""
    fy = parse_year(year)
    if not isinstance(code, str) or fy is None:
        return html.P("Choose an authority and a year.", className="muted"), 0, True, True
    queue = review_data.review_queue(viewer, code, fy, rank, page)
    return queue_table(queue), queue.page, queue.page == 0, not queue.has_next


def turn_page(trigger: object, page: object) -> int:
    """The page to show after ``trigger``: one back or on for Previous and Next, the same
    after an accepted suggestion or a rule (the refresh), the first for a new authority,
    year or order."""
    current = page if isinstance(page, int) and not isinstance(page, bool) and page > 0 else 0
    if trigger == ids.REVIEW_PREV:
        return max(0, current - 1)
    if trigger == ids.REVIEW_NEXT:
        return current + 1
    if trigger == ids.REVIEW_REFRESH:
        return current
    return 0


def _message(ok: bool, text: str) -> Component:
    return html.P(text, className="form-ok" if ok else "form-error")


def accept(
    viewer: Viewer,
    code: object,
    year: object,
    index: object,
    rank: object = "spend",
    page: object = 0,
) -> Component:
    """Accept the suggestion of row ``index`` of queue page ``page`` (as the server
    computes the queue in the order ``rank``)."""
    fy = parse_year(year)
    if not isinstance(code, str) or fy is None or not isinstance(index, int):
        return _message(False, "Choose an authority and a year.")
    try:
        text = review_data.accept_suggestion(viewer, code, fy, index, rank, page)
    except AccessDenied:
        raise
    except TrackerError as exc:
        return _message(False, str(exc))
    return _message(True, text)


def show_rules(viewer: Viewer, code: object) -> Component:
    if not isinstance(code, str):
        return html.P("Choose an authority.", className="muted")
    return rules_table(*review_data.own_rules(viewer, code))


def remove_rule(viewer: Viewer, code: object, rule_id: object) -> Component:
    if not isinstance(code, str) or not isinstance(rule_id, str):
        return _message(False, "Choose an authority and a rule.")
    try:
        text = review_data.delete_rule(viewer, code, rule_id)
    except AccessDenied:
        raise
    except TrackerError as exc:
        return _message(False, str(exc))
    return _message(True, text)


def write_rule(
    viewer: Viewer,
    code: object,
    pattern: object,
    field: object,
    group: object,
    naics: object = None,
) -> Component:
    if not isinstance(code, str):
        return _message(False, "Choose an authority.")
    texts = [v for v in (pattern, field, group, naics) if v is None or isinstance(v, str)]
    if len(texts) != 4:  # a request edited to send a list or an object
        return _message(False, "The text, where to look and the category must each be text.")
    text_pattern, text_field, text_group, text_naics = texts
    try:
        text = review_data.add_rule(
            viewer, code, pattern=text_pattern or "", field=text_field or "",
            defra_group=text_group, naics=text_naics,
        )  # fmt: skip
    except AccessDenied:
        raise
    except TrackerError as exc:
        return _message(False, str(exc))
    return _message(True, text)


def register_review_callbacks(app: Dash) -> None:
    @app.callback(
        Output(ids.YEAR_PICKER, "options"),
        Output(ids.YEAR_PICKER, "value"),
        Input(ids.AUTHORITY_PICKER, "value"),
        prevent_initial_call=True,
    )
    def _on_authority(code: object) -> tuple[list[dict[str, Any]], int | None]:
        return auth.authorised(years_for)(code)

    @app.callback(
        Output(ids.REVIEW_QUEUE, "children"),
        Output(ids.REVIEW_PAGE, "data"),
        Output(ids.REVIEW_PREV, "disabled"),
        Output(ids.REVIEW_NEXT, "disabled"),
        Input(ids.AUTHORITY_PICKER, "value"),
        Input(ids.YEAR_PICKER, "value"),
        Input(ids.REVIEW_REFRESH, "data"),
        Input(ids.REVIEW_RANK, "value"),
        Input(ids.REVIEW_PREV, "n_clicks"),
        Input(ids.REVIEW_NEXT, "n_clicks"),
        State(ids.REVIEW_PAGE, "data"),
    )
    def _on_queue(
        code: object,
        year: object,
        _refresh: Any,
        rank: object,
        _prev: Any,
        _next: Any,
        page: object,
    ) -> tuple[Component, int, bool, bool]:
        wanted = turn_page(ctx.triggered_id, page)
        return auth.authorised(queue_page)(code, year, rank, wanted)

    @app.callback(
        Output(ids.REVIEW_RULES, "children"),
        Input(ids.AUTHORITY_PICKER, "value"),
        Input(ids.REVIEW_REFRESH, "data"),
    )
    def _on_rules(code: object, _refresh: Any) -> Component:
        return auth.authorised(show_rules)(code)

    @app.callback(
        Output(ids.REVIEW_STATUS, "children", allow_duplicate=True),
        Output(ids.REVIEW_REFRESH, "data", allow_duplicate=True),
        Input({"type": ids.RULE_DELETE, "index": ALL}, "n_clicks"),
        State(ids.AUTHORITY_PICKER, "value"),
        State(ids.REVIEW_REFRESH, "data"),
        prevent_initial_call=True,
    )
    def _on_delete(clicks: list[Any], code: object, refresh: int | None) -> tuple[Component, int]:
        trigger = ctx.triggered_id
        if not any(clicks) or not isinstance(trigger, dict):
            return html.Span(), refresh or 0
        message = auth.authorised(remove_rule)(code, trigger.get("index"))
        return message, (refresh or 0) + 1

    @app.callback(
        Output(ids.REVIEW_STATUS, "children"),
        Output(ids.REVIEW_REFRESH, "data"),
        Input({"type": ids.REVIEW_ACCEPT, "index": ALL}, "n_clicks"),
        State(ids.AUTHORITY_PICKER, "value"),
        State(ids.YEAR_PICKER, "value"),
        State(ids.REVIEW_REFRESH, "data"),
        State(ids.REVIEW_RANK, "value"),
        State(ids.REVIEW_PAGE, "data"),
        prevent_initial_call=True,
    )
    def _on_accept(
        clicks: list[Any],
        code: object,
        year: object,
        refresh: int | None,
        rank: object,
        page: object,
    ) -> tuple[Component, int]:
        trigger = ctx.triggered_id
        if not any(clicks) or not isinstance(trigger, dict):
            return html.Span(), refresh or 0
        message = auth.authorised(accept)(code, year, trigger.get("index"), rank, page)
        return message, (refresh or 0) + 1

    @app.callback(
        Output(ids.RULE_STATUS, "children"),
        Output(ids.REVIEW_REFRESH, "data", allow_duplicate=True),
        Input(ids.RULE_ADD, "n_clicks"),
        State(ids.AUTHORITY_PICKER, "value"),
        State(ids.RULE_PATTERN, "value"),
        State(ids.RULE_FIELD, "value"),
        State(ids.RULE_GROUP, "value"),
        State(ids.RULE_NAICS, "value"),
        State(ids.REVIEW_REFRESH, "data"),
        prevent_initial_call=True,
    )
    def _on_rule(
        _n: Any,
        code: object,
        pattern: object,
        field: object,
        group: object,
        naics: object,
        refresh: int | None,
    ) -> tuple[Component, int]:
        message = auth.authorised(write_rule)(code, pattern, field, group, naics)
        return message, (refresh or 0) + 1
