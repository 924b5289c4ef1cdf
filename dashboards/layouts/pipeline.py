"""The pipeline section of /collaboration: contracts ending soon that authorities could
renew together, ranked (``tracker.services.contracts.pipeline``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dash import html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components.cards import note, section
from dashboards.components.tables import value_table
from dashboards.format import money, tonnes
from tracker.domain.pipeline import Group
from tracker.services.contracts.pipeline import Pipeline

SUPPLIERS_SHOWN = 20
DESCRIPTION = (
    "Contracts of the authorities you can see that end between {lo} and {hi} months from "
    "today, grouped by what they buy. Where several authorities renew the same kind of "
    "contract, agreeing common carbon requirements, engaging the suppliers together or "
    "procuring jointly can start now. Value and emissions a year are the contract's value "
    "over its length and the average emissions of its category (an estimate, not the "
    "supplier's footprint). Other authorities appear only if they chose to share their "
    "figures."
)


def _month(day: dt.date) -> str:
    return day.strftime("%b %Y")


def _ends(group: Group) -> str:
    first, last = _month(group.first_end), _month(group.last_end)
    return first if first == last else f"{first} – {last}"


def _rows(groups: Sequence[Group], *, suppliers: bool) -> list[list[str]]:
    return [
        [
            g.name,
            ", ".join(g.authorities),
            *([", ".join(g.suppliers) or "–"] if suppliers else []),
            _ends(g),
            money(g.value_a_year, g.currency),
            tonnes(g.kg_a_year),
        ]
        for g in groups
    ]


TAIL = ["Contracts end", "Value a year", "Emissions a year"]


def pipeline_section(result: Pipeline) -> Component:
    description = DESCRIPTION.format(lo=result.from_months, hi=result.to_months)
    left_out = [note(result.left_out_text)] if result.left_out_text else []
    if not result.contracts:
        return section(
            "Contracts to renew together",
            html.P(
                "No contract of the authorities you can see ends in this window.",
                className="muted",
            ),
            *left_out,
            description=description,
        )
    joint = list(result.opportunities)
    parts: list[Component] = [*left_out]
    if joint:
        parts.append(
            html.Ol(
                className="pipeline-opportunities",
                children=[html.Li(o.sentence) for o in joint],
            )
        )
        parts.append(
            value_table(
                ["Category", "Authorities", "Suppliers", *TAIL],
                _rows([o.group for o in joint], suppliers=True),
                numeric=(4, 5),
                table_id=ids.COLLAB_PIPELINE_TABLE,
            )
        )
    else:
        parts.append(
            note(
                "No category is renewed by two or more of these authorities in the window; "
                "their contracts are listed by supplier below."
            )
        )
    suppliers = list(result.suppliers[:SUPPLIERS_SHOWN])
    parts.append(html.H3("By supplier"))
    parts.append(
        value_table(
            ["Supplier", "Authorities", *TAIL],
            _rows(suppliers, suppliers=False),
            numeric=(3, 4),
            table_id=ids.COLLAB_PIPELINE_SUPPLIERS,
        )
    )
    return section("Contracts to renew together", *parts, description=description)
