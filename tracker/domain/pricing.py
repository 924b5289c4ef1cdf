"""Which price index moves spend to a factor's currency year. Pure; data as arguments.

UK (GBP) factors: UK CPI D7BT, economy-wide (methodology §3.4). US (USD) factors: the
BEA commodity index of the factor's USEEIO reference with the summary index and the GDP
deflator as fallbacks (tracker.domain.usd). A spend year whose index is not yet published
uses the latest published value and says so; an index never silently becomes 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from tracker.domain.calculate import deflator
from tracker.domain.usd import GDP_DEFLATOR, epa_deflator
from tracker.errors import FactorDataError


@dataclass(frozen=True)
class PriceAdjustment:
    deflator: Decimal
    index_key: str
    index_spend_year: Decimal
    index_factor_year: Decimal
    note: str | None = None


def economy_adjustment(
    key: str, index: Mapping[int, Decimal], spend_year: int, factor_year: int
) -> PriceAdjustment:
    """Deflate with an economy-wide annual index from ``spend_year`` to ``factor_year``."""
    notes: list[str] = []

    def value(year: int) -> Decimal:
        if year in index:
            return index[year]
        latest = max(index)
        if year > latest:
            notes.append(f"{key} for {year} not yet published; {latest} value used")
            return index[latest]
        raise FactorDataError(f"Price index {key} has no value for {year}.")

    spend_index = value(spend_year)
    factor_index = value(factor_year)
    return PriceAdjustment(
        deflator=deflator(factor_index, spend_index),
        index_key=key,
        index_spend_year=spend_index,
        index_factor_year=factor_index,
        note="; ".join(notes) or None,
    )


@dataclass(frozen=True)
class UsIndices:
    detail: Mapping[str, Mapping[int, Decimal]]
    summary: Mapping[str, Mapping[int, Decimal]]
    gdpdef: Mapping[int, Decimal]

    def adjustment(
        self, index_code: str | None, spend_year: int, factor_year: int
    ) -> PriceAdjustment:
        if not index_code:
            return economy_adjustment(GDP_DEFLATOR, self.gdpdef, spend_year, factor_year)
        choice = epa_deflator(
            index_code, spend_year, factor_year, self.detail, self.summary, self.gdpdef
        )
        return PriceAdjustment(
            deflator=choice.value,
            index_key=choice.index_key + (f":{choice.code_used}" if choice.code_used else ""),
            index_spend_year=choice.index_spend_year,
            index_factor_year=choice.index_factor_year,
            note=choice.note or None,
        )
