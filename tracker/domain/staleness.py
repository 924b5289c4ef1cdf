"""Why an inventory run is out of date: the inputs it recorded against today's.

A run records what it was computed from (``InventoryRun.inputs``: the year's import
batches, line count and amount, overrides, supplier factors, price-year policy, factor
tables, the exchange rates its lines need, the classification fingerprint with a digest
per rule, the tracker version). A
read never recomputes a run (reports, downloads and pages only read): it says the run is
out of date and why, in words, and leaves recalculating to an explicit step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.domain.vocabulary import factor_set_name

#: Inputs read together with another one, never a reason of their own.
_QUIET = frozenset({"lines", "amount", "skipped_rules", "fixed_vintage_year", "factor_edition"})


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _batches(recorded: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    before, now = set(recorded.get("batches", [])), set(current.get("batches", []))
    reasons = []
    if now - before:
        reasons.append(f"{_count(len(now - before), 'file', 'files')} imported")
    if before - now:
        reasons.append(f"{_count(len(before - now), 'file', 'files')} deleted")
    changed = any(recorded.get(k) != current.get(k) for k in ("lines", "amount"))
    if not reasons and changed:
        reasons.append("spend lines changed")
    return reasons


def _rules(recorded: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    before, now = recorded.get("rules"), current.get("rules")
    if isinstance(before, dict) and isinstance(now, dict):
        changed = {k for k in before.keys() | now.keys() if before.get(k) != now.get(k)}
        if changed:
            return [f"{_count(len(changed), 'rule', 'rules')} changed"]
    return ["the supplier defaults, counted exclusions or shipped classification changed"]


def _factor_set(inputs: Mapping[str, Any]) -> str | None:
    """The factor set an input record names, in words (tracker.domain.vocabulary), or None
    when it names none (runs recorded before the factor set was)."""
    family, edition = inputs.get("factor_family"), inputs.get("factor_edition")
    if not family:
        return None
    return factor_set_name(str(family), str(edition or ""))


def _factors(recorded: Mapping[str, Any], current: Mapping[str, Any]) -> str:
    old, new = _factor_set(recorded), _factor_set(current)
    if old == new:
        return "the factor tables were reloaded"
    if old is None:
        return f"factors changed to {new}"
    return f"factors changed from {old} to {new}"


def _supplier_factors(recorded: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    before = set(recorded.get("supplier_factors", []))
    now = set(current.get("supplier_factors", []))
    reasons = []
    if now - before:
        reasons.append(f"{_count(len(now - before), 'supplier factor', 'supplier factors')} added")
    if before - now:
        reasons.append(
            f"{_count(len(before - now), 'supplier factor', 'supplier factors')} removed"
        )
    return reasons


def stale_reasons(recorded: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """What changed since a run recorded ``recorded``, in words (empty: it is up to date).

    Only inputs both sides record are compared: an input added to what runs record later
    (as ``rules`` was) does not make every older run out of date on its own.
    """
    reasons: list[str] = []
    differs = {
        k for k in recorded.keys() & current.keys() if recorded[k] != current[k] and k not in _QUIET
    }
    if differs & {"batches"} or any(
        k in recorded and k in current and recorded[k] != current[k] for k in ("lines", "amount")
    ):
        reasons += _batches(recorded, current)
    if "overrides" in differs:
        reasons.append("line overrides changed")
    if "classification" in differs:
        reasons += _rules(recorded, current)
    if "supplier_factors" in differs:
        reasons += _supplier_factors(recorded, current)
    if differs & {"factor_family", "factor_tables"} or recorded.get(
        "factor_edition"
    ) != current.get("factor_edition"):
        reasons.append(_factors(recorded, current))
    if "price_year_policy" in differs or recorded.get("fixed_vintage_year") != current.get(
        "fixed_vintage_year"
    ):
        reasons.append("the price-year policy changed")
    if "rates" in differs:
        reasons.append("exchange rates changed")
    if "tracker_version" in differs:
        was, now = recorded["tracker_version"], current["tracker_version"]
        reasons.append(f"the tracker was updated ({was} to {now})")
    handled = {
        "batches", "overrides", "classification", "supplier_factors", "factor_family",
        "factor_tables", "price_year_policy", "tracker_version", "rules", "rates",
    }  # fmt: skip
    reasons += [f"its input “{k}” changed" for k in sorted(differs - handled)]
    return reasons


def stale_sentence(reasons: list[str], *, locked: bool = False) -> str:
    """The notice shown with an out-of-date run: "figures out of date: 3 rules changed
    since this run; recalculate". A locked year is never recalculated (a recalculation
    leaves it as it was locked): its notice says so, and that only a restatement, with a
    reason, brings it up to date."""
    changed = f"Figures out of date: {', '.join(reasons)} since this run"
    if locked:
        return (
            f"{changed}; the year is locked, so recalculating leaves it as it is: "
            "restate it, with a reason, to bring it up to date."
        )
    return f"{changed}; recalculate."
