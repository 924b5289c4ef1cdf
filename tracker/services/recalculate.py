"""Computing inventories is an explicit step, never part of a read.

Reports, downloads and pages only read the run a year has (tracker.services.versions
``shown_run``) and say when it is out of date. Inventories are brought up to date here:
after an import, after a change of rules, overrides, supplier defaults or factors, rates
or policy, by ``tracker classify`` and by the dashboard's Recalculate action.

A year that cannot be computed (a missing exchange rate, price index or factor) is
marked pending with the reason, which names what to load ("No GBP→USD exchange rate for
2022. Load the annual average rate with `tracker rates load FILE` …"); the other years are
still done, and the mark goes once the year computes.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.domain.periods import fy_label, fy_of
from tracker.errors import FactorDataError
from tracker.models import Authority, InventoryPending, InventoryRun, SpendLine
from tracker.services.inventory.runs import ensure_inventory


def spend_years(session: Session, authority: Authority) -> list[int]:
    """The financial years the authority has spend lines in, or an inventory of."""
    days = session.scalars(
        select(SpendLine.transaction_date).where(SpendLine.authority_id == authority.id).distinct()
    )
    runs = session.scalars(
        select(InventoryRun.fy_year).where(InventoryRun.authority_id == authority.id).distinct()
    )
    return sorted({fy_of(d, authority.fy_start_month) for d in days} | set(runs))


def not_computed_note(authority: Authority, year: int, reason: str) -> str:
    """The note the CLI and the upload page give for a year left pending (the same words
    on both paths)."""
    return f"inventory {fy_label(year, authority.fy_start_month)} not computed: {reason}"


def refresh_inventories(
    session: Session, *, authority: Authority, years: list[int] | None = None
) -> list[str]:
    """Bring each year's inventory up to date (default: every year with spend or a run).

    A year that cannot be computed yet is marked pending with the reason and given a
    note, leaving the others done; a year that computes loses its mark.
    """
    notes = []
    for year in sorted(set(spend_years(session, authority) if years is None else years)):
        try:
            with session.begin_nested():
                ensure_inventory(session, authority=authority, year=year)
        except FactorDataError as exc:
            _mark(session, authority.id, year, str(exc))
            notes.append(not_computed_note(authority, year, str(exc)))
        else:
            _clear(session, authority.id, year)
    return notes


def refresh_all(session: Session) -> list[str]:
    """Bring every authority's inventories up to date (after a change that applies to
    all of them: a shared supplier factor, loaded factor tables)."""
    notes = []
    for authority in session.scalars(select(Authority).order_by(Authority.code)):
        notes += [
            f"{authority.code}: {n}" for n in refresh_inventories(session, authority=authority)
        ]
    return notes


def refresh_after_change(session: Session, authority: Authority | None) -> list[str]:
    """Bring inventories up to date after a change of rules, supplier defaults or factors:
    the authority's, or every authority's for a shared change (``authority`` None)."""
    if authority is None:
        return refresh_all(session)
    return refresh_inventories(session, authority=authority)


def pending_reason(session: Session, authority_id: int, year: int) -> str | None:
    """Why the year's inventory could not be computed at its last refresh, or None."""
    return session.scalar(
        select(InventoryPending.reason).where(
            InventoryPending.authority_id == authority_id, InventoryPending.fy_year == year
        )
    )


def pending_years(session: Session, authority_id: int, years: list[int]) -> list[int]:
    """Which of ``years`` are waiting (could not be computed at their last refresh)."""
    return sorted(
        session.scalars(
            select(InventoryPending.fy_year).where(
                InventoryPending.authority_id == authority_id,
                InventoryPending.fy_year.in_(years),
            )
        )
    )


def _mark(session: Session, authority_id: int, year: int, reason: str) -> None:
    _clear(session, authority_id, year)
    session.add(InventoryPending(authority_id=authority_id, fy_year=year, reason=reason))
    session.flush()


def _clear(session: Session, authority_id: int, year: int) -> None:
    session.execute(
        delete(InventoryPending).where(
            InventoryPending.authority_id == authority_id, InventoryPending.fy_year == year
        )
    )
