"""Authorities side by side: intensities against the pooled group figure, category mix."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go

from dashboards.figures.breakdown import unique_labels
from dashboards.figures.text import chart_text
from dashboards.figures.theme import BLUE, GREY, SERIES, TEXT, empty_figure, figure
from tracker.domain.benchmark import MixShare

OTHER_GROUPS = "Other groups"
TOP_GROUPS = len(SERIES)


def _height(n: int) -> int:
    return 110 + 30 * max(n, 1)


def ratio_bars(
    items: Sequence[tuple[str, Decimal | None]],
    *,
    group: Decimal | None,
    axis_title: str,
    flagged: Sequence[str] = (),
    places: int = 3,
    unit: str = "",
) -> go.Figure:
    """Horizontal bars of one ratio per authority (largest first), the pooled group figure
    as a dashed line, and hatching on the authorities named in ``flagged`` (figures not
    like for like), so the cue does not depend on colour. Each figure is written with its
    ``unit`` (``0.214 kgCO2e/£``), as dashboards.format.intensity writes it.

    Built without Plotly's checks (``figure(validate=False)``): a chart of 400 authorities
    is drawn on a first visit to /compare."""
    shown = sorted(((n, v) for n, v in items if v is not None), key=lambda i: (-i[1], i[0]))
    if not shown:
        return empty_figure("No authority has this figure for the year.")
    names = [n for n, _ in shown]
    values = tuple(float(v) for _, v in shown)
    fmt = f",.{places}f"
    suffix = f" {unit}" if unit else ""
    group_line: dict[str, Any] = {}
    if group is not None:
        group_line = _group_line(float(group), f"Group {float(group):{fmt}}{suffix}")
    return figure(
        go.Bar(
            orientation="h",
            y=tuple(unique_labels(names)),
            x=values,
            marker={
                "color": BLUE,
                "pattern": {
                    "shape": tuple("/" if n in flagged else "" for n in names),
                    "fgcolor": "#FFFFFF",
                },
            },
            text=tuple(f"{v:{fmt}}{suffix}" for v in values),
            textposition="outside",
            cliponaxis=False,
            customdata=tuple(chart_text(n) for n in names),
            hovertemplate=f"%{{customdata}}<br>%{{x:{fmt}}}{suffix}<extra></extra>",
            _validate=False,
        ),
        validate=False,
        height=_height(len(names)),
        margin={"l": 8, "r": 56, "t": 40, "b": 8},
        xaxis={"title": {"text": axis_title}, "rangemode": "tozero", "gridcolor": "#E3E6EA"},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        bargap=0.3,
        **group_line,
    )


def _group_line(x: float, label: str) -> dict[str, Any]:
    """Layout for a dashed vertical line at ``x`` across the plot, labelled at its top: the
    shape and annotation Plotly's ``add_vline`` makes, given directly (``add_vline`` works
    them out through the figure's subplots and cost 24 ms a chart)."""
    return {
        "shapes": [
            {
                "type": "line",
                "x0": x,
                "x1": x,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"color": TEXT, "dash": "dash", "width": 2},
            }
        ],
        "annotations": [
            {
                "text": label,
                "font": {"color": TEXT},
                "showarrow": False,
                "x": x,
                "xanchor": "center",
                "xref": "x",
                "y": 1,
                "yanchor": "bottom",
                "yref": "y domain",
            }
        ],
    }


def mix_groups(mixes: Sequence[Sequence[MixShare]], *, top: int = TOP_GROUPS) -> list[str]:
    """The ``top`` broad groups with the largest emissions over all the mixes."""
    totals: dict[str, Decimal] = {}
    for mix in mixes:
        for m in mix:
            totals[m.group] = totals.get(m.group, Decimal(0)) + m.kgco2e
    return [g for g, _ in sorted(totals.items(), key=lambda i: (-i[1], i[0]))[:top]]


def mix_figure(
    rows: Sequence[tuple[str, Sequence[MixShare]]], *, top: int = TOP_GROUPS
) -> go.Figure:
    """100 % stacked bars: each authority's emissions by broad group; the ``top`` groups
    overall in their own colours, the rest as "Other groups" in grey."""
    rows = [(name, mix) for name, mix in rows if mix]
    if not rows:
        return empty_figure("No classified emissions to show for the year.")
    groups = mix_groups([mix for _, mix in rows], top=top)
    labels = tuple(unique_labels([name for name, _ in rows]))
    # each row's share per group, summed in one pass over its mix (not once per group)
    by_group: list[dict[str, Decimal]] = []
    for _, mix in rows:
        shares: dict[str, Decimal] = {}
        for m in mix:
            shares[m.group] = shares.get(m.group, Decimal(0)) + m.share
        by_group.append(shares)
    shown = set(groups)
    series: list[tuple[str, str, list[float]]] = [
        (group, SERIES[i % len(SERIES)], [float(s.get(group, 0)) for s in by_group])
        for i, group in enumerate(groups)
    ]
    other = [float(sum((v for g, v in s.items() if g not in shown), Decimal(0))) for s in by_group]
    if any(other):
        series.append((OTHER_GROUPS, GREY, other))
    return figure(
        [
            go.Bar(
                orientation="h",
                name=chart_text(name),
                y=labels,
                x=tuple(100 * s for s in shares),
                marker={"color": colour, "line": {"color": "#FFFFFF", "width": 1}},
                hovertemplate="%{y}<br>%{fullData.name}: %{x:.0f}%<extra></extra>",
                _validate=False,
            )
            for name, colour, shares in series
        ],
        validate=False,
        height=_height(len(rows)) + 90,
        margin={"l": 8, "r": 16, "t": 90, "b": 8},
        showlegend=True,
        barmode="stack",
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "traceorder": "normal"},
        xaxis={"title": {"text": "Share of emissions (%)"}, "range": [0, 100], "ticksuffix": "%"},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        bargap=0.3,
    )
