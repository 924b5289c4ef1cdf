"""Helpers to look inside Dash component trees without a browser."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dash.development.base_component import Component


def walk(node: Any) -> Iterator[Any]:
    """Every component and string in a tree (depth first)."""
    if isinstance(node, list | tuple):
        for child in node:
            yield from walk(child)
        return
    yield node
    if isinstance(node, Component):
        yield from walk(getattr(node, "children", None))
        yield from table_cells(getattr(node, "columns", None), getattr(node, "data", None))


def table_cells(columns: Any, data: Any) -> Iterator[str]:
    """What a DataTable shows (dashboards.components.paged): its column headers, then each
    record's cells in column order (not the hidden sort keys)."""
    if not isinstance(columns, list) or not isinstance(data, list):
        return
    shown = [c["id"] for c in columns if isinstance(c, dict)]
    yield from (str(c.get("name")) for c in columns if isinstance(c, dict))
    for record in data:
        if isinstance(record, dict):
            yield from (str(record[k]) for k in shown if record.get(k) is not None)


def text(node: Any) -> str:
    """All text in a tree, joined with spaces."""
    return " ".join(str(n) for n in walk(node) if isinstance(n, str | int | float))


def by_id(node: Any, component_id: str) -> Any:
    for n in walk(node):
        if isinstance(n, Component) and getattr(n, "id", None) == component_id:
            return n
    raise KeyError(component_id)


# Props whose text a user reads: a component's children, the labels of its options, its
# placeholder, and a chart's titles, annotations, labels on bars and category names.
_SHOWN_PROPS = ("children", "placeholder", "label", "title")
_FIGURE_TEXT = ("text", "title", "ticktext", "name")


def _figure_text(figure: Any) -> Iterator[str]:
    layout = figure.get("layout") or {}
    stack: list[Any] = [layout.get("title"), layout.get("annotations")]
    stack += [v.get("title") for k, v in layout.items() if k[:5] in ("xaxis", "yaxis") and v]
    stack += [v.get("ticktext") for k, v in layout.items() if k[:5] in ("xaxis", "yaxis") and v]
    for trace in figure.get("data") or []:
        stack += [trace.get(k) for k in _FIGURE_TEXT]
        if trace.get("type") == "bar":  # category names on the bar axis
            stack += [trace.get("y") if trace.get("orientation") == "h" else trace.get("x")]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.get(k) for k in ("text",) if k in item)


def json_text(node: Any) -> str:
    """The text a user reads in a layout or callback output as Dash sends it (JSON:
    ``{"type", "namespace", "props"}`` components, option lists, figures), joined with
    spaces; what a browser shows as ``body.text``, without the numbers Plotly writes itself
    (axis ticks)."""
    out: list[str] = []
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            out.append(str(item))
        elif isinstance(item, list | tuple):
            stack.extend(reversed(item))
        elif isinstance(item, dict) and isinstance(item.get("props"), dict):
            props = item["props"]
            stack.extend(reversed([props[k] for k in _SHOWN_PROPS if props.get(k) is not None]))
            options = props.get("options")
            if isinstance(options, list):
                stack.extend(o.get("label") if isinstance(o, dict) else o for o in options)
            if isinstance(props.get("figure"), dict):
                out.extend(_figure_text(props["figure"]))
            out.extend(table_cells(props.get("columns"), props.get("data")))
        elif isinstance(item, dict) and ("data" in item or "layout" in item):
            out.extend(_figure_text(item))  # a figure returned by a callback
    return " ".join(out)
