"""Spend billed in another currency than the authority's, converted as it is imported.

A line's ``amount`` is in the authority's currency (``SpendLine.amount``), so that every
total of amounts (a batch's, a month's, a run's and its summary rows, a contract's spend
to date) adds like with like. A file with a currency column (a card file's billing
currency) can bill some rows in another currency: such a row's amounts are converted at
the annual average rate of its transaction's calendar year, as loaded with
``tracker rates load`` (tracker.services.rates; never assumed), rounded to the penny. The
line keeps what was billed in ``original_amount`` and ``original_currency`` (unless the
file gives the purchase's own, which stay), and the import's notes and report name every
rate used, with its source. A row whose rate is not loaded refuses the import, naming the
row, the column and the rate to load: nothing is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.money import currency_code
from tracker.errors import TrackerError
from tracker.importers import SpendRecord
from tracker.models import ExchangeRate
from tracker.services.rates import COLUMNS

PENNY = Decimal("0.01")


def converted(amount: Decimal, rate: Decimal) -> Decimal:
    """``amount`` × ``rate`` to the penny, a half penny away from zero (credit notes
    convert to the negative of their purchase)."""
    return (amount * rate).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass
class RateUsed:
    """One (currency, year) rate an import converted with, and what it converted."""

    currency: str
    year: int
    rate: Decimal  # units of the authority's currency per unit of ``currency``
    source: str
    lines: int = 0
    billed: Decimal = Decimal(0)
    converted: Decimal = Decimal(0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "currency": self.currency, "year": self.year, "rate": f"{self.rate:f}",
            "source": self.source, "lines": self.lines, "billed": str(self.billed),
            "converted": str(self.converted),
        }  # fmt: skip


class Conversions:
    """Converts the records of one import into ``currency`` (the authority's)."""

    def __init__(self, session: Session, currency: str, file_name: str, column: str) -> None:
        self.session = session
        self.currency = currency
        self.file_name = file_name
        self.column = column  # the file's currency column, for messages
        self.used: dict[tuple[str, int], RateUsed] = {}

    def records(self, chunk: list[SpendRecord]) -> list[SpendRecord]:
        """``chunk`` with each record billed in another currency converted (the same list
        when none is)."""
        target = self.currency
        out = chunk
        for i, record in enumerate(chunk):
            if record.currency is None or record.currency == target:
                continue
            if out is chunk:
                out = list(chunk)
            code = currency_code(record.currency)  # "£", "STERLING" ... as ISO codes
            named = record if code == record.currency else record._replace(currency=code)
            out[i] = named._replace(currency=target) if code == target else self._convert(named)
        return out

    def _convert(self, record: SpendRecord) -> SpendRecord:
        assert record.currency is not None
        used = self._rate(record.currency, record.date.year, record.source_row)
        amount = converted(record.amount, used.rate)
        used.lines += 1
        used.billed += record.amount
        used.converted += amount
        own = record.original_currency is not None or record.original_amount is not None
        return record._replace(
            amount=amount,
            gross_amount=None if record.gross_amount is None
            else converted(record.gross_amount, used.rate),
            vat=None if record.vat is None else converted(record.vat, used.rate),
            currency=self.currency,
            original_amount=record.original_amount if own else record.amount,
            original_currency=record.original_currency if own else record.currency,
        )  # fmt: skip

    def _rate(self, currency: str, year: int, row: int) -> RateUsed:
        key = (currency, year)
        used = self.used.get(key)
        if used is None:
            used = self.used[key] = self._look_up(currency, year, row)
        return used

    def _look_up(self, currency: str, year: int, row: int) -> RateUsed:
        target = self.currency
        for base, quote in ((currency, target), (target, currency)):
            found = self.session.execute(
                select(ExchangeRate.rate, ExchangeRate.source).where(
                    ExchangeRate.base == base,
                    ExchangeRate.quote == quote,
                    ExchangeRate.year == year,
                )
            ).first()
            if found is not None:
                rate, source = Decimal(found[0]).normalize(), found[1] or ""
                if base != currency:
                    rate, source = 1 / rate, f"inverse of {target}→{currency} {rate:f}: {source}"
                return RateUsed(currency, year, rate, source)
        raise TrackerError(
            f"{self.file_name}: row {row}, column {self.column!r}: billed in {currency}, "
            f"not in the authority's {target}, and no {currency}→{target} exchange rate "
            f"for {year} is loaded. Load the annual average rate with `tracker rates load "
            f"FILE` (columns {','.join(COLUMNS)}) and import again; nothing was stored."
        )

    def notes(self) -> list[str]:
        """One sentence per rate used."""
        return [
            f"{u.lines:,} line(s) billed in {u.currency} in {u.year} converted to "
            f"{self.currency} at {u.rate:f} {self.currency} per {u.currency} ({u.source}): "
            f"{u.billed} {u.currency} -> {u.converted} {self.currency}"
            for u in self._sorted()
        ]

    def report(self) -> list[dict[str, Any]]:
        return [u.as_dict() for u in self._sorted()]

    def _sorted(self) -> Sequence[RateUsed]:
        return [self.used[k] for k in sorted(self.used)]
