"""Where a year's emissions come from: categories and suppliers."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import plotly.graph_objects as go

from dashboards.figures.text import chart_text
from dashboards.figures.theme import (
    BLUE,
    GREY,
    VERMILLION,
    empty_figure,
    figure,
    tonnes_axis,
)
from dashboards.format import currency_symbol, to_tonnes
from tracker.queries.breakdowns import CategoryRow, SupplierRow

TOP_CATEGORIES = 15
LABEL_WIDTH = 42


def short_label(text: str, width: int = LABEL_WIDTH) -> str:
    """Cut a long name to ``width`` characters with an ellipsis (the hover shows it whole)."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def top_categories(rows: Sequence[CategoryRow], *, top: int = TOP_CATEGORIES) -> list[CategoryRow]:
    """The ``top`` mapped categories by kgCO2e, and the rest folded into one "Other" row.

    Unmapped spend has no emissions and is left out; show it as a share of spend instead.
    """
    mapped = sorted((r for r in rows if r.code is not None), key=lambda r: r.kgco2e, reverse=True)
    head, tail = mapped[:top], mapped[top:]
    if tail:
        head.append(
            CategoryRow(
                code=None,
                name=f"Other ({len(tail)} categories)",
                spend=sum((r.spend for r in tail), Decimal(0)),
                kgco2e=sum((r.kgco2e for r in tail), Decimal(0)),
            )
        )
    return head


def unique_labels(names: Sequence[str]) -> list[str]:
    """Shortened labels, numbered where two would otherwise merge into one bar, made safe
    to show (:func:`chart_text`)."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        label = chart_text(short_label(name))
        seen[label] = seen.get(label, 0) + 1
        labels.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return labels


def _bar_height(n: int) -> int:
    return 90 + 30 * max(n, 1)


def _horizontal_bars(
    names: list[str],
    kg: list[Decimal],
    spend: list[Decimal],
    colours: list[str],
    currency: str,
    keys: Sequence[str | None] | None = None,
) -> go.Figure:
    # The top margin keeps Plotly's hover toolbar clear of the first bar.
    tonnes = [float(to_tonnes(k)) for k in kg]
    symbol = currency_symbol(currency)
    return figure(
        go.Bar(
            orientation="h",
            y=unique_labels(names),
            x=tonnes,
            marker={"color": colours},
            text=[f"{t:,.0f}" for t in tonnes],
            textposition="outside",
            cliponaxis=False,
            # [name, spend, key]: the key (a category code) is what a click drills into.
            customdata=[
                [chart_text(n), float(s), k]
                for n, s, k in zip(names, spend, keys or [None] * len(names), strict=True)
            ],
            hovertemplate=(
                "%{customdata[0]}<br>%{x:,.1f} tCO2e<br>"
                f"Spend {symbol}" + "%{customdata[1]:,.0f}<extra></extra>"
            ),
        ),
        height=_bar_height(len(names)),
        margin={"l": 8, "r": 48, "t": 36, "b": 8},
        xaxis=tonnes_axis(),
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        bargap=0.3,
    )


def category_figure(
    rows: Sequence[CategoryRow], *, top: int = TOP_CATEGORIES, currency: str = "GBP"
) -> go.Figure:
    """Horizontal bars of tCO2e for the top categories (largest first) plus "Other"."""
    shown = top_categories(rows, top=top)
    if not shown:
        return empty_figure("No spend in this year could be matched to an emission factor.")
    return _horizontal_bars(
        names=[r.name for r in shown],
        kg=[r.kgco2e for r in shown],
        spend=[r.spend for r in shown],
        colours=[GREY if r.code is None else BLUE for r in shown],
        currency=currency,
        keys=[r.code for r in shown],
    )


def supplier_figure(rows: Sequence[SupplierRow], *, currency: str = "GBP") -> go.Figure:
    """Horizontal bars of tCO2e for the suppliers given (already the top N, largest first)."""
    if not rows:
        return empty_figure("No supplier spend in this year.")
    return _horizontal_bars(
        names=[r.supplier for r in rows],
        kg=[r.kgco2e for r in rows],
        spend=[r.spend for r in rows],
        colours=[BLUE] * len(rows),
        currency=currency,
    )


def cumulative_shares(kg: Sequence[Decimal], total_kg: Decimal) -> list[Decimal]:
    """Running share of ``total_kg`` after each value (a Pareto curve), 0 when total is 0."""
    out, running = [], Decimal(0)
    for k in kg:
        running += k
        out.append(running / total_kg if total_kg > 0 else Decimal(0))
    return out


def supplier_pareto(
    rows: Sequence[SupplierRow], *, total_kg: Decimal, currency: str = "GBP"
) -> go.Figure:
    """The top suppliers as bars (tCO2e, largest first) with the cumulative share of the
    year's total emissions as a line: how few suppliers make up most of the footprint."""
    if not rows:
        return empty_figure("No supplier spend in this year.")
    names = unique_labels([r.supplier for r in rows])
    tonnes = [float(to_tonnes(r.kgco2e)) for r in rows]
    shares = [float(s * 100) for s in cumulative_shares([r.kgco2e for r in rows], total_kg)]
    symbol = currency_symbol(currency)
    fig = figure(
        height=420,
        margin={"l": 8, "r": 8, "t": 36, "b": 8},
        showlegend=True,
        legend={"orientation": "h", "y": 1.12, "x": 0},
        xaxis={"tickangle": -35, "automargin": True, "type": "category"},
        yaxis=tonnes_axis(),
        yaxis2={
            "title": {"text": "Cumulative share (%)"},
            "overlaying": "y",
            "side": "right",
            "range": [0, 105],
            "ticksuffix": "%",
            "showgrid": False,
        },
        bargap=0.3,
    )
    fig.add_bar(
        x=names,
        y=tonnes,
        name="Emissions (tCO2e)",
        marker={"color": BLUE},
        customdata=[[chart_text(r.supplier), float(r.spend)] for r in rows],
        hovertemplate=(
            "%{customdata[0]}<br>%{y:,.1f} tCO2e<br>"
            f"Spend {symbol}" + "%{customdata[1]:,.0f}<extra></extra>"
        ),
    )
    fig.add_scatter(
        x=names,
        y=shares,
        name="Cumulative share of the year's emissions (%)",
        yaxis="y2",
        mode="lines+markers",
        line={"color": VERMILLION, "width": 2},
        marker={"symbol": "diamond", "size": 7},
        hovertemplate="%{y:.0f}% of the year's emissions<extra></extra>",
    )
    return fig
