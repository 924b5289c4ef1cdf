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


def text(node: Any) -> str:
    """All text in a tree, joined with spaces."""
    return " ".join(str(n) for n in walk(node) if isinstance(n, str | int | float))


def by_id(node: Any, component_id: str) -> Any:
    for n in walk(node):
        if isinstance(n, Component) and getattr(n, "id", None) == component_id:
            return n
    raise KeyError(component_id)
