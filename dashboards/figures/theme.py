"""Colours and the shared figure layout.

Colours come from the Okabe–Ito palette, which stays distinguishable with the common forms
of colour-blindness. Only its darker members are used for marks on white, so that bars keep
at least 3:1 contrast against the background (WCAG 2.1, 1.4.11).
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from dash import dcc

BLUE = "#0072B2"  # Okabe–Ito blue: the default mark colour, 5.2:1 on white
BLUE_TINT = "rgba(0, 114, 178, 0.12)"  # area under a sparkline (decorative)
VERMILLION = "#D55E00"  # Okabe–Ito vermillion: the selected mark, 3.9:1 on white
GREY = "#6E6E6E"  # "Other": neutral, 5.1:1 on white
GREEN = "#009E73"  # Okabe–Ito bluish green, 3.4:1 on white
PURPLE = "#CC79A7"  # Okabe–Ito reddish purple
ORANGE = "#E69F00"  # Okabe–Ito orange
SKY = "#56B4E9"  # Okabe–Ito sky blue
# Series colours for a few categories side by side (stacked mix bars). The lighter two come
# last; stacked segments are separated by white edges and each chart has a table beside it.
SERIES = (BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY)
TEXT = "#1F2328"
GRID = "#E3E6EA"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
#: The plotly mode bar of every chart: no logo, no selection tools.
GRAPH_CONFIG: dcc.Graph.Config = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}

TONNES_AXIS = "Emissions (tCO2e)"


def _axis() -> dict[str, Any]:
    return {"gridcolor": GRID, "linecolor": GRID, "zerolinecolor": GRID, "automargin": True}


# A small template with what the charts take from Plotly's "plotly_white": light grid lines
# on a white plot area. Setting a template copies it into every figure, and the full
# "plotly_white" (defaults for every trace type) costs about 50 ms per figure; this one
# costs well under 1 ms.
TEMPLATE = go.layout.Template(
    layout={"xaxis": _axis(), "yaxis": _axis(), "colorway": list(SERIES), "hovermode": "closest"}
)


def base_layout(**overrides: Any) -> dict[str, Any]:
    """Layout shared by every chart: readable font, light grid, no Plotly chrome."""
    layout: dict[str, Any] = {
        "template": TEMPLATE,
        "font": {"family": FONT, "size": 13, "color": TEXT},
        "margin": {"l": 8, "r": 16, "t": 8, "b": 8},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT}},
        "showlegend": False,
    }
    layout.update(overrides)
    return layout


def figure(data: Any = None, *, validate: bool = True, **layout: Any) -> go.Figure:
    """A figure of ``data`` (traces) with the shared layout and ``layout``'s overrides.

    The layout is given when the figure is made: Plotly's ``update_layout`` afterwards walks
    and validates every property path again and costs several times as much (about 40 ms
    against 9 ms for a chart's layout), which a page with several charts pays on every
    load.

    ``validate=False`` skips Plotly's checking of every property and array element (the
    traces must then be made with ``_validate=False`` too, their arrays as tuples, as
    Plotly's checking would leave them): for a chart of 400 authorities the checking is
    nearly all of its cost (about 0.5 s of a stacked bar chart's 0.52 s on the shared
    machine). The same JSON either way; the builders that skip it have a test that passes
    their output back through Plotly's checks."""
    return go.Figure(data=data, layout=base_layout(**layout), _validate=validate)


def tonnes_axis() -> dict[str, Any]:
    """The value axis of every emissions chart: titled with its unit, from zero, 1,000s."""
    return {
        "title": {"text": TONNES_AXIS},
        "gridcolor": GRID,
        "rangemode": "tozero",
        "tickformat": ",",
    }


def empty_figure(message: str, *, height: int = 240) -> go.Figure:
    """A figure that says why there is nothing to plot, instead of showing blank axes."""
    return figure(
        height=height,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
            {
                "text": message,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"size": 14, "color": GREY},
            }
        ],
    )
