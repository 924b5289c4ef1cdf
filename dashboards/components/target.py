"""The target, its status and the sentence that explains it, as the overview and the
authority page show them (one source: ``tracker.services.progress``)."""

from __future__ import annotations

from dash import html
from dash.development.base_component import Component

from dashboards.data.targets import TargetStatus
from tracker.domain.status import status_meaning

# Each status has its own colour, and its name is always written out (never colour alone).
STATUS_CLASS = {"on track": "status--on", "at risk": "status--risk", "off track": "status--off"}
NO_TARGET = "No target set"


def status_badge(target: TargetStatus | None) -> Component:
    """ "Off track for the 2030/31 target", "No target set" or "No status yet"."""
    if target is None:
        return html.Span(NO_TARGET, className="status status--none")
    if target.status is None:
        return html.Span("No status yet", className="status status--none")
    return html.Span(
        f"{target.status.capitalize()} for the {target.target_year_label} target",
        className=f"status {STATUS_CLASS.get(target.status, 'status--none')}",
    )


def status_explained(target: TargetStatus | None) -> list[Component]:
    """The badge, the sentence and, if the baseline years' figures changed, the notice."""
    parts: list[Component] = [status_badge(target)]
    if target is None:
        return parts
    parts.append(html.P(target.sentence or target.no_status_reason, className="status__why"))
    if target.baseline_notice:
        parts.append(html.P(target.baseline_notice, className="notice", role="note"))
    return parts


def status_key() -> Component:
    """What the three statuses mean, in words, for every page that shows one."""
    return html.P(f"What the statuses mean. {status_meaning()}", className="note")


def target_panel(target: TargetStatus | None) -> Component:
    """The authority page's target block: the target stated, its status and why."""
    if target is None:
        return html.Div(
            [status_badge(None), html.P("An officer or admin sets one with `tracker target set`.")]
        )
    return html.Div(
        [
            html.P(["Target: ", target.statement, "."], className="target__statement"),
            *status_explained(target),
            status_key(),
        ]
    )
