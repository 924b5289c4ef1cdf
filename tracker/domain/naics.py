"""NAICS codes to a factor in a NAICS-6 table, falling back 6 → 5 → 4 → 3 → 2 digits."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

from tracker.domain.codes import Method

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class NaicsMatch:
    raw: str
    code: str | None  # the NAICS-6 code whose factor is used
    level: str | None  # "naics6" exact, or "naics5".."naics2" for a fallback
    reason: str | None = None


def resolve_naics(
    raw: str, codes: Collection[str], values: Mapping[str, Decimal] | None = None
) -> NaicsMatch:
    """The factor code for ``raw``: itself when published, else the median factor under
    the longest prefix that has published codes (a real published factor, so that the
    result stays traceable to one row; the level records the fallback).
    """
    found = _DIGITS.search(raw.replace(".", ""))
    digits = found.group(0) if found else ""
    if len(digits) < 2:
        return NaicsMatch(raw, None, None, reason=f"not a NAICS code: {raw[:40]!r}")
    digits = digits[:6]
    if len(digits) == 6 and digits in codes:
        return NaicsMatch(raw, digits, "naics6")
    for width in range(min(len(digits), 5), 1, -1):
        prefix = digits[:width]
        under = sorted(c for c in codes if c.startswith(prefix))
        if under:
            if values is not None:
                under.sort(key=lambda c: (values[c], c))
            chosen = under[(len(under) - 1) // 2]
            return NaicsMatch(raw, chosen, f"naics{width}")
    return NaicsMatch(raw, None, None, reason=f"no factor for NAICS {digits} or its sectors")


@dataclass(frozen=True)
class GroupNaics:
    """The NAICS commodity a classification decision leads to (``naics`` None: none)."""

    naics: str | None
    via: str  # "rule" (the rule's own refinement) or "group" (the group's commodity)
    trace: str  # rule or code > Defra group > NAICS, for the line's record
    reason: str | None = None  # why there is no NAICS


def naics_for_decision(
    group: str,
    method: str | None,
    rule_ref: str | None,
    *,
    group_naics: Mapping[str, str | None],
    rule_naics: Mapping[str, str | None],
) -> GroupNaics:
    """The NAICS-6 commodity for a line classified to Defra ``group`` by ``method`` and
    ``rule_ref``: the shared-library rule's own refinement when it has one (only library
    rules: an authority's rule ids are its own), none when the rule is listed without a
    code (its text is too vague to name a commodity), else the group's commodity.
    """
    ref = rule_ref or method or ""
    if method == Method.LIBRARY and rule_ref and ref in rule_naics:
        refined = rule_naics[ref]
        if refined is None:
            return GroupNaics(
                None,
                "rule",
                f"{ref} > {group}",
                reason=f"rule {ref} is too vague to name an EPA NAICS commodity "
                "(rule_naics.csv); review the line",
            )
        return GroupNaics(refined, "rule", f"{ref} > {group} > {refined}")
    naics = group_naics.get(group)
    if naics is None:
        return GroupNaics(
            None,
            "group",
            f"{ref} > {group}",
            reason=f"Defra group {group} has no EPA NAICS commodity "
            "(defra_group_to_naics.csv); review the line",
        )
    return GroupNaics(naics, "group", f"{ref} > {group} > {naics}")
