"""User text in charts is shown as typed: markup escaped, invisible characters shown by code
point (issue 15, finding 9). One test per figure that shows user text; the trend figures
(overview) show only financial years."""

from __future__ import annotations

import html
import json
import unicodedata
from decimal import Decimal as D

import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboards.figures.breakdown import category_figure, supplier_figure, supplier_pareto
from dashboards.figures.collaboration import shared_suppliers_figure, spread_figure
from dashboards.figures.compare import mix_figure, ratio_bars
from dashboards.figures.text import chart_text
from tracker.domain.benchmark import MixShare
from tracker.domain.spread import CategoryUse, category_spreads
from tracker.queries.breakdowns import CategoryRow, SupplierRow
from tracker.services.collaboration import Buyer, RankedSupplier

LINK = '<a href="https://evil.example/">x</a>'
LINK_SHOWN = '&lt;a href="https://evil.example/"&gt;x&lt;/a&gt;'
BOLD = "<b>Acme</b> <i>Ltd</i>"
BOLD_SHOWN = "&lt;b&gt;Acme&lt;/b&gt; &lt;i&gt;Ltd&lt;/i&gt;"
# "Acme" with a right-to-left override (U+202E) and a zero-width space (U+200B) inside.
HIDDEN = "Ac\u202eme\u200b"
HIDDEN_SHOWN = "Ac&lt;U+202E&gt;me&lt;U+200B&gt;"


@pytest.mark.parametrize(
    "value, shown",
    [
        (LINK, LINK_SHOWN),
        (BOLD, BOLD_SHOWN),
        (HIDDEN, HIDDEN_SHOWN),
        ("Smith & Sons", "Smith &amp; Sons"),
        ("Line\nbreak\x00", "Line&lt;U+000A&gt;break&lt;U+0000&gt;"),
        ("Café Ünal", "Café Ünal"),  # letters of any script are left alone
    ],
)
def test_chart_text(value: str, shown: str) -> None:
    assert chart_text(value) == shown


@given(st.text())
def test_chart_text_shows_every_invisible_character_by_code(value: str) -> None:
    """Whatever the text (chart_text skips its character walk for printable text): every
    format or control character, and only those, shown by code point, then escaped."""
    visible = "".join(
        f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in ("Cf", "Cc") else ch for ch in value
    )
    assert chart_text(value) == html.escape(visible, quote=False)


def _text_of(fig: go.Figure) -> str:
    """Every string of the figure's data and layout, as Plotly receives them."""
    return json.dumps(fig.to_plotly_json(), ensure_ascii=False)


def _assert_safe(fig: go.Figure) -> None:
    shown = _text_of(fig)
    for raw in ("<a ", "<b>", "<i>", "\u202e", "\u200b"):
        assert raw not in shown
    for text in (LINK_SHOWN, BOLD_SHOWN, HIDDEN_SHOWN):
        assert json.dumps(text, ensure_ascii=False)[1:-1] in shown


def test_category_figure() -> None:
    rows = [
        CategoryRow(code=f"{i}", name=name, spend=D(100), kgco2e=D(1000 * (3 - i)))
        for i, name in enumerate((LINK, BOLD, HIDDEN))
    ]
    fig = category_figure(rows)
    _assert_safe(fig)
    assert list(fig.data[0].y) == [LINK_SHOWN, BOLD_SHOWN, HIDDEN_SHOWN]
    assert [c[0] for c in fig.data[0].customdata] == [LINK_SHOWN, BOLD_SHOWN, HIDDEN_SHOWN]


def _suppliers() -> list[SupplierRow]:
    return [
        SupplierRow(supplier=name, spend=D(100), kgco2e=D(1000 * (3 - i)))
        for i, name in enumerate((LINK, BOLD, HIDDEN))
    ]


def test_supplier_figure() -> None:
    fig = supplier_figure(_suppliers())
    _assert_safe(fig)
    assert list(fig.data[0].y) == [LINK_SHOWN, BOLD_SHOWN, HIDDEN_SHOWN]


def test_supplier_pareto() -> None:
    fig = supplier_pareto(_suppliers(), total_kg=D(6000))
    _assert_safe(fig)
    assert list(fig.data[0].x) == [LINK_SHOWN, BOLD_SHOWN, HIDDEN_SHOWN]
    assert [c[0] for c in fig.data[0].customdata] == [LINK_SHOWN, BOLD_SHOWN, HIDDEN_SHOWN]


def test_shared_suppliers_figure() -> None:
    suppliers = [
        RankedSupplier(
            rank=i + 1,
            supplier_id=i,
            name=name,
            authorities=2,
            spend=D(100),
            kgco2e=D(1000),
            share_of_group=None,
            buyers=(Buyer(BOLD, "Alpha", D(50), D(500)), Buyer(HIDDEN, "Beta", D(50), D(500))),
        )
        for i, name in enumerate((LINK, BOLD, HIDDEN))
    ]
    fig = shared_suppliers_figure(suppliers)
    _assert_safe(fig)
    hover = fig.data[0].customdata[0][1]
    assert hover == f"2 authorities: {BOLD_SHOWN} 0.5 t, {HIDDEN_SHOWN} 0.5 t"


def test_spread_figure() -> None:
    uses = [
        CategoryUse(name, "49", LINK, D("9000"), D(1800 * (i + 1)), D(0), "x")
        for i, name in enumerate((BOLD, HIDDEN))
    ] + [CategoryUse("C", "50", HIDDEN, D("9000"), D(900), D(0), "x")]
    uses += [CategoryUse("D", "50", HIDDEN, D("9000"), D(4500), D(0), "x")]
    fig = spread_figure(category_spreads(uses))
    shown = _text_of(fig)
    assert "<a " not in shown and "<b>" not in shown and "\u202e" not in shown
    dots = fig.data[1]
    assert BOLD_SHOWN in dots.text and HIDDEN_SHOWN in dots.text
    assert f"{LINK_SHOWN} (£)" in fig.data[0].y


def test_ratio_bars() -> None:
    fig = ratio_bars(
        [(LINK, D("0.3")), (BOLD, D("0.2")), (HIDDEN, D("0.1"))],
        group=D("0.2"),
        axis_title="kgCO2e per £",
    )
    _assert_safe(fig)
    assert list(fig.data[0].customdata) == [LINK_SHOWN, BOLD_SHOWN, HIDDEN_SHOWN]


def test_mix_figure() -> None:
    rows = [
        (name, (MixShare(group=BOLD, kgco2e=D(60), share=D("0.6")),
                MixShare(group="Transport", kgco2e=D(40), share=D("0.4"))))
        for name in (LINK, HIDDEN)
    ]  # fmt: skip
    fig = mix_figure(rows)
    shown = _text_of(fig)
    assert "<a " not in shown and "<b>" not in shown and "\u202e" not in shown
    assert list(fig.data[0].y) == [LINK_SHOWN, HIDDEN_SHOWN]
    assert fig.data[0].name == BOLD_SHOWN
    # The group's name reaches the hover through the trace name, never as template text.
    assert all("%{fullData.name}" in t.hovertemplate for t in fig.data)
