"""The sign-off page's data: the fewest groups of lines making 80 % of a year's tonnes,
with the evidence that decided each, and confirming them.

Reading needs sight of the authority's lines; confirming needs ``Viewer.can_confirm``
(the authority's own officers; leadership and admins read only). A confirmation names
the group by its classification inputs (``class_key``), never by its row on the page,
so a list that moved since it was drawn cannot make a click confirm another group.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dashboards.data.access import authority_for
from dashboards.data.actions import actor_of
from dashboards.data.sessions import read_session, write_session
from tracker.access import AccessDenied, Viewer
from tracker.domain.codes import LineStatus
from tracker.domain.vocabulary import exclusion_name
from tracker.errors import TrackerError
from tracker.services.classification import signoff


@dataclass(frozen=True)
class SignoffRow:
    class_key: str
    supplier: str | None
    description: str | None
    expense_type: str | None
    decision: str  # the category (and factor) or the exclusion
    evidence: str  # what decided and what lost
    confidence: str | None
    spend: Decimal
    lines: int
    kg: Decimal  # what the group adds to the year (unclassified: estimated)
    at_stake_kg: Decimal
    confirmation: str  # "not confirmed", "confirmed (…)", "needs re-confirming (…)"
    confirmable: bool  # classified or excluded, and not confirmed as it stands


@dataclass(frozen=True)
class SignoffView:
    code: str
    year: int
    currency: str
    can_confirm: bool
    total_kg: Decimal
    covered_kg: Decimal
    confirmed: int
    rows: tuple[SignoffRow, ...]


def signoff_view(viewer: Viewer, code: str, year: int) -> SignoffView:
    """The year's sign-off list, from the year's inventory as it is (a read-only
    session)."""
    with read_session() as session:
        authority = authority_for(session, viewer, code)
        s = signoff.signoff(session, authority=authority, year=year)
        rows = tuple(_row(g) for g in s.groups)
        return SignoffView(
            code=authority.code,
            year=year,
            currency=authority.currency,
            can_confirm=viewer.can_confirm(authority.id),
            total_kg=s.total_kg,
            covered_kg=s.covered_kg,
            confirmed=s.confirmed,
            rows=rows,
        )


def decision_words(g: signoff.SignoffGroup) -> str:
    """The group's decision as the page shows it: the category (and factor), "excluded as
    …" with the reason's label, or "not classified"."""
    d = g.decision
    if d.status == LineStatus.EXCLUDED:
        return f"excluded as {exclusion_name(d.exclusion)}" if d.exclusion else "excluded"
    if d.status == LineStatus.UNMAPPED:
        return "not classified"
    return signoff.decision_text(g)


def evidence_in_words(g: signoff.SignoffGroup) -> str:
    """What decided the group and what lost, in words (one text with the CLI's)."""
    return signoff.evidence_text(g)


def _row(g: signoff.SignoffGroup) -> SignoffRow:
    state = g.confirmation.state if g.confirmation else None
    return SignoffRow(
        class_key=g.class_key,
        supplier=g.supplier,
        description=g.description,
        expense_type=g.expense_type,
        decision=decision_words(g),
        evidence=evidence_in_words(g),
        confidence=g.confidence,
        spend=g.spend,
        lines=g.lines,
        kg=g.counted_kg,
        at_stake_kg=g.at_stake_kg,
        confirmation=signoff.confirmation_text(g),
        confirmable=g.decision.status != LineStatus.UNMAPPED and state != "confirmed",
    )


def confirm(viewer: Viewer, code: str, year: int, class_key: str) -> str:
    """Confirm the decision of the sign-off group with ``class_key`` (as the server reads
    the list now); a message for the user."""
    with write_session() as session:
        authority = authority_for(session, viewer, code)
        if not viewer.can_confirm(authority.id):
            raise AccessDenied("Only the authority's officers may confirm its classifications.")
        s = signoff.signoff(session, authority=authority, year=year)
        group = next((g for g in s.groups if g.class_key == class_key), None)
        if group is None:
            raise TrackerError("That group is no longer in the sign-off list; look again.")
        signoff.confirm_group(
            session, authority=authority, year=year, group=group, actor=actor_of(viewer)
        )
        what = group.supplier or group.expense_type or "this spend"
        return f"Confirmed: {what} → {decision_words(group)}."
