"""Classify a spend line to a Defra product group, or exclude it, recording why.

The order (first that applies wins): supplier default > code crosswalk (SIC, NAICS,
ProClass, MCC, CPV, UNSPSC) > the authority's own rules > the shared rule library > an accepted
suggestion > unclassified.
A line override, the strongest of all, is applied by the inventory from its own table.

Exclusions (salaries, grants, benefits, taxes, financing, internal recharges, payments
to public bodies, energy for the authority's own buildings and fleet …) are targets in
the same tables; an authority may switch an exclusion off, in which case the target's
``if_included`` group is used. Capital spend (a capital/revenue flag starting with C)
goes to Scope 3 category 2, everything else to the target's category (1 by default).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

# The spend-line columns classification reads, in the order class_key digests them.
CLASS_FIELDS = (
    "sic",
    "naics",
    "proclass",
    "mcc",
    "cpv",
    "unspsc",
    "expense_type",
    "description",
    "supplier_name",
    "capital_or_revenue",
)


def class_key(row: Mapping[str, Any]) -> str:
    """A 32-hex digest of a line's classification inputs (the CLASS_FIELDS of ``row``).

    Lines with equal keys are classified alike, so the tracker classifies each distinct
    key once and every line joins to the result. Empty and missing values are the same;
    a unit separator keeps ("ab", "c") apart from ("a", "bc").
    """
    text = "\x1f".join(row.get(f) or "" for f in CLASS_FIELDS)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class TargetLike(Protocol):
    @property
    def defra_group(self) -> str | None: ...

    @property
    def scope3_category(self) -> int | None: ...

    @property
    def exclude_reason(self) -> str | None: ...

    @property
    def if_included(self) -> str | None: ...

    @property
    def confidence(self) -> str: ...

    @property
    def made_by(self) -> str: ...  # who wrote the rule or default; "" for shipped tables


# A code table: raw code → (the code that matched, its target), or None.
CodeTable = Callable[[str], "tuple[str, TargetLike] | None"]
# Rules: (expense type, description, supplier) → (rule id, target), or None.
RuleMatcher = Callable[[str | None, str | None, str | None], "tuple[str, TargetLike] | None"]


@dataclass(frozen=True)
class LineInputs:
    sic: str | None = None
    naics: str | None = None
    proclass: str | None = None
    mcc: str | None = None
    cpv: str | None = None
    unspsc: str | None = None
    expense_type: str | None = None
    description: str | None = None
    supplier: str | None = None
    supplier_key: str | None = None
    capital_or_revenue: str | None = None


@dataclass(frozen=True)
class Classification:
    category_code: str | None  # Defra group, or None when excluded or unclassified
    excluded_reason: str | None
    scope3_category: int | None
    # supplier-default | sic | naics | proclass | mcc | cpv | unspsc | rule | library | suggestion
    method: str | None
    rule_ref: str | None  # the code, rule id or supplier that decided
    confidence: str | None
    level: str | None = None
    decided_by: str | None = None  # who wrote the rule or default; None for shipped tables

    @property
    def status(self) -> str:
        if self.excluded_reason is not None:
            return "excluded"
        return "mapped" if self.category_code is not None else "unmapped"


UNCLASSIFIED = Classification(None, None, None, None, None, None)


def is_capital(flag: str | None) -> bool:
    return bool(flag) and (flag or "").strip().upper().startswith("C")


@dataclass(frozen=True)
class Classifier:
    """The decision order above, over lookup functions built from the shipped tables."""

    codes: tuple[tuple[str, Callable[[LineInputs], str | None], CodeTable], ...]
    authority_rules: RuleMatcher | None
    library: RuleMatcher | None
    supplier_defaults: Mapping[str, TargetLike]
    included: frozenset[str] = frozenset()
    suggestions: RuleMatcher | None = None  # accepted suggestions: the last resort

    def classify(self, line: LineInputs) -> Classification:
        if line.supplier_key and line.supplier_key in self.supplier_defaults:
            target = self.supplier_defaults[line.supplier_key]
            return self._apply(target, "supplier-default", line.supplier, line)
        for method, field, table in self.codes:
            raw = field(line)
            if not raw:
                continue
            found = table(raw)
            if found is not None:
                return self._apply(found[1], method, found[0], line)
        for method, matcher in (
            ("rule", self.authority_rules),
            ("library", self.library),
            ("suggestion", self.suggestions),
        ):
            if matcher is None:
                continue
            hit = matcher(line.expense_type, line.description, line.supplier)
            if hit is not None:
                return self._apply(hit[1], method, hit[0], line)
        return UNCLASSIFIED

    def _apply(
        self, target: TargetLike, method: str, ref: str | None, line: LineInputs
    ) -> Classification:
        category = 2 if is_capital(line.capital_or_revenue) else (target.scope3_category or 1)
        reason = target.exclude_reason
        who = target.made_by or None
        if reason is not None and reason not in self.included:
            return Classification(
                None, reason, None, method, ref, target.confidence, decided_by=who
            )
        group = target.if_included if reason is not None else target.defra_group
        return Classification(group, None, category, method, ref, target.confidence, decided_by=who)
