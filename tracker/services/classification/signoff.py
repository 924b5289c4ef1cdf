"""The sign-off review: a year's lines grouped by decision, tonnes at stake, confirmations.

A *group* is the lines of one run with the same classification inputs (``class_key``:
the same supplier, description, expense type and codes) and the same decision. The
doubt, tonnes-at-stake and sign-off-list arithmetic is tracker.domain.signoff; this
module reads the groups and records confirmations (``line_confirmation``), with an audit
entry for each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from tracker.domain.codes import LineStatus
from tracker.domain.signoff import (
    ZERO,
    Decision,
    at_stake_kg,
    average_intensity,
    confirmation_state,
    counted_kg,
    doubt,
    signoff_list,
)
from tracker.domain.vocabulary import decided_by_name, evidence_words
from tracker.errors import NotFoundError, TrackerError
from tracker.models import (
    Authority,
    Factor,
    InventoryRun,
    LineConfirmation,
    LineEmission,
    SpendLine,
)
from tracker.reports.line_detail import DECIDED_BY
from tracker.services.versions import record, shown_run


@dataclass(frozen=True)
class Confirmation:
    by: str
    on: dt.datetime
    state: str  # "confirmed" or "needs re-confirming"


@dataclass(frozen=True)
class SignoffGroup:
    class_key: str
    supplier: str | None
    description: str | None
    expense_type: str | None
    decision: Decision
    category_name: str | None
    confidence: str | None
    method: str | None  # the evidence that decided: sic, proclass, rule, library, ...
    rule: str | None  # the code, rule id or supplier that decided
    decided_by: str | None  # who wrote that rule (or the shipped table)
    overruled: str | None  # the evidence that disagreed and lost
    spend: Decimal
    kgco2e: Decimal  # the group's own (0 unless classified)
    lines: int
    first_line_id: int
    counted_kg: Decimal  # what it adds to the year (unclassified: estimated)
    doubt: Decimal
    at_stake_kg: Decimal
    confirmation: Confirmation | None


@dataclass(frozen=True)
class Signoff:
    run: InventoryRun
    intensity: Decimal  # kgCO2e per unit of currency of the classified spend
    total_kg: Decimal  # the year's kg, unclassified spend estimated
    groups: list[SignoffGroup]  # the fewest groups making 80 % of it, largest first
    covered_kg: Decimal

    @property
    def confirmed(self) -> int:
        return sum(1 for g in self.groups if g.confirmation and g.confirmation.state == "confirmed")


_EXCLUSION = case((LineEmission.status == LineStatus.EXCLUDED, LineEmission.reason))
_GROUP_COLUMNS = (
    SpendLine.class_key,
    SpendLine.supplier_name,
    SpendLine.description,
    SpendLine.expense_type,
    LineEmission.status,
    LineEmission.category_code,
    Factor.code,
    _EXCLUSION,
    Factor.name,
    LineEmission.confidence,
    LineEmission.method,
    LineEmission.matched_code,
    DECIDED_BY,
    LineEmission.overruled,
)


def run_groups(session: Session, authority: Authority, run: InventoryRun) -> list[SignoffGroup]:
    """Every group of lines of ``run`` (an inventory of ``authority``), unordered."""
    stmt = (
        select(
            *_GROUP_COLUMNS,
            func.sum(SpendLine.amount),
            func.sum(LineEmission.kgco2e),
            func.count(),
            func.min(SpendLine.id),
        )
        .select_from(LineEmission)
        .join(SpendLine, SpendLine.id == LineEmission.spend_line_id)
        .outerjoin(Factor, Factor.id == LineEmission.factor_id)
        .where(LineEmission.run_id == run.id, SpendLine.authority_id == authority.id)
        .group_by(*_GROUP_COLUMNS)
    )
    rows = session.execute(stmt).all()
    intensity = run_intensity(run)
    confirmed = _class_confirmations(session, authority.id)
    return [_group(r, intensity, confirmed) for r in rows]


def run_intensity(run: InventoryRun) -> Decimal:
    """The run's kgCO2e per unit of classified spend (excluded and unclassified lines
    carry no kg, so the run's total is the classified lines')."""
    return average_intensity(_d(run.mapped_spend), _d(run.total_kgco2e))


def _group(row: Any, intensity: Decimal, confirmed: dict[str, LineConfirmation]) -> SignoffGroup:
    (key, supplier, description, expense_type, status, category, factor_code, exclusion,
     name, confidence, method, rule, who, lost, spend, kg, lines, first) = row  # fmt: skip
    decision = Decision(status, category, factor_code, exclusion)
    spend, kg = _d(spend), _d(kg)
    c = confirmed.get(key or "")
    confirmation = None
    if c is not None:
        state = confirmation_state(_decision_of(c), decision)
        confirmation = Confirmation(c.confirmed_by, c.confirmed_at, state or "")
    return SignoffGroup(
        class_key=key or "",
        supplier=supplier,
        description=description,
        expense_type=expense_type,
        decision=decision,
        category_name=name,
        confidence=confidence,
        method=method,
        rule=rule,
        decided_by=who,
        overruled=lost,
        spend=spend,
        kgco2e=kg,
        lines=int(lines),
        first_line_id=int(first),
        counted_kg=counted_kg(status, spend, kg, intensity),
        doubt=doubt(status, confidence),
        at_stake_kg=at_stake_kg(status, confidence, spend, kg, intensity),
        confirmation=confirmation,
    )


def _class_confirmations(session: Session, authority_id: int) -> dict[str, LineConfirmation]:
    rows = session.scalars(
        select(LineConfirmation).where(
            LineConfirmation.authority_id == authority_id, LineConfirmation.class_key.is_not(None)
        )
    )
    return {c.class_key: c for c in rows if c.class_key}


def _decision_of(c: LineConfirmation) -> Decision:
    return Decision(c.status, c.category_code, c.factor_code, c.exclusion)


def signoff(session: Session, *, authority: Authority, year: int) -> Signoff:
    """The year's sign-off list: the fewest groups making 80 % of its tonnes (of the run
    the year shows; never computed here)."""
    run = shown_run(session, authority, year)
    groups = run_groups(session, authority, run)
    chosen = signoff_list(groups, lambda g: g.counted_kg)
    return Signoff(
        run=run,
        intensity=run_intensity(run),
        total_kg=sum((g.counted_kg for g in groups), ZERO),
        groups=chosen,
        covered_kg=sum((g.counted_kg for g in chosen), ZERO),
    )


def confirm_group(
    session: Session, *, authority: Authority, year: int, group: SignoffGroup, actor: str
) -> LineConfirmation:
    """Record that ``actor`` confirmed ``group``'s decision for every line with its
    classification inputs (replacing an earlier confirmation of them)."""
    if not group.class_key:
        raise TrackerError("these lines have no classification key yet; classify them first")
    session.execute(
        delete(LineConfirmation).where(
            LineConfirmation.authority_id == authority.id,
            LineConfirmation.class_key == group.class_key,
        )
    )
    return _confirm(session, authority, group, actor, class_key=group.class_key, year=year)


def confirm_line(
    session: Session, *, authority: Authority, year: int, line_id: int, actor: str
) -> LineConfirmation:
    """Record that ``actor`` confirmed the current decision of one spend line of the
    year's inventory (outranking a confirmation of its class)."""
    run = shown_run(session, authority, year)
    row = session.execute(
        select(*_GROUP_COLUMNS, SpendLine.amount, LineEmission.kgco2e, 1, SpendLine.id)
        .select_from(LineEmission)
        .join(SpendLine, SpendLine.id == LineEmission.spend_line_id)
        .outerjoin(Factor, Factor.id == LineEmission.factor_id)
        .where(
            LineEmission.run_id == run.id,
            SpendLine.authority_id == authority.id,
            SpendLine.id == line_id,
        )
    ).one_or_none()
    if row is None:
        raise NotFoundError(f"line {line_id} is not in {authority.code}'s {year} inventory")
    group = _group(row, run_intensity(run), {})
    session.execute(delete(LineConfirmation).where(LineConfirmation.spend_line_id == line_id))
    return _confirm(session, authority, group, actor, spend_line_id=line_id, year=year)


def _confirm(
    session: Session,
    authority: Authority,
    group: SignoffGroup,
    actor: str,
    *,
    class_key: str | None = None,
    spend_line_id: int | None = None,
    year: int | None = None,
) -> LineConfirmation:
    d = group.decision
    if d.status == LineStatus.UNMAPPED:
        raise TrackerError(
            f"{group.supplier or '(no supplier)'}: unclassified lines cannot be confirmed; "
            "classify them first"
        )
    c = LineConfirmation(
        authority_id=authority.id,
        class_key=class_key,
        spend_line_id=spend_line_id,
        status=d.status,
        category_code=d.category_code,
        factor_code=d.factor_code,
        exclusion=d.exclusion,
        method=group.method,
        decided_by=group.decided_by,
        confirmed_by=actor,
    )
    session.add(c)
    session.flush()
    record(
        session,
        actor=actor,
        action="confirm classification",
        authority=authority,
        year=year,
        details={
            "class_key": class_key,
            "spend_line_id": spend_line_id,
            "supplier": group.supplier,
            "status": d.status,
            "category_code": d.category_code,
            "factor_code": d.factor_code,
            "exclusion": d.exclusion,
            "method": group.method,
            "decided_by": group.decided_by,
            "lines": group.lines,
        },
    )
    return c


def _d(value: Any) -> Decimal:
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(str(value))


def decision_text(g: SignoffGroup) -> str:
    """The group's decision in words: the category (and factor) or the exclusion."""
    d = g.decision
    if d.status == LineStatus.EXCLUDED:
        return d.exclusion or "excluded"
    if d.status == LineStatus.UNMAPPED:
        return "unclassified"
    factor = (
        f" (factor {d.factor_code})" if d.factor_code and d.factor_code != d.category_code else ""
    )
    return f"{d.category_code} {g.category_name or ''}".strip() + factor


def evidence_text(g: SignoffGroup) -> str:
    """What decided the group and what lost, in words: "decided by supplier's SIC code
    42110 (shipped code crosswalk); disagreed: description (rule library) R058 pointing to
    86" (tracker.domain.vocabulary)."""
    decided = decided_by_name(g.method, g.rule) if g.method else "nothing"
    who = f" ({g.decided_by})" if g.decided_by else ""
    lost = f"; {evidence_words(g.overruled)}" if g.overruled else ""
    return f"decided by {decided}{who}{lost}"


def confirmation_text(g: SignoffGroup) -> str:
    c = g.confirmation
    if c is None:
        return "not confirmed"
    return f"{c.state} (confirmed by {c.by} on {c.on:%Y-%m-%d})"
