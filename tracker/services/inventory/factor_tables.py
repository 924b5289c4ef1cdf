"""Everything one inventory computation needs from the database, held in memory.

Factors of one family and edition by (data year, code); the price indices that move
spend to a factor's currency year; exchange rates. Loading once and computing in memory
keeps the per-line work free of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.usd import DETAIL_INDEX, GDP_DEFLATOR, SUMMARY_INDEX
from tracker.errors import FactorDataError
from tracker.models import Factor, FactorSet, PriceIndexSeries, PriceIndexValue

UK_CPI = "ons-cpi-d7bt"
US_INDICES = (DETAIL_INDEX, SUMMARY_INDEX, GDP_DEFLATOR)


@dataclass(frozen=True)
class FactorEntry:
    factor_id: int
    set_id: int
    value: Decimal
    index_code: str | None  # commodity price-index code(s), e.g. an EPA USEEIO reference


@dataclass(frozen=True)
class FactorTables:
    family: str
    edition: str
    currency: str
    code_system: str
    factors: dict[tuple[int, str], FactorEntry]
    years: list[int]
    fingerprint: str
    codes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_naics(self) -> bool:
        return self.code_system.upper().startswith("NAICS")


def tables_identity(session: Session, family: str, edition: str) -> tuple[str, str]:
    """``FactorTables.fingerprint`` and ``currency`` of the edition, read without loading
    its factors (to tell whether a run is out of date); ("", "") when it is not loaded."""
    sets = session.execute(
        select(FactorSet.table_sha256, FactorSet.currency).where(
            FactorSet.family == family, FactorSet.edition == edition
        )
    ).all()
    return _fingerprint(sha for sha, _ in sets), (sets[0][1] if sets else "")


def _fingerprint(shas: Iterable[str]) -> str:
    return ",".join(sorted(sha[:12] for sha in shas))


def load_factor_tables(session: Session, family: str, edition: str) -> FactorTables:
    sets = list(
        session.scalars(
            select(FactorSet).where(FactorSet.family == family, FactorSet.edition == edition)
        )
    )
    if not sets:
        known = sorted(
            {f"{f} {e}" for f, e in session.execute(select(FactorSet.family, FactorSet.edition))}
        )
        raise FactorDataError(
            f"Factor set {family} {edition} is not loaded (loaded: {', '.join(known) or 'none'})."
            " Run `tracker db upgrade`, which loads the shipped factor sets."
        )
    year_of = {s.id: s.data_year for s in sets}
    factors: dict[tuple[int, str], FactorEntry] = {}
    rows = session.execute(
        select(
            Factor.id, Factor.factor_set_id, Factor.code, Factor.value, Factor.price_index_code
        ).where(Factor.factor_set_id.in_(year_of))
    )
    for fid, set_id, code, value, index_code in rows:
        factors[(year_of[set_id], code)] = FactorEntry(fid, set_id, Decimal(value), index_code)
    first = sets[0]
    return FactorTables(
        family=family,
        edition=edition,
        currency=first.currency,
        code_system=first.code_system,
        factors=factors,
        years=sorted(year_of.values()),
        fingerprint=_fingerprint(s.table_sha256 for s in sets),
        codes=frozenset(code for _, code in factors),
    )


def load_index(session: Session, key: str) -> dict[str, dict[int, Decimal]]:
    """A price index as code → year → value ("" is the economy-wide code)."""
    rows = session.execute(
        select(PriceIndexValue.code, PriceIndexValue.year, PriceIndexValue.value)
        .join(PriceIndexSeries)
        .where(PriceIndexSeries.key == key)
    )
    out: dict[str, dict[int, Decimal]] = {}
    for code, year, value in rows:
        out.setdefault(code, {})[int(year)] = Decimal(value)
    if not out:
        raise FactorDataError(f"Price index {key} is not loaded. Run `tracker db upgrade`.")
    return out
