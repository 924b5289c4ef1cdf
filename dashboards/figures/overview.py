"""Emissions over time: the overview sparkline and the by-year bar chart."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import plotly.graph_objects as go

from dashboards.figures.theme import (
    BLUE,
    BLUE_TINT,
    VERMILLION,
    base_layout,
    empty_figure,
    tonnes_axis,
)
from dashboards.format import fy_label, to_tonnes

YearPoint = tuple[int, Decimal]  # (financial year, kgCO2e)


def trend_sparkline(points: Sequence[YearPoint], *, fy_start_month: int = 4) -> go.Figure:
    """A small line of tCO2e by year, without axes, for a card on the overview page."""
    if not points:
        return empty_figure("No inventory yet", height=64)
    years = [fy_label(year, fy_start_month) for year, _ in points]
    tonnes = [float(to_tonnes(kg)) for _, kg in points]
    fig = go.Figure(
        go.Scatter(
            x=years,
            y=tonnes,
            mode="lines+markers",
            line={"color": BLUE, "width": 2},
            fill="tozeroy",
            fillcolor=BLUE_TINT,
            cliponaxis=False,
            marker={"color": BLUE, "size": 6},
            hovertemplate="%{x}: %{y:,.0f} tCO2e<extra></extra>",
        )
    )
    fig.update_layout(
        **base_layout(height=64, margin={"l": 6, "r": 6, "t": 6, "b": 2}),
        xaxis={"visible": False, "type": "category"},
        yaxis={"visible": False, "rangemode": "tozero"},
    )
    return fig


def emissions_by_year(
    points: Sequence[YearPoint], *, fy_start_month: int = 4, selected_year: int | None = None
) -> go.Figure:
    """Bars of tCO2e per financial year; the selected year is drawn in a contrasting colour."""
    if not points:
        return empty_figure("No inventory has been calculated for this authority yet.")
    labels = [fy_label(year, fy_start_month) for year, _ in points]
    tonnes = [float(to_tonnes(kg)) for _, kg in points]
    colours = [VERMILLION if year == selected_year else BLUE for year, _ in points]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=tonnes,
            marker={"color": colours},
            text=[f"{t:,.0f}" for t in tonnes],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="Financial year %{x}<br>%{y:,.0f} tCO2e<extra></extra>",
        )
    )
    fig.update_layout(
        **base_layout(height=300, margin={"l": 8, "r": 16, "t": 40, "b": 8}),
        xaxis={"title": {"text": "Financial year"}, "type": "category"},
        yaxis=tonnes_axis(),
        bargap=0.35,
    )
    return fig
