"""The review queue with suggestions, and accepting them as supplier defaults."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from tracker import queries
from tracker.domain.suggest import Suggestion, suggest
from tracker.domain.suppliers import supplier_key
from tracker.models import Authority, InventoryRun
from tracker.queries import ReviewGroup
from tracker.services.inventory import ensure_inventory
from tracker.services.rules import set_supplier_default


@dataclass(frozen=True)
class ReviewItem:
    group: ReviewGroup
    suggestion: Suggestion | None


def review_queue(
    session: Session, *, authority: Authority, year: int, limit: int = 30
) -> tuple[InventoryRun, list[ReviewItem]]:
    """The year's unclassified and low-confidence groups, largest first, with suggestions
    learned from how every authority's classified spend with the same supplier went."""
    run = ensure_inventory(session, authority=authority, year=year)
    groups = queries.review_queue(session, run_id=run.id, authority_id=authority.id, limit=limit)
    evidence = queries.classified_supplier_spend(session)
    items = [
        ReviewItem(g, suggest(supplier_key(g.supplier) if g.supplier else None, evidence))
        for g in groups
    ]
    return run, items


def accept_suggestions(
    session: Session,
    *,
    authority: Authority,
    items: list[ReviewItem],
    threshold: Decimal,
    actor: str,
) -> list[ReviewItem]:
    """Make every unclassified group's suggestion with confidence ≥ ``threshold`` a
    supplier default of this authority (a person chose the threshold and ran this)."""
    accepted = []
    done: set[str] = set()
    for item in items:
        s, g = item.suggestion, item.group
        if s is None or g.supplier is None or g.status != "unmapped" or s.confidence < threshold:
            continue
        if g.supplier in done:
            continue
        set_supplier_default(
            session,
            authority=authority,
            supplier_name=g.supplier,
            defra_group=s.defra_group,
            exclude_reason=None,
            scope3_category=None,
            actor=actor,
            note=f"accepted suggestion ({s.basis}, confidence {s.confidence})",
        )
        done.add(g.supplier)
        accepted.append(item)
    return accepted
