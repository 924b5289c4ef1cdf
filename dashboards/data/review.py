"""The review page's data: the classification queue with suggestions, accepting a
suggestion, and writing a rule. Reading needs sight of the authority; changing it needs
``Viewer.can_edit`` (officers of the authority, admins).

Suggestions are learned from the authority's own classified spend and that of authorities
sharing their figures (never from an authority that does not share); only the suggested
category, its confidence and the kind of evidence are shown: the name of a similar
supplier found in another authority's spend is not passed on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dashboards.data.access import authority_for, editable_authority
from dashboards.data.actions import actor_of
from dashboards.data.sessions import read_session, write_session
from factors.classification import defra_group_names
from tracker.access import Viewer
from tracker.domain.treatments import Difference
from tracker.errors import TrackerError
from tracker.models import InventoryRun
from tracker.services.classification import review, rules
from tracker.services.classification.builder import rule_problem
from tracker.services.recalculate import refresh_inventories
from tracker.services.treatments import treatment_differences

QUEUE_LIMIT = 30
DIFFERENCES_SCANNED = 200  # largest differences read, of which this authority's are shown
DIFFERENCES_SHOWN = 10
RULE_FIELDS = ("expense_type", "description", "supplier", "any")


@dataclass(frozen=True)
class ReviewRow:
    supplier: str | None
    expense_type: str | None
    spend: Decimal
    lines: int
    status: str
    suggested_group: str | None
    suggested_name: str | None
    confidence: Decimal | None
    basis: str | None
    evidence: str | None = None  # what the suggestion rests on, in words
    confirms: bool = False  # the suggestion supports the current (low-confidence) category
    at_stake_kg: Decimal = Decimal(0)  # kgCO2e × doubt of the decision


@dataclass(frozen=True)
class ReviewQueue:
    code: str
    year: int
    currency: str
    can_edit: bool
    rows: tuple[ReviewRow, ...]
    # payees and expense types of this authority that others it may see treat otherwise
    treated_differently: tuple[Difference, ...] = ()
    total: int = 0  # groups in the whole queue; rows are those from ``offset`` on
    offset: int = 0

    @property
    def page(self) -> int:
        return self.offset // QUEUE_LIMIT

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.rows) < self.total

    def showing(self) -> str:
        """'Showing 31–60 of 112 groups' (or all of them)."""
        if not self.rows:
            return f"Showing 0 of {self.total:,} groups"
        first, last = self.offset + 1, self.offset + len(self.rows)
        if first == 1 and last == self.total:
            return f"Showing all {self.total:,} groups"
        return f"Showing {first:,}–{last:,} of {self.total:,} groups"


BASIS = {
    "same supplier": "the same supplier's classified spend",
    "similar supplier name": "a similar supplier name's classified spend",
    "same expense type": "the same expense type's classified spend",
    "similar expense type": "a similar expense type's classified spend",
}
WORDS = "words: "  # the words are the group's own, so they may be shown


def _basis(text: str) -> str:
    """The kind of evidence, without the supplier name or expense type found in another
    authority's spend. A word suggestion names the group's own words that classified
    spend elsewhere also uses."""
    if text.startswith(WORDS):
        return f"classified spend with the words {text[len(WORDS) :]}"
    return BASIS.get(text.split(":", 1)[0].strip(), "classified spend")


def _rank(rank: object) -> str:
    """The queue's order as asked (spend or tonnes at stake); spend for anything else."""
    return rank if isinstance(rank, str) and rank in review.RANKS else "spend"


def _page(page: object) -> int:
    """A page number as sent by the browser: a non-negative int, else the first page."""
    return page if isinstance(page, int) and not isinstance(page, bool) and page > 0 else 0


def review_queue(
    viewer: Viewer, code: str, year: int, rank: object = "spend", page: object = 0
) -> ReviewQueue:
    """Page ``page`` (from 0, QUEUE_LIMIT groups a page; past the end: the last page) of
    the year's unclassified and low-confidence spend, largest first (``rank`` "tonnes":
    most tonnes at stake first), with suggestions, from the year's inventory as it is (a
    read-only session: changes made on this page recalculate it when they are made)."""
    names = defra_group_names()
    with read_session() as session:
        authority = authority_for(session, viewer, code)

        def read(offset: int) -> tuple[InventoryRun, list[review.ReviewItem]]:
            return review.review_queue(
                session,
                authority=authority,
                year=year,
                limit=QUEUE_LIMIT,
                rank=_rank(rank),
                offset=offset,
            )

        offset = _page(page) * QUEUE_LIMIT
        run, items = read(offset)
        total = review.review_group_count(session, run=run)
        if not items and offset >= total > 0:  # past the end (the queue shrank): last page
            offset = (total - 1) // QUEUE_LIMIT * QUEUE_LIMIT
            run, items = read(offset)
        rows = tuple(
            ReviewRow(
                supplier=i.group.supplier,
                expense_type=i.group.expense_type,
                spend=i.group.spend,
                lines=i.group.lines,
                status=i.group.status,
                suggested_group=i.suggestion.defra_group if i.suggestion else None,
                suggested_name=names.get(i.suggestion.defra_group) if i.suggestion else None,
                confidence=i.suggestion.confidence if i.suggestion else None,
                basis=_basis(i.suggestion.basis) if i.suggestion else None,
                evidence=(i.suggestion.evidence or None) if i.suggestion else None,
                confirms=i.confirms,
                at_stake_kg=i.at_stake_kg,
            )
            for i in items
        )
        differ = treatment_differences(session, viewer, year=year, top=DIFFERENCES_SCANNED)
        return ReviewQueue(
            authority.code,
            year,
            authority.currency,
            viewer.can_edit(authority.id),
            rows,
            tuple(d for d in differ if d.involves(authority.code))[:DIFFERENCES_SHOWN],
            total=total,
            offset=offset,
        )


def accept_suggestion(
    viewer: Viewer, code: str, year: int, index: int, rank: object = "spend", page: object = 0
) -> str:
    """Make the suggestion of row ``index`` of page ``page`` of this authority's own queue
    in the order ``rank`` (as computed here, on the server) the authority's default
    category for that row's supplier."""
    with write_session() as session:
        authority = editable_authority(session, viewer, code)
        _run, items = review.review_queue(
            session,
            authority=authority,
            year=year,
            limit=QUEUE_LIMIT,
            rank=_rank(rank),
            offset=_page(page) * QUEUE_LIMIT,
        )
        item = items[index] if 0 <= index < len(items) else None
        if item is None or item.suggestion is None:
            raise TrackerError("That row has no suggestion to accept; look again.")
        what = item.group.supplier or item.group.expense_type or "this spend"
        accepted = review.accept_suggestions(
            session,
            authority=authority,
            items=[item],
            threshold=Decimal(0),
            actor=actor_of(viewer),
        )
        if not accepted:
            raise TrackerError("Only unclassified spend can take a suggestion.")
        notes = refresh_inventories(session, authority=authority)
        return (
            f"{what} is now classified as group {item.suggestion.defra_group} for "
            f"{authority.code}; the inventories are recalculated."
        ) + "".join(f" {n}" for n in notes)


@dataclass(frozen=True)
class RuleRow:
    rule_id: str
    field: str
    match: str
    pattern: str
    target: str  # the Defra group, or "excluded: reason"
    problem: str | None  # why the classifier skips it (a pattern stored before checks)


def own_rules(viewer: Viewer, code: str) -> tuple[tuple[RuleRow, ...], bool]:
    """The authority's own rules (not the shared ones) and whether the viewer may edit."""
    with read_session() as session:
        authority = authority_for(session, viewer, code)
        rows = tuple(
            RuleRow(
                r.rule_id,
                r.field,
                r.match,
                r.pattern,
                r.defra_group or f"excluded: {r.exclude_reason}",
                rule_problem(r),
            )
            for r in rules.list_rules(session, authority)
        )
        return rows, viewer.can_edit(authority.id)


def delete_rule(viewer: Viewer, code: str, rule_id: str) -> str:
    with write_session() as session:
        authority = editable_authority(session, viewer, code)
        rules.delete_rule(session, authority=authority, rule_id=rule_id)
        notes = refresh_inventories(session, authority=authority)
        return (
            f"Rule {rule_id} deleted from {authority.code}; the inventories are recalculated."
        ) + "".join(f" {n}" for n in notes)


def rule_form_missing(
    pattern: str, field: str, defra_group: str | None, naics: str | None
) -> list[str]:
    """What the rule form still needs, every item at once, in the order of the form."""
    missing = []
    if len(pattern.strip()) < 3:
        missing.append("the text to look for (at least three characters)")
    if field not in RULE_FIELDS:
        missing.append(f"where to look ({', '.join(f.replace('_', ' ') for f in RULE_FIELDS)})")
    if not defra_group and not naics:
        missing.append("the category the matching spend belongs to (or a NAICS code)")
    return missing


def add_rule(
    viewer: Viewer,
    code: str,
    *,
    pattern: str,
    field: str,
    defra_group: str | None,
    naics: str | None = None,
) -> str:
    """A classification rule of this authority: text that ``field`` contains → group, or
    (a US authority) → an EPA NAICS-6 commodity."""
    pattern = (pattern or "").strip()
    naics = (naics or "").strip() or None
    missing = rule_form_missing(pattern, field, defra_group, naics)
    if missing:
        raise TrackerError("To add the rule, give " + "; ".join(missing) + ".")
    if defra_group and naics:
        raise TrackerError("Choose a category or give a NAICS code, not both.")
    with write_session() as session:
        authority = editable_authority(session, viewer, code)
        rule_id = f"dash-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}"
        rule = rules.add_rule(
            session,
            authority=authority,
            rule_id=rule_id,
            pattern=pattern,
            field=field,
            match="contains",
            defra_group=defra_group or None,
            naics=naics,
            actor=actor_of(viewer),
        )
        target = (
            f"NAICS {rule.naics_code} (group {rule.defra_group})"
            if naics
            else (f"group {defra_group}")
        )
        notes = refresh_inventories(session, authority=authority)
        return f"Rule {rule_id} added: {field} containing “{pattern}” → {target}." + "".join(
            f" {n}" for n in notes
        )
