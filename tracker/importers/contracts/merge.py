"""Compile the releases of one contracting process into its current state.

Follows the OCDS merge routine (standard.open-contracting.org, 1.1, "Merging"):
releases are taken in date order, a later value replaces an earlier one field by field,
objects merge recursively, arrays of objects that all carry an ``id`` merge item by item
on that id (awards, contracts, parties), any other array is replaced whole, and a
``null`` removes the field. The ``ocdsmerge`` library does the same but fetches the
release schema from the internet to decide the array rules; the rule above is the
schema's default for the arrays a contract is read from, so no schema is needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Json = dict[str, Any]


def compile_releases(releases: Iterable[Json]) -> Json:
    """The compiled release of ``releases`` (all of one ocid), latest ``date`` winning."""
    ordered = sorted(
        enumerate(releases), key=lambda pair: (str(pair[1].get("date") or ""), pair[0])
    )
    compiled: Json = {}
    for _, release in ordered:
        _merge_object(compiled, {k: v for k, v in release.items() if k not in ("tag", "id")})
    return compiled


def _merge_object(target: Json, source: Json) -> None:
    for key, value in source.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict):
            current = target.get(key)
            if not isinstance(current, dict):
                current = target[key] = {}
            _merge_object(current, value)
        elif isinstance(value, list):
            current = target.get(key)
            if _identified(value) and isinstance(current, list) and _identified(current):
                target[key] = _merge_by_id(current, value)
            else:
                target[key] = _copy(value)
        else:
            target[key] = value


def _identified(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(i, dict) and i.get("id") is not None for i in items)


def _merge_by_id(current: list[Json], incoming: list[Json]) -> list[Json]:
    by_id = {str(item["id"]): item for item in current}
    out = list(current)
    for item in incoming:
        key = str(item["id"])
        if key in by_id:
            _merge_object(by_id[key], item)
        else:
            fresh: Json = {}
            _merge_object(fresh, item)
            by_id[key] = fresh
            out.append(fresh)
    return out


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
