"""The emissions factor a contract's category takes for its authority, and the estimates.

A contract's classification (CPV division or UNSPSC segment) gives a factor group through
the shipped crosswalks; the group's factor comes from the authority's own factor set,
edition and price-year policy, with the price index and exchange rates its inventory
uses (``tracker.services.inventory.calculator.Calculator``), so a contract's estimate and the
authority's inventory rest on the same numbers. The arithmetic is
``tracker.domain.contract_estimate``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from factors.classification import (
    CodeMapping,
    exclusion_reasons,
    load_cpv_crosswalk,
    load_unspsc_crosswalk,
)
from factors.naics import load_group_naics
from tracker.domain.contract_estimate import (
    FactorChoice,
    annual_value,
    division_code,
    kg_for,
    net_value,
    price_year,
    remaining,
    vat_unknown,
)
from tracker.errors import TrackerError
from tracker.models import Authority, Factor, FactorSet
from tracker.services.inventory.calculator import Calculator
from tracker.services.inventory.factor_tables import FactorTables, load_factor_tables


@functools.cache
def _crosswalks() -> dict[str, dict[str, CodeMapping]]:
    return {"CPV": load_cpv_crosswalk(), "UNSPSC": load_unspsc_crosswalk()}


@functools.cache
def _group_naics() -> dict[str, str | None]:
    return {g: c.code for g, c in load_group_naics().items()}


class ContractLike(Protocol):
    """What an estimate reads of a contract (a ``Contract`` row or a plain copy of one)."""

    @property
    def classification_scheme(self) -> str | None: ...
    @property
    def classification_code(self) -> str | None: ...
    @property
    def value_amount(self) -> Decimal | None: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def start_date(self) -> dt.date | None: ...
    @property
    def end_date(self) -> dt.date | None: ...
    @property
    def flags(self) -> list[str] | None: ...


@dataclass(frozen=True)
class Category:
    """Where a contract's classification leads: a factor code, or why there is none."""

    code: str | None
    name: str | None
    reason: str | None = None  # why there is no factor code


@dataclass(frozen=True)
class ContractEstimate:
    category: Category
    value_a_year: Decimal | None  # net of VAT, in the contract's currency
    kg_a_year: Decimal | None
    remaining_value: Decimal | None
    remaining_years: Decimal | None
    remaining_kg: Decimal | None
    factor: FactorChoice | None
    note: str | None  # why a figure is missing


@dataclass(frozen=True)
class FactorReference:
    """What estimates read of one factor family and edition: its tables and factor names."""

    tables: FactorTables
    names: dict[str, str]


def factor_reference(session: Session, family: str, edition: str) -> FactorReference:
    """The tables and names of ``family`` ``edition``; raises ``TrackerError`` when it
    cannot be used (not loaded)."""
    tables = load_factor_tables(session, family, edition)
    names = session.execute(
        select(Factor.code, Factor.name)
        .join(FactorSet)
        .where(FactorSet.family == tables.family, FactorSet.edition == tables.edition)
    ).all()
    return FactorReference(tables, dict(names))


class SharedReference:
    """``factor_reference`` read once per family and edition for the estimators of one
    call (a page's pipeline builds one estimator per authority, and most share an
    edition: reading its tables and names for each was most of the pipeline's time)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._read: dict[tuple[str, str], FactorReference] = {}

    def __call__(self, family: str, edition: str) -> FactorReference:
        key = (family, edition)
        if key not in self._read:
            self._read[key] = factor_reference(self._session, family, edition)
        return self._read[key]


class Estimator:
    """Estimates for the contracts of one authority (reference data read once; give
    ``reference`` a ``SharedReference`` to share it with other authorities' estimators)."""

    def __init__(
        self,
        session: Session,
        authority: Authority,
        reference: Callable[[str, str], FactorReference] | None = None,
    ) -> None:
        self.authority = authority
        self.include = frozenset(authority.included_exclusions or ())
        # An authority whose factor set cannot be used (not loaded, a fixed vintage it does
        # not have) gets values without emissions, never a failed page for everyone.
        self.unusable: str | None = None
        read = reference or functools.partial(factor_reference, session)
        try:
            loaded = read(authority.default_factor_family, authority.default_factor_edition)
            self.tables = loaded.tables
            self.calculator = Calculator(session, authority, self.tables)
        except TrackerError as exc:
            self.unusable = str(exc)
            self.names: dict[str, str] = {}
            return
        self.names = dict(loaded.names)

    def category(self, scheme: str | None, code: str | None) -> Category:
        if self.unusable is not None:
            return Category(None, None, f"no factors: {self.unusable}")
        division = division_code(scheme, code)
        if division is None:
            return Category(None, None, "no CPV or UNSPSC classification")
        mapping = _crosswalks()[(scheme or "").upper()].get(division)
        if mapping is None:
            return Category(None, None, f"{scheme} {division} is not in the crosswalk")
        target = mapping.target
        group = target.group(include=self.include)
        if group is None:
            if target.exclude_reason:
                label = exclusion_reasons()[target.exclude_reason].label
                return Category(None, None, f"excluded: {label}")
            return Category(None, None, f"{scheme} {division} needs review")
        factor_code = group
        if self.tables.is_naics:
            naics = _group_naics().get(group)
            if naics is None:
                return Category(None, None, f"no EPA commodity for Defra group {group}")
            factor_code = naics
        return Category(factor_code, self.names.get(factor_code) or mapping.title)

    def factor(self, code: str, year: int, currency: str) -> tuple[FactorChoice, Decimal]:
        """The factor of ``code`` for money in ``year``'s prices, and the exchange rate."""
        calc = self.calculator
        factor_year = calc.factor_year(year)
        entry = self.tables.factors.get((factor_year, code))
        if entry is None:
            raise TrackerError(
                f"no {self.tables.family} {self.tables.edition} factor for {code} in {factor_year}"
            )
        fx = calc.rates.rate(currency, self.tables.currency, year)
        adj = calc.adjust(self.tables.currency, entry.index_code, year, factor_year)
        return FactorChoice(code, entry.value, factor_year, adj.deflator), fx

    def estimate(self, contract: ContractLike, spent: Decimal, today: dt.date) -> ContractEstimate:
        """Value a year, what is left after ``spent`` (the spend to date, in the authority's
        currency) and the emissions of both. Spend is never taken from a value in another
        currency: what is left of such a contract is not worked out, and the note says why."""
        category = self.category(contract.classification_scheme, contract.classification_code)
        published = contract.value_amount
        start, end = contract.start_date, contract.end_date
        currency = contract.currency or self.authority.currency
        value = None if published is None else net_value(published, contract.flags, currency)
        gross = (
            f"the value includes VAT at a rate not known for {currency}: taken as published"
            if value is not None and vat_unknown(contract.flags, currency)
            else None
        )
        mixed = bool(spent) and currency != self.authority.currency
        a_year = None if value is None else annual_value(value, start, end)
        left = None if value is None or mixed else remaining(value, spent, start, end, today)
        unmixed = (
            f"what is left is not worked out: the value is in {currency}, the spend to date "
            f"in {self.authority.currency}"
            if mixed and value is not None
            else None
        )
        out = ContractEstimate(
            category=category,
            value_a_year=a_year,
            kg_a_year=None,
            remaining_value=None if left is None else left.value,
            remaining_years=None if left is None else left.years,
            remaining_kg=None,
            factor=None,
            note=_notes(category.reason, unmixed, gross),
        )
        year = price_year(start, end)
        if category.code is None:
            return out
        if value is None or year is None:
            return replace(out, note="no contract value" if value is None else "no dates")
        try:
            choice, fx = self.factor(category.code, year, currency)
        except TrackerError as exc:
            return replace(out, note=_notes(str(exc), unmixed, gross))
        return replace(
            out,
            kg_a_year=None if a_year is None else kg_for(a_year, choice, fx),
            remaining_kg=None if left is None else kg_for(left.value, choice, fx),
            factor=choice,
        )


def _notes(*notes: str | None) -> str | None:
    """The notes given, in one ("; " between them), or None when there is none."""
    given = [n for n in notes if n]
    return "; ".join(given) if given else None
