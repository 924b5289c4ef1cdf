"""Emissions over time: the overview sparkline and the by-year bar chart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import plotly.graph_objects as go

from dashboards.figures.theme import (
    BLUE,
    BLUE_TINT,
    VERMILLION,
    empty_figure,
    figure,
    tonnes_axis,
)
from dashboards.format import fy_label, to_tonnes

YearPoint = tuple[int, Decimal]  # (financial year, kgCO2e)
PART_YEAR_OPACITY = 0.45  # a part year's bar is lighter (and hatched) than a full year's


def trend_sparkline(
    points: Sequence[YearPoint],
    *,
    fy_start_month: int = 4,
    part_years: Mapping[int, str] = MappingProxyType({}),
) -> go.Figure:
    """A small line of tCO2e by year, without axes, for a card on the overview page; a
    part year's point is hollow, with "part year (3 of 12 months)" in its hover. Built
    without Plotly's checks (``figure(validate=False)``): the overview draws one a card."""
    if not points:
        return empty_figure("No inventory yet", height=64)
    years = tuple(fy_label(year, fy_start_month) for year, _ in points)
    tonnes = tuple(float(to_tonnes(kg)) for _, kg in points)
    notes = [part_years.get(year, "") for year, _ in points]
    return figure(
        go.Scatter(
            x=years,
            y=tonnes,
            mode="lines+markers",
            line={"color": BLUE, "width": 2},
            fill="tozeroy",
            fillcolor=BLUE_TINT,
            cliponaxis=False,
            marker={
                "color": BLUE,
                "size": 6,
                "symbol": tuple("circle-open" if note else "circle" for note in notes),
            },
            customdata=tuple(f" ({note})" if note else "" for note in notes),
            hovertemplate="%{x}: %{y:,.0f} tCO2e%{customdata}<extra></extra>",
            _validate=False,
        ),
        validate=False,
        height=64,
        margin={"l": 6, "r": 6, "t": 6, "b": 2},
        xaxis={"visible": False, "type": "category"},
        yaxis={"visible": False, "rangemode": "tozero"},
    )


def emissions_by_year(
    points: Sequence[YearPoint],
    *,
    fy_start_month: int = 4,
    selected_year: int | None = None,
    ranges: Sequence[tuple[int, Decimal, Decimal]] = (),
    pathway: Sequence[YearPoint] = (),
    part_years: Mapping[int, str] = MappingProxyType({}),
) -> go.Figure:
    """Bars of tCO2e per financial year (the selected year in a contrasting colour), with
    each year's 95 % range as error bars and the target pathway as a line when given.

    A part year (``part_years``: year → "part year (3 of 12 months)") is drawn hatched and
    lighter, labelled "part year" on the bar and in its hover, so that it does not read as
    a full year beside complete ones.

    Built without Plotly's checks (``figure(validate=False)``): every authority page draws
    it."""
    if not points:
        return empty_figure("No inventory has been calculated for this authority yet.")
    labels = tuple(fy_label(year, fy_start_month) for year, _ in points)
    tonnes = tuple(float(to_tonnes(kg)) for _, kg in points)
    colours = tuple(VERMILLION if year == selected_year else BLUE for year, _ in points)
    notes = [part_years.get(year, "") for year, _ in points]
    texts = tuple(
        f"{t:,.0f}" + (" (part year)" if note else "")
        for t, note in zip(tonnes, notes, strict=True)
    )
    bounds = {year: (low, high) for year, low, high in ranges}
    bar: dict[str, Any] = {}
    if bounds:
        above = tuple(float(to_tonnes(bounds[y][1] - kg)) if y in bounds else 0 for y, kg in points)
        below = tuple(float(to_tonnes(kg - bounds[y][0])) if y in bounds else 0 for y, kg in points)
        bar["error_y"] = {"type": "data", "array": above, "arrayminus": below, "color": "#333333"}
    traces = [
        go.Bar(
            x=labels,
            y=tonnes,
            name="Inventory",
            marker={
                "color": colours,
                "opacity": tuple(PART_YEAR_OPACITY if note else 1.0 for note in notes),
                "pattern": {"shape": tuple("/" if note else "" for note in notes)},
            },
            text=texts,
            textposition="outside",
            cliponaxis=False,
            customdata=tuple(f"<br>{note}" if note else "" for note in notes),
            hovertemplate="Financial year %{x}<br>%{y:,.0f} tCO2e%{customdata}<extra></extra>",
            _validate=False,
            **bar,
        )
    ]
    if pathway:
        traces.append(
            go.Scatter(
                x=tuple(fy_label(year, fy_start_month) for year, _ in pathway),
                y=tuple(float(to_tonnes(kg)) for _, kg in pathway),
                name="Target pathway",
                mode="lines",
                line={"color": "#009E73", "dash": "dash", "width": 2},
                hovertemplate="Pathway %{x}<br>%{y:,.0f} tCO2e<extra></extra>",
                _validate=False,
            )
        )
    return figure(
        traces,
        validate=False,
        height=300,
        margin={"l": 8, "r": 16, "t": 40, "b": 8},
        xaxis={"title": {"text": "Financial year"}, "type": "category"},
        yaxis=tonnes_axis(),
        bargap=0.35,
    )
