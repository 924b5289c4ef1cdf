"""Build the classifier for an authority from the shipped crosswalks, the group-wide
policy rules, the shared rule library and the authority's own rules and supplier defaults
(tracker.domain.classify; the order is docs/classification-policy.md §3)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from factors.classification import (
    CROSSWALK_DIR,
    ClassificationDataError,
    CodeMapping,
    NaicsMapping,
    Rule,
    RuleSet,
    Target,
    compile_pattern,
    load_cpv_crosswalk,
    load_default_rules,
    load_mcc_crosswalk,
    load_naics_crosswalk,
    load_policy_rules,
    load_proclass_crosswalk,
    load_unspsc_crosswalk,
    lookup_mcc,
)
from factors.registry import load_companies_house_sic, load_sic_crosswalk
from tracker.domain.classify import Classifier, LineInputs, TargetLike
from tracker.domain.codes import Method
from tracker.domain.sic import SicMatch, SicResolver
from tracker.models import Authority, ClassificationRule, Supplier, SupplierDefault

# A supplier's SIC code says what the supplier mainly does, not what this payment bought
# (policy §3, §5): at most medium confidence, low where the division had to be guessed.
_SIC_CONFIDENCE = {"class": "medium", "group": "medium", "division": "medium"}
# SIC 2007 classes that describe a company's structure, not what it sells (head offices,
# holding companies, trusts and funds, dormant and non-trading companies): a PFI
# special-purpose company or a group's parent often carries one. They decide nothing.
UNINFORMATIVE_SIC = ("7010", "6420", "6430", "9999", "7499")
# The supplier's SIC code names own energy or water (policy §4): the exclusion and the
# group to use if the authority includes it.
_UTILITY_SIC = {"35.1": "energy_own", "35.2-3": "energy_own", "36": "water_own", "37": "water_own"}


@lru_cache(maxsize=1)
def default_resolver() -> SicResolver:
    """The shipped SIC → Defra group resolver (it caches one result per distinct code)."""
    return SicResolver(load_sic_crosswalk(), load_companies_house_sic())


@dataclass(frozen=True)
class _SicTarget:
    defra_group: str | None
    scope3_category: int | None
    exclude_reason: str | None
    if_included: str | None
    confidence: str
    made_by: str = ""  # the shipped SIC table
    naics_code: str | None = None


@dataclass(frozen=True)
class _Tables:
    proclass: dict[str, CodeMapping]
    mcc: dict[str, CodeMapping]
    cpv: dict[str, CodeMapping]
    unspsc: dict[str, CodeMapping]
    naics: dict[str, NaicsMapping]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    return _Tables(
        load_proclass_crosswalk(),
        load_mcc_crosswalk(),
        load_cpv_crosswalk(),
        load_unspsc_crosswalk(),
        load_naics_crosswalk(),
    )


@lru_cache(maxsize=1)
def library() -> RuleSet:
    return load_default_rules()


@lru_cache(maxsize=1)
def policy() -> RuleSet:
    return load_policy_rules()


@lru_cache(maxsize=1)
def shipped_fingerprint() -> str:
    """A hash of every shipped crosswalk and the rule library: a change reclassifies."""
    digest = hashlib.sha256()
    for path in sorted(CROSSWALK_DIR.rglob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _sic_match(raw: str) -> tuple[str, SicMatch] | None:
    """(SIC 2007 code, its match) for a supplier's code that says what it sells."""
    match = default_resolver().resolve(raw)
    if match.defra_group is None:
        return None
    code = match.sic2007 or raw
    if code.replace(".", "").startswith(UNINFORMATIVE_SIC):
        return None
    return code, match


def _sic(raw: str) -> tuple[str, TargetLike] | None:
    found = _sic_match(raw)
    if found is None:
        return None
    code, match = found
    confidence = _SIC_CONFIDENCE.get(match.level or "", "low")
    return code, _SicTarget(match.defra_group, 1, None, None, confidence)


def _sic_policy(raw: str) -> tuple[str, TargetLike] | None:
    """An energy or water company by its SIC code: own energy or water (policy §4)."""
    found = _sic_match(raw)
    if found is None or found[1].defra_group not in _UTILITY_SIC:
        return None
    code, group = found[0], found[1].defra_group
    return f"sic {code}", _SicTarget(None, None, _UTILITY_SIC[group], group, "medium")


def _naics(table: Mapping[str, NaicsMapping]) -> Callable[[str], tuple[str, TargetLike] | None]:
    def look(raw: str) -> tuple[str, TargetLike] | None:
        digits = re.sub(r"\D", "", raw)[:6]
        if digits in table:
            return digits, table[digits].target
        # Not a published NAICS-6 code: the first code under the longest known prefix.
        for width in range(min(len(digits), 5), 1, -1):
            under = sorted(c for c in table if c.startswith(digits[:width]))
            if under:
                return under[0], table[under[0]].target
        return None

    return look


def _exact(table: Mapping[str, CodeMapping]) -> Callable[[str], tuple[str, TargetLike] | None]:
    def look(raw: str) -> tuple[str, TargetLike] | None:
        code = raw.strip().split(".")[0]
        found = table.get(code)
        return (code, found.target) if found is not None else None

    return look


def _mcc(table: Mapping[str, CodeMapping]) -> Callable[[str], tuple[str, TargetLike] | None]:
    def look(raw: str) -> tuple[str, TargetLike] | None:
        found = lookup_mcc(table, raw)
        return (found.code, found.target) if found is not None else None

    return look


def _two_digit(table: Mapping[str, CodeMapping]) -> Callable[[str], tuple[str, TargetLike] | None]:
    """Look a code up by its first two digits (a CPV division, a UNSPSC segment)."""

    def look(raw: str) -> tuple[str, TargetLike] | None:
        digits = re.sub(r"\D", "", raw)
        found = table.get(digits[:2]) if len(digits) >= 2 else None
        return (digits[:2], found.target) if found is not None else None

    return look


def _matcher(
    rules: RuleSet,
) -> Callable[[str | None, str | None, str | None], tuple[str, TargetLike] | None]:
    def match(
        expense_type: str | None, description: str | None, supplier: str | None
    ) -> tuple[str, TargetLike] | None:
        hit = rules.match(expense_type, description, supplier)
        return (hit.rule.rule_id, hit.target) if hit is not None else None

    return match


def _rule_target(row: ClassificationRule | SupplierDefault) -> Target:
    return Target(
        defra_group=row.defra_group,
        scope3_category=row.scope3_category or (1 if row.defra_group else None),
        exclude_reason=row.exclude_reason,
        if_included=getattr(row, "if_included", None),
        # A person wrote the rule or default (high); or accepted a suggestion (medium).
        confidence="medium" if getattr(row, "origin", "rule") == "suggestion" else "high",
        note=row.note or "",
        made_by=row.created_by,
        naics_code=row.naics_code,
    )


def _rule_set(rows: list[ClassificationRule]) -> RuleSet | None:
    usable = [r for r in rows if rule_problem(r) is None]
    if not usable:
        return None
    return RuleSet(
        [
            Rule(
                rule_id=r.rule_id,
                priority=r.priority,
                field=r.field,  # type: ignore[arg-type]
                pattern=r.pattern,
                match=r.match,  # type: ignore[arg-type]
                target=_rule_target(r),
            )
            for r in usable
        ]
    )


def rule_problem(rule: ClassificationRule) -> str | None:
    """Why a stored rule cannot be used (stored before patterns were checked on write),
    or None. Such a rule is skipped, so that it can never stop an authority's inventory."""
    try:
        compile_pattern(rule.pattern, rule.match, f"rule {rule.rule_id}")
    except ClassificationDataError as exc:
        return f"{exc}; skipped (mend it or run tracker rules delete {rule.rule_id})"
    return None


def skipped_rules(session: Session, authority: Authority) -> list[str]:
    """A warning for each of the authority's (and the shared) rules that is skipped."""
    problems = (rule_problem(r) for r in authority_rules(session, authority))
    return [p for p in problems if p is not None]


def authority_rules(session: Session, authority: Authority) -> list[ClassificationRule]:
    return list(
        session.scalars(
            select(ClassificationRule)
            .where(
                or_(
                    ClassificationRule.authority_id == authority.id,
                    ClassificationRule.authority_id.is_(None),
                )
            )
            .order_by(ClassificationRule.priority, ClassificationRule.id)
        )
    )


def _rule_fields(r: ClassificationRule) -> list[Any]:
    """Everything of a stored rule that can change how it classifies."""
    return [
        r.id, r.rule_id, r.priority, r.field, r.pattern, r.match, r.defra_group,
        r.exclude_reason, r.if_included, r.scope3_category, r.origin, r.naics_code,
    ]  # fmt: skip


def rule_digests(session: Session, authority: Authority) -> dict[str, str]:
    """A short digest of each of the authority's (and the shared) stored rules by id: an
    inventory run records them, so an out-of-date run can say how many rules changed."""
    return {
        str(r.id): hashlib.sha256(json.dumps(_rule_fields(r), default=str).encode()).hexdigest()[
            :12
        ]
        for r in authority_rules(session, authority)
    }


def _supplier_defaults(session: Session, authority: Authority) -> list[Any]:
    """The supplier defaults that apply to the authority, with each supplier's name key:
    its own first (they win), then the shared ones."""
    return list(
        session.execute(
            select(SupplierDefault, Supplier.name_key)
            .join(Supplier, Supplier.id == SupplierDefault.supplier_id)
            .where(
                or_(
                    SupplierDefault.authority_id == authority.id,
                    SupplierDefault.authority_id.is_(None),
                )
            )
            .order_by(SupplierDefault.authority_id.is_(None).desc())  # own defaults win
        ).all()
    )


def _fingerprint(
    rules: Sequence[ClassificationRule], defaults: Sequence[Any], authority: Authority
) -> str:
    return hashlib.sha256(
        json.dumps(
            {
                "rules": [_rule_fields(r) for r in rules],
                "defaults": sorted(
                    [k, d.defra_group, d.exclude_reason, d.scope3_category, d.naics_code]
                    for d, k in defaults
                ),
                "included": sorted(authority.included_exclusions or ()),
                "shipped": shipped_fingerprint(),
            },
            default=str,
        ).encode()
    ).hexdigest()[:16]


def classification_fingerprint(session: Session, authority: Authority) -> str:
    """The fingerprint ``build_classifier`` gives, without building the classifier (to
    tell whether an inventory run is out of date)."""
    rules = authority_rules(session, authority)
    return _fingerprint(rules, _supplier_defaults(session, authority), authority)


def build_classifier(session: Session, authority: Authority) -> tuple[Classifier, str]:
    """The authority's classifier and a fingerprint of everything that can change it."""
    t = _tables()
    rules = authority_rules(session, authority)
    own = _rule_set([r for r in rules if r.origin != "suggestion"])
    accepted = _rule_set([r for r in rules if r.origin == "suggestion"])
    defaults = _supplier_defaults(session, authority)
    supplier_defaults: dict[str, TargetLike] = {key: _rule_target(d) for d, key in defaults}
    classifier = Classifier(
        codes=(
            (Method.NAICS, lambda ln: ln.naics, _naics(t.naics)),
            (Method.PROCLASS, lambda ln: ln.proclass, _exact(t.proclass)),
            (Method.MCC, lambda ln: ln.mcc, _mcc(t.mcc)),
            (Method.CPV, lambda ln: ln.cpv, _two_digit(t.cpv)),
            (Method.UNSPSC, lambda ln: ln.unspsc, _two_digit(t.unspsc)),
        ),
        authority_rules=_matcher(own) if own is not None else None,
        library=_matcher(library()),
        suggestions=_matcher(accepted) if accepted is not None else None,
        policy=_matcher(policy()),
        supplier_code=_sic,
        supplier_policy=_sic_policy,
        supplier_defaults=supplier_defaults,
        included=frozenset(authority.included_exclusions or ()),
    )
    return classifier, _fingerprint(rules, defaults, authority)


__all__ = ["LineInputs", "build_classifier", "default_resolver", "library"]
