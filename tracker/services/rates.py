"""Annual average exchange rates, loaded by the user from a CSV file.

File format (UTF-8 CSV with a header): ``year,base,quote,rate,source`` where one unit of
``base`` buys ``rate`` units of ``quote`` (e.g. ``2023,GBP,USD,1.2435,Bank of England
XUDLUSS annual average``). A rate is never assumed: a conversion without a loaded rate
is an error that says which rate to load.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import FactorDataError, TrackerError
from tracker.models import ExchangeRate

COLUMNS = ("year", "base", "quote", "rate", "source")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def load_rates_file(session: Session, path: Path) -> list[tuple[int, str, str]]:
    """Insert or update every rate in ``path``; return each row's ``(year, base, quote)``
    (for the inventories to refresh: ``recalculate.refresh_rate_users``)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TrackerError(f"{path.name}: cannot read the file ({exc}).") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise TrackerError(
            f"{path.name}: missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}."
        )
    stored = []
    for number, row in enumerate(reader, start=2):
        year, base, quote, rate = _parse_row(path.name, number, row)
        existing = session.scalar(
            select(ExchangeRate).where(
                ExchangeRate.base == base, ExchangeRate.quote == quote, ExchangeRate.year == year
            )
        )
        if existing is None:
            existing = ExchangeRate(base=base, quote=quote, year=year)
            session.add(existing)
        existing.rate = rate
        existing.source = (row.get("source") or "").strip()[:300]
        stored.append((year, base, quote))
    session.flush()
    return stored


def _parse_row(name: str, number: int, row: dict[str, str]) -> tuple[int, str, str, Decimal]:
    def bad(column: str, message: str) -> TrackerError:
        return TrackerError(f"{name}: row {number}, column {column!r}: {message}")

    try:
        year = int((row.get("year") or "").strip())
    except ValueError:
        raise bad("year", f"not a year: {row.get('year')!r}") from None
    base = (row.get("base") or "").strip().upper()
    quote = (row.get("quote") or "").strip().upper()
    for column, value in (("base", base), ("quote", quote)):
        if not _CURRENCY.match(value):
            raise bad(column, f"not an ISO 4217 currency code: {value!r}")
    if base == quote:
        raise bad("quote", "base and quote are the same currency")
    try:
        rate = Decimal((row.get("rate") or "").strip())
    except InvalidOperation:
        raise bad("rate", f"not a number: {row.get('rate')!r}") from None
    if not rate.is_finite() or rate <= 0:
        raise bad("rate", f"must be a positive number, not {rate}")
    if not (row.get("source") or "").strip():
        raise bad("source", "say where the rate comes from")
    return year, base, quote, rate


class RateTable:
    """Rates in memory for one inventory computation."""

    def __init__(self, rates: dict[tuple[str, str, int], Decimal]) -> None:
        self._rates = rates

    @classmethod
    def load(cls, session: Session) -> RateTable:
        rows = session.execute(
            select(ExchangeRate.base, ExchangeRate.quote, ExchangeRate.year, ExchangeRate.rate)
        )
        return cls({(b, q, int(y)): Decimal(r) for b, q, y, r in rows})

    def rate(self, base: str, quote: str, year: int) -> Decimal:
        """Units of ``quote`` per unit of ``base`` in ``year`` (the inverse if only that exists)."""
        if base == quote:
            return Decimal(1)
        direct = self._rates.get((base, quote, year))
        if direct is not None:
            return direct
        inverse = self._rates.get((quote, base, year))
        if inverse is not None:
            return Decimal(1) / inverse
        raise FactorDataError(
            f"No {base}→{quote} exchange rate for {year}. Load the annual average rate with "
            f"`tracker rates load FILE` (columns {','.join(COLUMNS)})."
        )
