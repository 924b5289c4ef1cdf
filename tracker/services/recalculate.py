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

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.domain.periods import fy_bounds, fy_label, fy_of
from tracker.errors import FactorDataError
from tracker.models import Authority, InventoryPending, InventoryRun, SpendLine
from tracker.services.inventory.factor_tables import tables_identity
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
    all of them: a shared supplier factor)."""
    return _refresh_each(session, session.scalars(select(Authority).order_by(Authority.code)))


def refresh_factor_users(session: Session, family: str, edition: str) -> list[str]:
    """After factor sets of ``family`` ``edition`` were loaded: bring up to date the
    inventories of the authorities computed with that edition (no other's inputs changed),
    so that a year waiting for a factor year is computed and the others take the new one."""
    users = session.scalars(
        select(Authority)
        .where(
            Authority.default_factor_family == family,
            Authority.default_factor_edition == edition,
        )
        .order_by(Authority.code)
    )
    return _refresh_each(session, users)


def refresh_rate_users(session: Session, rates: Iterable[tuple[int, str, str]]) -> list[str]:
    """After exchange rates ``(year, base, quote)`` were loaded: bring up to date the years
    whose inputs name one of them, as a run records them (``inventory.runs``: the rates
    between its lines' currencies and its factors', for the calendar years its period
    spans); every other year's inputs are unchanged."""
    loaded = set(rates)
    if not loaded:
        return []
    authorities = list(session.scalars(select(Authority).order_by(Authority.code)))
    spent = session.execute(select(SpendLine.authority_id, SpendLine.currency).distinct()).all()
    currencies: dict[int, set[str]] = {a.id: set() for a in authorities}
    for authority_id, currency in spent:
        currencies[authority_id].add(currency)
    notes = []
    for authority in authorities:
        factor_currency = tables_identity(
            session, authority.default_factor_family, authority.default_factor_edition
        )[1]
        used = currencies[authority.id] | {factor_currency}
        years = [
            year
            for year in spend_years(session, authority)
            if _names_a_rate(loaded, used, fy_bounds(year, authority.fy_start_month))
        ]
        if years:
            notes += [
                f"{authority.code}: {n}"
                for n in refresh_inventories(session, authority=authority, years=years)
            ]
    return notes


def _names_a_rate(
    loaded: set[tuple[int, str, str]], currencies: set[str], period: tuple[dt.date, dt.date]
) -> bool:
    start, end = period
    return any(
        start.year <= year <= end.year and base in currencies and quote in currencies
        for year, base, quote in loaded
    )


def _refresh_each(session: Session, authorities: Iterable[Authority]) -> list[str]:
    notes = []
    for authority in authorities:
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
