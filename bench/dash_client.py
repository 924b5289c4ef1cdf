"""What Dash's renderer posts when a page is shown, worked out from the JSON it receives.

After the router callback returns a page's layout, the renderer fires every callback whose
inputs are all in that layout (unless ``prevent_initial_call``), with the components'
initial property values. :func:`initial_payloads` builds those request bodies from the
layout and ``/_dash-dependencies``, so the load benchmark and the access-control tests
exercise the same data callbacks a browser would, without a browser. Callbacks with
pattern-matching ids and client-side callbacks are left out (the first need a concrete id,
the second never reach the server); chains (one callback's output feeding another's input)
are not followed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Json = Any
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."


def router_payload(pathname: str, search: str = "") -> dict[str, Json]:
    """The request Dash's page router makes when the location changes to ``pathname``."""
    return {
        "output": ROUTER_OUTPUT,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def component_props(tree: Json) -> dict[str, dict[str, Json]]:
    """Every component with a string id in a layout tree: id → its props."""
    found: dict[str, dict[str, Json]] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and isinstance(props.get("id"), str):
                found[props["id"]] = props
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
    return found


def split_output(output: str) -> list[dict[str, str]]:
    """``"a.b"`` or ``"..a.b...c.d.."`` → ``[{"id": "a", "property": "b"}, ...]``."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    specs = []
    for part in parts:
        component, _, prop = part.rpartition(".")
        specs.append({"id": component, "property": prop})
    return specs


def _string_ids(specs: list[dict[str, str]]) -> bool:
    return all(not spec["id"].startswith("{") for spec in specs)


def _with_values(
    specs: list[dict[str, str]], props: dict[str, dict[str, Json]]
) -> list[dict[str, Json]]:
    return [{**spec, "value": props[spec["id"]].get(spec["property"])} for spec in specs]


def initial_payloads(
    dependencies: list[dict[str, Json]],
    props: dict[str, dict[str, Json]],
    *,
    interactions: bool = False,
) -> Iterator[dict[str, Json]]:
    """The callback requests the renderer makes when a layout with ``props`` appears; with
    ``interactions``, also those marked ``prevent_initial_call``, as when the user sets an
    input (a dropdown, a button) to the value it already has."""
    for dep in dependencies:
        if dep.get("clientside_function"):
            continue
        if dep.get("prevent_initial_call") and not interactions:
            continue
        outputs = split_output(dep["output"])
        inputs = [{"id": i["id"], "property": i["property"]} for i in dep["inputs"]]
        state = [{"id": s["id"], "property": s["property"]} for s in dep.get("state", [])]
        specs = outputs + inputs + state
        if not inputs or not _string_ids(specs):
            continue
        if not all(spec["id"] in props for spec in specs):
            continue
        yield {
            "output": dep["output"],
            "outputs": outputs if dep["output"].startswith("..") else outputs[0],
            "inputs": _with_values(inputs, props),
            "state": _with_values(state, props),
            "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"]
            if dep.get("prevent_initial_call")
            else [],
        }
