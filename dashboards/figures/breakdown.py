"""Where a year's emissions come from: categories and suppliers."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import plotly.graph_objects as go

from dashboards.figures.theme import BLUE, GREY, base_layout, empty_figure, tonnes_axis
from dashboards.format import currency_symbol, to_tonnes
from tracker.queries import CategoryRow, SupplierRow

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
    """Shortened labels, numbered where two would otherwise merge into one bar."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        label = short_label(name)
        seen[label] = seen.get(label, 0) + 1
        labels.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return labels


def _bar_height(n: int) -> int:
    return 90 + 30 * max(n, 1)


def _horizontal_bars(
    names: list[str], kg: list[Decimal], spend: list[Decimal], colours: list[str], currency: str
) -> go.Figure:
    # The top margin keeps Plotly's hover toolbar clear of the first bar.
    tonnes = [float(to_tonnes(k)) for k in kg]
    symbol = currency_symbol(currency)
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=unique_labels(names),
            x=tonnes,
            marker={"color": colours},
            text=[f"{t:,.0f}" for t in tonnes],
            textposition="outside",
            cliponaxis=False,
            customdata=[[n, float(s)] for n, s in zip(names, spend, strict=True)],
            hovertemplate=(
                "%{customdata[0]}<br>%{x:,.1f} tCO2e<br>"
                f"Spend {symbol}" + "%{customdata[1]:,.0f}<extra></extra>"
            ),
        )
    )
    fig.update_layout(
        **base_layout(height=_bar_height(len(names)), margin={"l": 8, "r": 48, "t": 36, "b": 8}),
        xaxis=tonnes_axis(),
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        bargap=0.3,
    )
    return fig


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
