"""The joint-procurement pipeline: contracts ending soon, grouped across authorities. Pure.

A contract is in the pipeline when it ends between :data:`FROM_MONTHS` and
:data:`TO_MONTHS` months from today: sooner than six months is too late to plan a joint
procurement (tendering takes about that long), later than three years too early to know.
Contracts are grouped

* by **category** (the factor group their classification maps to, e.g. Defra ``38``
  waste services) and currency, and
* by **supplier** (the shared supplier record, else the name key) and currency,

with the combined value a year and estimated tonnes a year of the contracts in each
group. A category group renewed by two or more authorities is a **joint opportunity**;
opportunities are ranked by estimated tonnes a year (what a common carbon requirement
would reach), then value a year, then how many authorities, then category code (stable).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

FROM_MONTHS = 6
TO_MONTHS = 36
ZERO = Decimal(0)

#: Contract.flags that make its end date doubtful (tracker.importers.contracts.model): such a
#: contract is left out of the pipeline, and counted, since when it ends is not known.
DOUBTFUL_END_FLAGS = ("end_date_before_start", "end_date_implausible")

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@dataclass(frozen=True)
class PipelineContract:
    contract_id: int
    authority_code: str
    authority_name: str
    title: str
    category_code: str | None  # None: not classified, or its category is excluded
    category_name: str | None
    supplier_keys: tuple[tuple[str, str], ...]  # (grouping key, name shown)
    end: dt.date
    currency: str
    value_a_year: Decimal | None
    kg_a_year: Decimal | None


@dataclass(frozen=True)
class Group:
    """Contracts of one category (or one supplier) in one currency."""

    key: str
    name: str
    currency: str
    contracts: tuple[PipelineContract, ...]

    @property
    def authorities(self) -> tuple[str, ...]:
        return tuple(sorted({c.authority_code for c in self.contracts}))

    @property
    def suppliers(self) -> tuple[str, ...]:
        names = {key: name for c in self.contracts for key, name in c.supplier_keys}
        return tuple(sorted(names.values(), key=str.casefold))

    @property
    def value_a_year(self) -> Decimal:
        return sum((c.value_a_year or ZERO for c in self.contracts), ZERO)

    @property
    def kg_a_year(self) -> Decimal:
        return sum((c.kg_a_year or ZERO for c in self.contracts), ZERO)

    @property
    def unvalued(self) -> int:
        """Contracts without a value a year (no value or no dates): not in the totals."""
        return sum(1 for c in self.contracts if c.value_a_year is None)

    @property
    def first_end(self) -> dt.date:
        return min(c.end for c in self.contracts)

    @property
    def last_end(self) -> dt.date:
        return max(c.end for c in self.contracts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "currency": self.currency,
            "authorities": list(self.authorities),
            "suppliers": list(self.suppliers),
            "contracts": len(self.contracts),
            "contracts_without_value": self.unvalued,
            "value_a_year": self.value_a_year,
            "kgco2e_a_year": self.kg_a_year,
            "first_end": self.first_end.isoformat(),
            "last_end": self.last_end.isoformat(),
        }


@dataclass(frozen=True)
class Opportunity:
    rank: int
    group: Group
    months: int  # all of the group's contracts end within this many months
    sentence: str

    def as_dict(self) -> dict[str, Any]:
        return {"rank": self.rank, "within_months": self.months, "sentence": self.sentence} | (
            self.group.as_dict()
        )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def months_until(today: dt.date, day: dt.date) -> int:
    """Whole months from today until ``day``, rounded up: a date 17 months and a week
    away is "within 18 months"."""
    months = (day.year - today.year) * 12 + day.month - today.month
    if add_months(today, months) < day:
        months += 1
    return max(months, 0)


def in_window(
    end: dt.date, today: dt.date, from_months: int = FROM_MONTHS, to_months: int = TO_MONTHS
) -> bool:
    return add_months(today, from_months) <= end <= add_months(today, to_months)


def _group(items: Iterable[tuple[str, str, PipelineContract]]) -> list[Group]:
    found: dict[tuple[str, str], list[PipelineContract]] = {}
    names: dict[tuple[str, str], str] = {}
    for key, name, c in items:
        found.setdefault((c.currency, key), []).append(c)
        names[(c.currency, key)] = name
    groups = [
        Group(key, names[(cur, key)], cur, tuple(sorted(cs, key=lambda c: (c.end, c.contract_id))))
        for (cur, key), cs in found.items()
    ]
    groups.sort(key=lambda g: (-g.kg_a_year, -g.value_a_year, g.currency, g.key))
    return groups


def by_category(contracts: Sequence[PipelineContract]) -> list[Group]:
    """Contracts grouped by category and currency (unclassified ones under "unclassified")."""
    return _group(
        (c.category_code or "", c.category_name or "not classified", c) for c in contracts
    )


def by_supplier(contracts: Sequence[PipelineContract]) -> list[Group]:
    return _group((key, name, c) for c in contracts for key, name in c.supplier_keys)


def number_word(n: int) -> str:
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{number_word(n)} {word if n == 1 else (words or word + 's')}"


def sentence(
    group: Group,
    months: int,
    money: Callable[[Decimal, str], str],
    tonnes: Callable[[Decimal], str],
) -> str:
    """``Five authorities renew waste services contracts with two suppliers within 18
    months: £4.2m, 310 tCO2e a year``."""
    suppliers = len(group.suppliers)
    with_suppliers = f" with {_plural(suppliers, 'supplier')}" if suppliers else ""
    text = (
        f"{_plural(len(group.authorities), 'authority', 'authorities')}"
        f" renew {group.name} contracts{with_suppliers} within {months} months: "
        f"{money(group.value_a_year, group.currency)} and {tonnes(group.kg_a_year)} a year"
    )
    if group.unvalued:
        text += f" ({_plural(group.unvalued, 'contract')} without a value not counted)"
    return text[0].upper() + text[1:]


def opportunities(
    contracts: Sequence[PipelineContract],
    today: dt.date,
    money: Callable[[Decimal, str], str],
    tonnes: Callable[[Decimal], str],
) -> list[Opportunity]:
    """Categories renewed by at least two authorities, ranked (see the module docstring)."""
    joint = [g for g in by_category(contracts) if g.key and len(g.authorities) >= 2]
    joint.sort(
        key=lambda g: (-g.kg_a_year, -g.value_a_year, -len(g.authorities), g.currency, g.key)
    )
    out = []
    for rank, g in enumerate(joint, start=1):
        months = max(months_until(today, g.last_end), 1)
        out.append(Opportunity(rank, g, months, sentence(g, months, money, tonnes)))
    return out


def window_contracts(
    contracts: Iterable[PipelineContract],
    today: dt.date,
    from_months: int = FROM_MONTHS,
    to_months: int = TO_MONTHS,
) -> list[PipelineContract]:
    if not 0 <= from_months <= to_months:
        raise ValueError("the window must run forward: 0 <= from_months <= to_months")
    return [c for c in contracts if in_window(c.end, today, from_months, to_months)]


def doubtful_end(flags: Iterable[str]) -> tuple[str, ...]:
    """The flags (of :data:`DOUBTFUL_END_FLAGS`) that make a contract's end date doubtful."""
    found = set(flags)
    return tuple(f for f in DOUBTFUL_END_FLAGS if f in found)


def left_out_sentence(left_out: Mapping[str, int], reasons: Mapping[str, str]) -> str:
    """``2 contracts ending in this window were left out because their end date is doubtful
    (ends before it starts: 1; ends implausibly late: 1).`` ("" when none was). A contract
    with both flags counts under each reason, once in the total ``left_out["total"]``."""
    total = left_out.get("total", 0)
    if not total:
        return ""
    why = "; ".join(
        f"{reasons.get(flag, flag)}: {left_out[flag]:,}"
        for flag in DOUBTFUL_END_FLAGS
        if left_out.get(flag)
    )
    verb = "was" if total == 1 else "were"
    return (
        f"{total:,} contract{'' if total == 1 else 's'} ending in this window {verb} left out "
        f"because {'its' if total == 1 else 'their'} end date is doubtful ({why})."
    )
