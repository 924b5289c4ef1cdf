"""Which contract a payment falls under. Pure; no database.

A payment (a spend line) is linked to a contract of the same authority when

1. **the supplier is the same**, by the strongest evidence available, in this order:

   - ``supplier-identifier``: the payee's supplier carries the same scheme identifier as a
     supplier on the contract (e.g. Companies House ``GB-COH 01628868``) -- score 1.0;
   - ``supplier-record``: the payee and the contract's supplier were resolved to the same
     shared supplier record (``Supplier``) -- score 0.9;
   - ``supplier-name``: their names give the same matching key
     (``tracker.domain.suppliers.supplier_key``) -- score 0.8;

2. **the payment date falls in the contract period**, with a stated grace: up to
   :data:`GRACE_BEFORE` days before the start (orders and mobilisation paid as the
   contract begins) and :data:`GRACE_AFTER` days after the end (the last invoices of the
   period are paid on 30-day terms, often later). A payment inside the grace but outside
   the period scores 0.1 less. A contract with only one of its dates is open on the other
   side and scores 0.1 less; a contract with neither date is never linked (nothing shows
   the payment belongs to it rather than to an earlier or later contract). A payment dated
   only to the month (``date_precision='month'``) matches when any day of the month does;

3. **the amount is plausible**: one payment of more than :data:`AMOUNT_TOLERANCE` times
   the contract's whole value is not a payment under it (credit notes are compared by
   their size). Without a contract value the amount cannot be checked: 0.05 less.

A payment that matches several contracts is **ambiguous**: it is linked to the best only
when that one's score is at least :data:`CLEAR_MARGIN` above every other's (a stronger
supplier match, or inside one period and only in another's grace); otherwise it is
reported with its candidates and linked to none, never silently to one of them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

GRACE_BEFORE = 31  # days before the contract start
GRACE_AFTER = 92  # days after the contract end
AMOUNT_TOLERANCE = Decimal("1.10")  # a payment may exceed the contract value by 10 %
CLEAR_MARGIN = Decimal("0.15")

METHOD_SCORES: dict[str, Decimal] = {
    "supplier-identifier": Decimal("1.0"),
    "supplier-record": Decimal("0.9"),
    "supplier-name": Decimal("0.8"),
}
GRACE_PENALTY = Decimal("0.10")
OPEN_PERIOD_PENALTY = Decimal("0.10")
NO_VALUE_PENALTY = Decimal("0.05")

LINKED = "linked"
AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Party:
    """A supplier as both sides know it: its shared record, identifiers and name key."""

    supplier_id: int | None = None
    identifiers: frozenset[tuple[str, str]] = frozenset()  # (scheme, normalised id)
    name_key: str | None = None


@dataclass(frozen=True)
class Payment:
    id: int
    authority_id: int
    day: dt.date
    amount: Decimal
    payee: Party
    precision: str = "day"  # "day" | "month"


@dataclass(frozen=True)
class ContractTerms:
    id: int
    authority_id: int
    start: dt.date | None
    end: dt.date | None
    value: Decimal | None
    suppliers: tuple[Party, ...]


@dataclass(frozen=True)
class Candidate:
    contract_id: int
    method: str
    score: Decimal
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """The outcome for one payment: ``status`` linked (one contract) or ambiguous."""

    payment_id: int
    status: str
    chosen: Candidate | None
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)


def supplier_method(payee: Party, suppliers: Iterable[Party]) -> str | None:
    """The strongest way the payee is one of the contract's suppliers, or None."""
    best: str | None = None
    for s in suppliers:
        if payee.identifiers & s.identifiers:
            return "supplier-identifier"
        if payee.supplier_id is not None and payee.supplier_id == s.supplier_id:
            best = "supplier-record"
        elif best is None and payee.name_key and payee.name_key == s.name_key:
            best = "supplier-name"
    return best


def _payment_days(payment: Payment) -> tuple[dt.date, dt.date]:
    if payment.precision == "month":
        first = payment.day.replace(day=1)
        last = calendar.monthrange(first.year, first.month)[1]
        return first, first.replace(day=last)
    return payment.day, payment.day


def date_fit(payment: Payment, start: dt.date | None, end: dt.date | None) -> str | None:
    """``in period``, ``in grace``, ``open period`` or None when the date does not fit."""
    if start is None and end is None:
        return None
    first, last = _payment_days(payment)
    lo = start - dt.timedelta(days=GRACE_BEFORE) if start else None
    hi = end + dt.timedelta(days=GRACE_AFTER) if end else None
    if (lo is not None and last < lo) or (hi is not None and first > hi):
        return None
    if start is None or end is None:
        return "open period"
    if last >= start and first <= end:
        return "in period"
    return "in grace"


def amount_plausible(amount: Decimal, value: Decimal | None) -> bool:
    return value is None or value <= 0 or abs(amount) <= value * AMOUNT_TOLERANCE


def candidate(payment: Payment, contract: ContractTerms) -> Candidate | None:
    """How well one contract fits one payment, or None when it cannot be the contract."""
    if payment.authority_id != contract.authority_id:
        return None
    method = supplier_method(payment.payee, contract.suppliers)
    if method is None:
        return None
    fit = date_fit(payment, contract.start, contract.end)
    if fit is None or not amount_plausible(payment.amount, contract.value):
        return None
    score = METHOD_SCORES[method]
    notes: list[str] = []
    if fit == "in grace":
        score -= GRACE_PENALTY
        notes.append("paid outside the contract period, within the grace")
    elif fit == "open period":
        score -= OPEN_PERIOD_PENALTY
        notes.append("the contract states only one of its dates")
    if contract.value is None:
        score -= NO_VALUE_PENALTY
        notes.append("no contract value to check the amount against")
    return Candidate(contract.id, method, score, tuple(notes))


def match_payment(payment: Payment, contracts: Sequence[ContractTerms]) -> Match | None:
    """The contract ``payment`` falls under, an ambiguous match, or None (no candidate)."""
    found = [c for c in (candidate(payment, k) for k in contracts) if c is not None]
    if not found:
        return None
    found.sort(key=lambda c: (-c.score, c.contract_id))
    best = found[0]
    if len(found) == 1 or best.score - found[1].score >= CLEAR_MARGIN:
        return Match(payment.id, LINKED, best, tuple(found))
    return Match(payment.id, AMBIGUOUS, None, tuple(found))
