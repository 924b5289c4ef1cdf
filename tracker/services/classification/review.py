"""The review queue with suggestions, and accepting them.

An accepted suggestion becomes a rule of the authority with origin "suggestion": an exact
match on the supplier name or the expense type it was learned from (a suggestion from
the words of a group's texts keys on the group's supplier, or its expense type). Such rules apply
only after the shared library (tracker.domain.classify), so they never override a code,
a supplier default or a rule a person wrote; the lines they classify carry the method
"suggestion".
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy.orm import Session

from factors.classification import normalise
from tracker.domain.codes import LineStatus
from tracker.domain.signoff import at_stake_kg
from tracker.domain.suggest import Backing, Suggestion, describe, strongest, suggest
from tracker.domain.suggest_words import WordModel, suggest_from_words
from tracker.domain.suppliers import supplier_key
from tracker.models import Authority, InventoryRun
from tracker.queries import review as review_queries
from tracker.queries.review import ReviewGroup
from tracker.services.classification.evidence import EXPENSE_TYPE, SUPPLIER, backing, evidence_of
from tracker.services.classification.rules import add_rule
from tracker.services.classification.signoff import run_intensity
from tracker.services.versions import shown_run

SUGGESTION_PRIORITY = 100


RANKS = ("spend", "tonnes")


@dataclass(frozen=True)
class ReviewItem:
    group: ReviewGroup
    suggestion: Suggestion | None
    at_stake_kg: Decimal = Decimal(0)  # kgCO2e × doubt (tracker.domain.signoff)

    @property
    def confirms(self) -> bool:
        """Whether the suggestion supports the group's current (low-confidence) category:
        nothing to accept, the evidence only backs what was decided."""
        s, g = self.suggestion, self.group
        return s is not None and g.status == LineStatus.MAPPED and s.defra_group == g.category


def review_queue(
    session: Session,
    *,
    authority: Authority,
    year: int,
    limit: int = 30,
    rank: str = "spend",
    offset: int = 0,
) -> tuple[InventoryRun, list[ReviewItem]]:
    """The year's unclassified and low-confidence groups, largest spend first (``rank``
    "tonnes": most tonnes at stake first), each with the most confident suggestion learned
    from the classified spend it may learn from (its own and that of authorities sharing
    their figures) with the same or a similar supplier or expense type. ``offset`` groups
    of that order are skipped first (a later page of the queue)."""
    if rank not in RANKS:
        raise ValueError(f"rank must be one of {', '.join(RANKS)}, not {rank!r}")
    if offset < 0:
        raise ValueError(f"offset must not be negative, not {offset}")
    run = shown_run(session, authority, year)  # a read: never computed here
    if rank == "tonnes":
        every = review_queries.review_queue(
            session, run_id=run.id, authority_id=authority.id, limit=None
        )
        intensity = run_intensity(run)
        stake = {g: _at_stake(g, intensity) for g in every}
        groups = sorted(every, key=lambda g: stake[g], reverse=True)[offset : offset + limit]
    else:
        groups = review_queries.review_queue(
            session, run_id=run.id, authority_id=authority.id, limit=limit, offset=offset
        )
    return run, suggestions_for(session, run=run, groups=groups)


def review_group_count(session: Session, *, run: InventoryRun) -> int:
    """How many groups the run's review queue holds in all (for "showing N of M")."""
    return review_queries.review_group_count(session, run_id=run.id, authority_id=run.authority_id)


def suggestions_for(
    session: Session, *, run: InventoryRun, groups: Sequence[ReviewGroup]
) -> list[ReviewItem]:
    """Review groups of ``run`` (supplier, expense type, status and category of some of
    its lines) with their tonnes at stake and their suggestions, learned from the evidence
    the run's authority may learn from, each saying what it rests on."""
    if not groups:  # nothing to suggest for: skip reading the evidence
        return []
    learner = run.authority_id
    suppliers, expense_types, model = evidence_of(session, run.factor_family, learner)
    descriptions = review_queries.review_descriptions(
        session, run_id=run.id, authority_id=learner, groups=groups
    )
    found = [
        (
            g,
            strongest(
                suggest(supplier_key(g.supplier) if g.supplier else None, suppliers),
                suggest(normalise(g.expense_type or ""), expense_types, "expense_type"),
                _from_words(g, descriptions.get((g.supplier, g.expense_type), []), model),
            ),
        )
        for g in groups
    ]
    wanted = {
        field: {(s.key, s.defra_group) for _, s in found if s and s.key and s.field == field}
        for field in (SUPPLIER, EXPENSE_TYPE)
    }
    backings = {
        field: backing(session, run.factor_family, learner, field, keys)
        for field, keys in wanted.items()
    }
    intensity = run_intensity(run)
    return [ReviewItem(g, _with_evidence(s, backings), _at_stake(g, intensity)) for g, s in found]


def _with_evidence(
    s: Suggestion | None, backings: dict[str, dict[tuple[str, str], Backing]]
) -> Suggestion | None:
    """A supplier or expense-type suggestion with what it rests on in words (the lines
    behind it in the authority and in authorities sharing with it); a word suggestion
    says its words already."""
    if s is None or s.key is None:
        return s
    b = backings[s.field].get((s.key, s.defra_group))
    return replace(s, evidence=describe(s, b)) if b is not None else s


def _at_stake(group: ReviewGroup, intensity: Decimal) -> Decimal:
    """A review group's kgCO2e at stake: classified or excluded ones are there for their
    low confidence."""
    return at_stake_kg(group.status, "low", group.spend, group.kgco2e, intensity)


def _from_words(group: ReviewGroup, descriptions: list[str], model: WordModel) -> Suggestion | None:
    """The suggestion from the words of the group's supplier name, expense type and line
    descriptions; accepting it keys a rule on the supplier (or, without one, the expense
    type)."""
    field = "supplier" if group.supplier else "expense_type"
    if not (group.supplier or group.expense_type):
        return None
    texts = [group.supplier, group.expense_type, *descriptions]
    return suggest_from_words(texts, model, field)


def accept_suggestions(
    session: Session,
    *,
    authority: Authority,
    items: list[ReviewItem],
    threshold: Decimal,
    actor: str,
) -> list[ReviewItem]:
    """Accept every unclassified group's suggestion with confidence ≥ ``threshold`` as a
    rule of this authority (a person chose the threshold and ran this)."""
    accepted = []
    done: set[tuple[str, str]] = set()
    for item in items:
        s, g = item.suggestion, item.group
        if s is None or g.status != LineStatus.UNMAPPED or s.confidence < threshold:
            continue
        text = g.supplier if s.field == "supplier" else g.expense_type
        if not text or (s.field, text) in done:
            continue
        digest = hashlib.sha256(f"{s.field}\x1f{normalise(text)}".encode()).hexdigest()[:10]
        add_rule(
            session,
            authority=authority,
            rule_id=f"S-{digest}",
            pattern=text,
            field=s.field,
            match="exact",
            priority=SUGGESTION_PRIORITY,
            defra_group=s.defra_group,
            note=f"accepted suggestion ({s.basis}, confidence {s.confidence})",
            actor=actor,
            origin="suggestion",
        )
        done.add((s.field, text))
        accepted.append(item)
    return accepted
