"""Suppliers the authorities share, and categories bought at different kgCO2e per £."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from dashboards.figures.breakdown import unique_labels
from dashboards.figures.text import chart_text
from dashboards.figures.theme import BLUE, GREY, TEXT, empty_figure, figure, tonnes_axis
from dashboards.format import currency_symbol, to_tonnes
from tracker.domain.spread import CategorySpread
from tracker.services.collaboration import RankedSupplier


def _height(n: int) -> int:
    return 110 + 30 * max(n, 1)


def buyers_text(supplier: RankedSupplier) -> str:
    """``"3 authorities: AAA 1.8 t, BBB 0.6 t, CCC 0.4 t"`` for a hover label."""
    parts = ", ".join(f"{b.code} {float(to_tonnes(b.kgco2e)):,.1f} t" for b in supplier.buyers)
    n = supplier.authorities
    return f"{n} authorit{'y' if n == 1 else 'ies'}: {parts}"


def shared_suppliers_figure(suppliers: Sequence[RankedSupplier]) -> go.Figure:
    """Horizontal bars of combined tCO2e per supplier, labelled with how many authorities
    buy from it; the hover lists each authority's part."""
    if not suppliers:
        return empty_figure("No supplier is bought from by two or more of these authorities.")
    tonnes = [float(to_tonnes(s.kgco2e)) for s in suppliers]
    return figure(
        go.Bar(
            orientation="h",
            y=unique_labels([s.name for s in suppliers]),
            x=tonnes,
            marker={"color": BLUE},
            text=[f"{t:,.0f} t · {s.authorities}" for t, s in zip(tonnes, suppliers, strict=True)],
            textposition="outside",
            cliponaxis=False,
            customdata=[[chart_text(s.name), chart_text(buyers_text(s))] for s in suppliers],
            hovertemplate="%{customdata[0]}<br>%{x:,.1f} tCO2e<br>%{customdata[1]}<extra></extra>",
        ),
        height=_height(len(suppliers)),
        margin={"l": 8, "r": 90, "t": 36, "b": 8},
        xaxis=tonnes_axis(),
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        bargap=0.3,
    )


def spread_figure(spreads: Sequence[CategorySpread]) -> go.Figure:
    """One row per category: a grey line from the lowest to the highest kgCO2e per unit of
    spend, a dot per authority and a diamond at the pooled value."""
    if not spreads:
        return empty_figure("No category is bought at very different emissions per £.")
    labels = unique_labels([f"{s.name} ({currency_symbol(s.currency).strip()})" for s in spreads])
    line_x: list[float | None] = []
    line_y: list[str | None] = []
    dot_x: list[float] = []
    dot_y: list[str] = []
    dot_text: list[str] = []
    for label, s in zip(labels, spreads, strict=True):
        low, high = s.low.intensity, s.high.intensity
        line_x += [float(low or 0), float(high or 0), None]
        line_y += [label, label, None]
        for use in s.uses:
            dot_x.append(float(use.intensity or 0))
            dot_y.append(label)
            dot_text.append(chart_text(use.authority))
    return figure(
        [
            go.Scatter(
                x=line_x,
                y=line_y,
                mode="lines",
                line={"color": GREY, "width": 3},
                hoverinfo="skip",
                name="Range",
            ),
            go.Scatter(
                x=dot_x,
                y=dot_y,
                mode="markers",
                marker={"color": BLUE, "size": 10, "line": {"color": "#FFFFFF", "width": 1}},
                text=dot_text,
                hovertemplate="%{text}: %{x:.3f} kgCO2e per unit<extra></extra>",
                name="Authority",
            ),
            go.Scatter(
                x=[float(s.pooled_intensity) for s in spreads],
                y=labels,
                mode="markers",
                marker={"color": TEXT, "size": 11, "symbol": "diamond"},
                hovertemplate="All of them: %{x:.3f} kgCO2e per unit<extra></extra>",
                name="All of them (Σ/Σ)",
            ),
        ],
        height=_height(len(spreads)) + 40,
        margin={"l": 8, "r": 16, "t": 8, "b": 8},
        showlegend=True,
        legend={"orientation": "h", "y": -0.2},
        xaxis={
            "title": {"text": "kgCO2e per unit of spend"},
            "rangemode": "tozero",
            "gridcolor": "#E3E6EA",
        },
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
    )
