"""Pure figure builders of the compare and collaboration pages."""

from __future__ import annotations

import json
from decimal import Decimal

import plotly.graph_objects as go

from dashboards.figures.collaboration import buyers_text, shared_suppliers_figure, spread_figure
from dashboards.figures.compare import OTHER_GROUPS, mix_figure, mix_groups, ratio_bars
from dashboards.figures.theme import BLUE, GREY, SERIES
from tracker.domain.benchmark import MixShare
from tracker.domain.spread import CategoryUse, category_spreads
from tracker.services.collaboration import Buyer, RankedSupplier

D = Decimal


def test_ratio_bars_largest_first_with_group_line_and_hatching() -> None:
    fig = ratio_bars(
        [("Low", D("0.1")), ("None", None), ("High", D("0.3"))],
        group=D("0.24"),
        axis_title="kgCO2e per £",
        flagged=["Low"],
    )
    bar = fig.data[0]
    assert bar.y == ("High", "Low") and bar.x == (0.3, 0.1)
    assert bar.marker.pattern.shape == ("", "/")
    assert bar.text == ("0.300", "0.100")
    (line,) = fig.layout.shapes
    assert line.x0 == 0.24 and line.line.dash == "dash"
    assert fig.layout.annotations[0].text == "Group 0.240"
    assert fig.layout.xaxis.title.text == "kgCO2e per £"


def test_ratio_bars_write_each_figure_with_its_unit() -> None:
    """Issue 16: a bare "0.307" beside the bars read as an unformatted amount; each figure
    and the group's carry the unit, as dashboards.format.intensity writes it."""
    fig = ratio_bars(
        [("A", D("0.307")), ("B", D("0.299"))],
        group=D("0.305"),
        axis_title="kgCO2e per £",
        unit="kgCO2e/£",
    )
    assert fig.data[0].text == ("0.307 kgCO2e/£", "0.299 kgCO2e/£")
    assert fig.layout.annotations[0].text == "Group 0.305 kgCO2e/£"


def test_ratio_bars_without_values() -> None:
    fig = ratio_bars([("A", None)], group=None, axis_title="x")
    assert fig.layout.annotations[0].text == "No authority has this figure for the year."


def _mix(*pairs: tuple[str, str]) -> tuple[MixShare, ...]:
    return tuple(MixShare(group=g, kgco2e=D(s) * 100, share=D(s)) for g, s in pairs)


def test_mix_figure_stacks_top_groups_and_other() -> None:
    rows = [
        ("A", _mix(("Construction", "0.6"), ("Transport", "0.3"), ("Food", "0.1"))),
        ("B", _mix(("Transport", "0.5"), ("Construction", "0.5"))),
        ("Empty", ()),
    ]
    # Totals: Construction 110, Transport 80, Food 10 → top 2: Construction, Transport.
    assert mix_groups([m for _, m in rows], top=2) == ["Construction", "Transport"]
    fig = mix_figure(rows, top=2)
    assert [t.name for t in fig.data] == ["Construction", "Transport", OTHER_GROUPS]
    assert fig.data[0].x == (60.0, 50.0) and fig.data[2].x == (10.0, 0.0)
    assert fig.data[0].marker.color == SERIES[0] and fig.data[2].marker.color == GREY
    assert fig.data[0].y == ("A", "B")  # authorities with no mix are left out
    assert fig.layout.barmode == "stack"


def _supplier(kg: str, *buyers: tuple[str, str]) -> RankedSupplier:
    return RankedSupplier(
        rank=1, supplier_id=1, name="Shared Coaches", authorities=len(buyers), spend=D("15000"),
        kgco2e=D(kg), share_of_group=D("0.5"),
        buyers=tuple(Buyer(c, c, D(0), D(k)) for c, k in buyers),
    )  # fmt: skip


def test_shared_suppliers_figure() -> None:
    s = _supplier("3400", ("AAA", "1800"), ("CCC", "1000"), ("BBB", "600"))
    assert buyers_text(s) == "3 authorities: AAA 1.8 t, CCC 1.0 t, BBB 0.6 t"
    fig = shared_suppliers_figure([s])
    assert fig.data[0].x == (3.4,) and fig.data[0].marker.color == BLUE
    assert fig.data[0].text == ("3 t · 3",)
    assert "No supplier" in shared_suppliers_figure([]).layout.annotations[0].text


def test_spread_figure_draws_range_dots_and_pooled_value() -> None:
    uses = [
        CategoryUse("A", "49", "Land transport", D("9000"), D("1800"), D(0), "x"),
        CategoryUse("B", "49", "Land transport", D("1000"), D("600"), D("1000"), "y"),
    ]
    fig = spread_figure(category_spreads(uses))
    lines, dots, pooled = fig.data
    assert lines.x == (0.2, 0.6, None)
    assert dots.x == (0.2, 0.6) and dots.text == ("A", "B")
    assert pooled.x == (0.24,) and pooled.marker.symbol == "diamond"
    assert lines.y[0] == "Land transport (£)"
    assert "No category" in spread_figure([]).layout.annotations[0].text


def _checked(fig: go.Figure) -> None:
    """``fig``, built without Plotly's checks, passes them unchanged: Plotly rebuilds it
    from its JSON with every property and array element validated (an unknown property or
    a bad value raises) and writes the same JSON back."""
    plain = json.loads(fig.to_json())
    assert json.loads(go.Figure(fig.to_plotly_json()).to_json()) == plain


def test_compare_figures_pass_plotlys_checks() -> None:
    """ratio_bars and mix_figure skip Plotly's checks for speed (figure(validate=False))."""
    _checked(
        ratio_bars(
            [("Low", D("0.1")), ("None", None), ("High", D("0.3")), ("High", D("0.2"))],
            group=D("0.24"),
            axis_title="kgCO2e per £",
            flagged=["Low"],
            unit="kgCO2e/£",
        )
    )
    _checked(ratio_bars([("A", D("12.5"))], group=None, axis_title="kgCO2e", places=1))
    _checked(
        mix_figure(
            [
                ("A", _mix(("Construction", "0.6"), ("Transport", "0.3"), ("Food", "0.1"))),
                ("B", _mix(("Transport", "0.5"), ("Construction", "0.5"))),
            ],
            top=2,
        )
    )
