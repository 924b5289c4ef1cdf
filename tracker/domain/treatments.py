"""Payees and expense types that authorities treat differently (issue 14, "Group-wide
policies"): one authority costs the waste disposal levy as waste services, another
excludes it as a levy, and a comparison of the two means little until they agree.

From how each authority's decided lines of one payee (supplier name key) or expense type
(normalised text) were treated (a category, or ``x:REASON`` when excluded), each
authority's *main* treatment is the one with most of its spend there (the first by name
of equals). A payee or expense type is treated differently when at least two
authorities' main treatments differ. Pure functions; no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

FIELDS = ("supplier", "expense_type")


@dataclass(frozen=True)
class Use:
    """One authority's main treatment of a payee or expense type."""

    authority: str  # code
    treatment: str  # a category code, or x:REASON
    spend: Decimal  # |spend| so treated
    lines: int
    share: Decimal  # of the authority's decided spend with the payee or expense type


@dataclass(frozen=True)
class Difference:
    field: str  # supplier | expense_type
    key: str  # supplier name key or normalised expense type
    spend: Decimal  # decided |spend| of every authority listed
    uses: tuple[Use, ...]  # by authority code

    def involves(self, authority: str) -> bool:
        return any(u.authority == authority for u in self.uses)

    def describe(self) -> str:
        """ "x:levy in MAN (£1,200, 100 %); 38 in TRA (£900, 100 %)"."""
        return "; ".join(
            f"{u.treatment} in {u.authority} ({u.spend:,.0f}, {u.share:.0%})" for u in self.uses
        )


Row = tuple[str, str, str, str, Decimal, int]  # field, key, authority, treatment, spend, lines


def differences(rows: Iterable[Row]) -> list[Difference]:
    """The payees and expense types whose main treatment differs between authorities,
    largest decided spend first (then by field and key)."""
    found: dict[tuple[str, str], dict[str, dict[str, tuple[Decimal, int]]]] = {}
    for field, key, authority, treatment, spend, lines in rows:
        by_treatment = found.setdefault((field, key), {}).setdefault(authority, {})
        was, n = by_treatment.get(treatment, (Decimal(0), 0))
        by_treatment[treatment] = (was + spend, n + lines)
    out = []
    for (field, key), authorities in found.items():
        uses = []
        for authority, treatments in sorted(authorities.items()):
            total = sum((s for s, _ in treatments.values()), Decimal(0))
            if total <= 0:
                continue
            main = max(sorted(treatments), key=lambda t: treatments[t][0])
            spend, lines = treatments[main]
            uses.append(Use(authority, main, spend, lines, spend / total))
        if len(uses) >= 2 and len({u.treatment for u in uses}) >= 2:
            spend = sum((u.spend for u in uses), Decimal(0))
            out.append(Difference(field, key, spend, tuple(uses)))
    return sorted(out, key=lambda d: (-d.spend, d.field, d.key))
