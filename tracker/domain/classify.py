"""Classify a spend line to a Defra product group, or exclude it, recording why.

The decision order weighs the *kind* of evidence (docs/classification-policy.md §3); the
first that applies wins:

1. a person's override of the line (applied by the inventory from its own table);
2. group-wide policy: rules on the ledger text and supplier name, and the supplier's SIC
   code where it names own energy or water (transfers to public bodies, levies, precepts,
   taxes, payroll, own energy and water, property acquisition, PFI unitary charges);
3. codes that describe the purchase, on the line (NAICS, ProClass, MCC, CPV, UNSPSC); a
   card's merchant code gives way to the council's own ledger text where a high-confidence
   library rule reads it;
4. the authority's supplier defaults and its own rules (a person's decision);
5. the supplier's Companies House SIC code (what the supplier mainly does);
6. the shared rule library;
7. accepted suggestions;
8. otherwise unclassified, for review.

Every decision records the evidence that decided it (method and reference) and, where
another strong piece of evidence disagreed, what lost (``overruled``). When that
disagreement is between a code and a description (policy §6) the decision's confidence is
lowered to "low" so that the line is in the review queue with both pieces shown.

Exclusions (salaries, grants, benefits, taxes, financing, internal recharges, payments
to public bodies, energy for the authority's own buildings and fleet …) are targets in
the same tables; an authority may switch an exclusion off, in which case the target's
``if_included`` group is used. Whether a costed line is Scope 3 category 2 (capital goods)
or 1 is decided by ``tracker.domain.capital`` (the line's capital/revenue flag, a capital
cost centre, then the evidence's own category).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from factors.classification import ARTEFACT_GROUPS
from tracker.domain.capital import capital_cost_centre, scope3_category
from tracker.domain.codes import LineStatus, Method

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


# Appended to the digested text of a line booked to a capital cost centre.
CAPITAL_COST_CENTRE_MARK = "\x1ecapital cost centre"


def class_key(row: Mapping[str, Any]) -> str:
    """A 32-hex digest of a line's classification inputs (the CLASS_FIELDS of ``row``).

    Lines with equal keys are classified alike, so the tracker classifies each distinct
    key once and every line joins to the result. Empty and missing values are the same;
    a unit separator keeps ("ab", "c") apart from ("a", "bc"). A line booked to a capital
    cost centre (``capital.capital_cost_centre``) gets a key of its own, so that a class
    never merges capital and revenue lines; other lines' keys do not depend on the cost
    centre.
    """
    return class_key_of(
        [row.get(f) for f in CLASS_FIELDS], capital=capital_cost_centre(row.get("cost_centre"))
    )


def class_key_of(values: Sequence[str | None], *, capital: bool) -> str:
    """:func:`class_key` of a line given its CLASS_FIELDS values in that order and whether
    its cost centre is a capital one (for callers holding rows as tuples, such as the
    spend import, which decides ``capital`` once per distinct cost centre)."""
    text = "\x1f".join([v or "" for v in values])
    if capital:
        text += CAPITAL_COST_CENTRE_MARK
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

    @property
    def naics_code(self) -> str | None: ...  # an EPA commodity a person's target names


# A code table: raw code → (the code that matched, its target), or None.
CodeTable = Callable[[str], "tuple[str, TargetLike] | None"]
# Rules: (expense type, description, supplier) → (rule id, target), or None.
RuleMatcher = Callable[[str | None, str | None, str | None], "tuple[str, TargetLike] | None"]

# Groups whose factors are close and between which the choice is one of degree, not kind:
# a disagreement inside one family is not a conflict (policy §6).
COMPATIBLE_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"41.2", "42.1-2", "42.99"}),  # construction works
    frozenset({"87", "88"}),  # care with and without accommodation
    frozenset({"58", "62", "63"}),  # software, IT services, information services
)
# Kinds of evidence that describe the purchase (or the supplier) strongly enough that a
# disagreement with them is worth a person's look.
LINE_CODE_METHODS = (Method.NAICS, Method.PROCLASS, Method.MCC, Method.CPV, Method.UNSPSC)
STRONG_CONFIDENCE = frozenset({"high", "medium"})


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence about a line: its kind, what it is, where it points."""

    method: str
    ref: str
    target: TargetLike

    @property
    def points_to(self) -> str:
        """The group, or ``x:REASON`` for an exclusion."""
        if self.target.exclude_reason is not None:
            return f"x:{self.target.exclude_reason}"
        return self.target.defra_group or "?"

    def describe(self) -> str:
        return f"{self.method} {self.ref} → {self.points_to}"


def agrees(a: str, b: str) -> bool:
    """Whether two decisions (groups or ``x:REASON``) agree for the purpose of conflicts."""
    if a == b:
        return True
    return any(a in family and b in family for family in COMPATIBLE_FAMILIES)


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
    cost_centre_capital: bool = False  # booked to a capital cost centre (capital.py)


@dataclass(frozen=True)
class Classification:
    category_code: str | None  # Defra group, or None when excluded or unclassified
    excluded_reason: str | None
    scope3_category: int | None
    # policy | naics | proclass | mcc | cpv | unspsc | supplier-default | rule | sic | library
    # | suggestion
    method: str | None
    rule_ref: str | None  # the code, rule id or supplier that decided
    confidence: str | None
    level: str | None = None
    decided_by: str | None = None  # who wrote the rule or default; None for shipped tables
    # Evidence that disagreed and lost ("conflict: …" when it lowered the confidence).
    overruled: str | None = None
    naics: str | None = None  # the EPA NAICS-6 commodity the deciding target names, if any

    @property
    def status(self) -> str:
        if self.excluded_reason is not None:
            return LineStatus.EXCLUDED
        return LineStatus.MAPPED if self.category_code is not None else LineStatus.UNMAPPED


UNCLASSIFIED = Classification(None, None, None, None, None, None)


def _hit(method: str, found: tuple[str, TargetLike] | None) -> Evidence | None:
    return Evidence(method, found[0], found[1]) if found is not None else None


@dataclass(frozen=True)
class Classifier:
    """The decision order above, over lookup functions built from the shipped tables."""

    codes: tuple[tuple[str, Callable[[LineInputs], str | None], CodeTable], ...]
    authority_rules: RuleMatcher | None
    library: RuleMatcher | None
    supplier_defaults: Mapping[str, TargetLike]
    included: frozenset[str] = frozenset()
    suggestions: RuleMatcher | None = None  # accepted suggestions: the last resort
    policy: RuleMatcher | None = None  # group-wide policy rules: before every code
    supplier_code: CodeTable | None = None  # the supplier's SIC code → group
    supplier_policy: CodeTable | None = None  # the supplier's SIC code → own energy/water

    def evidence(self, line: LineInputs) -> list[Evidence]:
        """Every piece of evidence the line carries, strongest kind first (policy §3)."""
        found: list[Evidence | None] = []
        if self.policy is not None:
            found.append(_hit(Method.POLICY, self.policy(*self._texts(line))))
        if self.supplier_policy is not None and line.sic:
            found.append(_hit(Method.POLICY, self.supplier_policy(line.sic)))
        for method, field, table in self.codes:
            raw = field(line)
            if raw:
                found.append(_hit(method, table(raw)))
        if line.supplier_key and line.supplier_key in self.supplier_defaults:
            target = self.supplier_defaults[line.supplier_key]
            found.append(Evidence(Method.SUPPLIER_DEFAULT, line.supplier or "", target))
        if self.authority_rules is not None:
            found.append(_hit(Method.RULE, self.authority_rules(*self._texts(line))))
        if self.supplier_code is not None and line.sic:
            found.append(_hit(Method.SIC, self.supplier_code(line.sic)))
        if self.library is not None:
            found.append(_hit(Method.LIBRARY, self.library(*self._texts(line))))
        if self.suggestions is not None:
            found.append(_hit(Method.SUGGESTION, self.suggestions(*self._texts(line))))
        return [e for e in found if e is not None]

    def classify(self, line: LineInputs) -> Classification:
        found = self.evidence(line)
        # Evidence that names an artefact group, or a code that says nothing about what was
        # bought, decides nothing (policy §5); it is recorded if nothing else decides.
        pieces = [e for e in found if self._says_nothing(e) is None]
        if not pieces:
            refused = [f"{e.describe()}: {self._says_nothing(e)}" for e in found]
            if not refused:
                return UNCLASSIFIED
            first = found[0]
            note = "refused: " + "; ".join(refused)
            return Classification(None, None, None, first.method, first.ref, "low",
                                  decided_by=first.target.made_by or None,
                                  overruled=note[:200])  # fmt: skip
        winner = pieces[0]
        set_aside = [
            f"{e.describe()}: {self._says_nothing(e)}" for e in found[: found.index(winner)]
        ]
        ledger = self._ledger_reading(line)
        if ledger is not None and self._says_nothing(ledger) is not None:
            ledger = None
        if (
            winner.method == Method.MCC
            and ledger is not None
            and ledger.target.confidence == "high"
        ):
            # A merchant code names the merchant; the council's own ledger text names what
            # was bought (policy §5).
            return self._apply(ledger, line, overruled=winner.describe())
        # Rivals: other kinds of strong evidence. The library speaks only through what it
        # reads in the ledger text: a supplier-name rule is too weak to contradict a code.
        rivals = [
            e
            for e in pieces[1:]
            if e.method not in (winner.method, Method.LIBRARY) and self._strong(e)
        ]
        if ledger is not None and winner.method != Method.LIBRARY and self._strong(ledger):
            rivals.append(ledger)
        lost = next((e for e in rivals if not agrees(winner.points_to, e.points_to)), None)
        if lost is None:
            return self._apply(winner, line, overruled="; ".join(set_aside) or None)
        if winner.method in (Method.POLICY, Method.SUPPLIER_DEFAULT, Method.RULE):
            # Policy and a person's decision settle the question; the loser is on record.
            return self._apply(winner, line, overruled=lost.describe())
        return self._apply(winner, line, overruled=f"conflict: {lost.describe()}", low=True)

    def _says_nothing(self, e: Evidence) -> str | None:
        """Why a piece of evidence cannot decide (an artefact group, a review row), or None."""
        target = e.target
        if target.exclude_reason is None and target.defra_group is None:
            return "says nothing about what was bought"
        if target.exclude_reason is not None and target.exclude_reason not in self.included:
            return None
        group = target.if_included if target.exclude_reason is not None else target.defra_group
        if group in ARTEFACT_GROUPS:
            return f"artefact group {group}, never used as a factor"
        return None

    def _texts(self, line: LineInputs) -> tuple[str | None, str | None, str | None]:
        return line.expense_type, line.description, line.supplier

    def _ledger_reading(self, line: LineInputs) -> Evidence | None:
        """What the shared library reads in the ledger text alone (not the supplier name)."""
        if self.library is None or not (line.expense_type or line.description):
            return None
        return _hit(Method.LIBRARY, self.library(line.expense_type, line.description, None))

    @staticmethod
    def _strong(e: Evidence) -> bool:
        """Evidence a disagreement with is worth a person's look (policy §6)."""
        if e.method in LINE_CODE_METHODS:
            return True
        if e.method in (Method.SIC, Method.LIBRARY):
            return e.target.confidence in STRONG_CONFIDENCE
        return False

    def _apply(
        self, e: Evidence, line: LineInputs, *, overruled: str | None = None, low: bool = False
    ) -> Classification:
        target = e.target
        category = scope3_category(
            flag=line.capital_or_revenue,
            cost_centre_capital=line.cost_centre_capital,
            evidence=target.scope3_category,
        )
        reason = target.exclude_reason
        who = target.made_by or None
        confidence = "low" if low else target.confidence
        note = overruled[:200] if overruled else None
        if reason is not None and reason not in self.included:
            return Classification(
                None, reason, None, e.method, e.ref, confidence, decided_by=who, overruled=note
            )
        group = target.if_included if reason is not None else target.defra_group
        naics = target.naics_code if reason is None else None
        return Classification(
            group, None, category, e.method, e.ref, confidence, decided_by=who, overruled=note,
            naics=naics,
        )  # fmt: skip
