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
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from factors.classification import normalise
from tracker import queries
from tracker.domain.signoff import at_stake_kg
from tracker.domain.suggest import Suggestion, strongest, suggest
from tracker.domain.suggest_words import WordModel, suggest_from_words
from tracker.domain.suppliers import supplier_key
from tracker.models import Authority, InventoryRun
from tracker.queries import ReviewGroup
from tracker.services.evidence import evidence_of
from tracker.services.inventory import ensure_inventory
from tracker.services.rules import add_rule
from tracker.services.signoff import run_intensity

SUGGESTION_PRIORITY = 100


RANKS = ("spend", "tonnes")


@dataclass(frozen=True)
class ReviewItem:
    group: ReviewGroup
    suggestion: Suggestion | None
    at_stake_kg: Decimal = Decimal(0)  # kgCO2e × doubt (tracker.domain.signoff)


def review_queue(
    session: Session, *, authority: Authority, year: int, limit: int = 30, rank: str = "spend"
) -> tuple[InventoryRun, list[ReviewItem]]:
    """The year's unclassified and low-confidence groups, largest spend first (``rank``
    "tonnes": most tonnes at stake first), each with the most confident suggestion learned
    from the classified spend it may learn from (its own and that of authorities sharing
    their figures) with the same or a similar supplier or expense type."""
    if rank not in RANKS:
        raise ValueError(f"rank must be one of {', '.join(RANKS)}, not {rank!r}")
    run = ensure_inventory(session, authority=authority, year=year)
    intensity = run_intensity(run)
    stake: dict[ReviewGroup, Decimal] = {}
    if rank == "tonnes":
        every = queries.review_queue(session, run_id=run.id, authority_id=authority.id, limit=None)
        stake = {g: _at_stake(g, intensity) for g in every}
        groups = sorted(every, key=lambda g: stake[g], reverse=True)[:limit]
    else:
        groups = queries.review_queue(
            session, run_id=run.id, authority_id=authority.id, limit=limit
        )
        stake = {g: _at_stake(g, intensity) for g in groups}
    if not groups:  # nothing to suggest for: skip reading the evidence
        return run, []
    suppliers, expense_types, model = evidence_of(session, run.factor_family, authority.id)
    descriptions = queries.review_descriptions(
        session, run_id=run.id, authority_id=authority.id, groups=groups
    )
    items = [
        ReviewItem(
            g,
            strongest(
                suggest(supplier_key(g.supplier) if g.supplier else None, suppliers),
                suggest(normalise(g.expense_type or ""), expense_types, "expense_type"),
                _from_words(g, descriptions.get((g.supplier, g.expense_type), []), model),
            ),
            stake[g],
        )
        for g in groups
    ]
    return run, items


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
        if s is None or g.status != "unmapped" or s.confidence < threshold:
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
