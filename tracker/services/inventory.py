"""Compute and store an authority's inventory for one financial year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from tracker import __version__
from tracker.domain.calculate import (
    PriceYearPolicy,
    category_totals,
    choose_factor_year,
    deflator,
    line_emissions,
)
from tracker.domain.periods import fy_bounds
from tracker.errors import FactorDataError
from tracker.models import (
    Authority,
    Factor,
    FactorSet,
    InventoryRun,
    LineEmission,
    PriceIndexSeries,
    PriceIndexValue,
    SpendLine,
)

UK_CPI = "ons-cpi-d7bt"
KG_PLACES = Decimal("0.000001")
INSERT_CHUNK = 5000


class CodeMatch(Protocol):
    """What a code resolver returns (see tracker.domain.sic)."""

    @property
    def defra_group(self) -> str | None: ...

    @property
    def level(self) -> str | None: ...

    @property
    def reason(self) -> str | None: ...


Resolver = Callable[[str], CodeMatch]


@dataclass(frozen=True)
class FactorTables:
    """Factors of one family and edition, by data year and code, plus the price index."""

    family: str
    edition: str
    factors: dict[tuple[int, str], tuple[int, int, Decimal]]  # -> (factor_id, set_id, value)
    years: list[int]
    index_key: str
    index: dict[int, Decimal]
    fingerprint: str


def load_factor_tables(session: Session, family: str, edition: str) -> FactorTables:
    sets = list(
        session.scalars(
            select(FactorSet).where(FactorSet.family == family, FactorSet.edition == edition)
        )
    )
    if not sets:
        raise FactorDataError(
            f"Factor set {family} {edition} is not loaded. Run `tracker db upgrade`, which "
            "loads the shipped factor sets."
        )
    year_of = {s.id: s.data_year for s in sets}
    factors: dict[tuple[int, str], tuple[int, int, Decimal]] = {}
    rows = session.execute(
        select(Factor.id, Factor.factor_set_id, Factor.code, Factor.value).where(
            Factor.factor_set_id.in_(year_of)
        )
    )
    for fid, set_id, code, value in rows:
        factors[(year_of[set_id], code)] = (fid, set_id, Decimal(value))
    index_rows = session.execute(
        select(PriceIndexValue.year, PriceIndexValue.value)
        .join(PriceIndexSeries)
        .where(PriceIndexSeries.key == UK_CPI, PriceIndexValue.code == "")
    )
    index = {int(y): Decimal(v) for y, v in index_rows}
    if not index:
        raise FactorDataError(f"Price index {UK_CPI} is not loaded. Run `tracker db upgrade`.")
    fingerprint = ",".join(sorted(s.table_sha256[:12] for s in sets))
    return FactorTables(
        family=family,
        edition=edition,
        factors=factors,
        years=sorted(year_of.values()),
        index_key=UK_CPI,
        index=index,
        fingerprint=fingerprint,
    )


def _index_for(tables: FactorTables, year: int) -> tuple[Decimal, str | None]:
    """The price index for ``year``; the latest published one, with a note, if not yet out."""
    if year in tables.index:
        return tables.index[year], None
    latest = max(tables.index)
    if year > latest:
        return tables.index[latest], (
            f"{tables.index_key} for {year} not yet published; {latest} index used"
        )
    raise FactorDataError(f"Price index {tables.index_key} has no value for {year}.")


def _inputs(session: Session, authority: Authority, start: dt.date, end: dt.date) -> dict[str, Any]:
    row = session.execute(
        select(func.count(SpendLine.id), func.coalesce(func.sum(SpendLine.amount), 0)).where(
            SpendLine.authority_id == authority.id,
            SpendLine.transaction_date.between(start, end),
        )
    ).one()
    batches = session.scalars(
        select(SpendLine.batch_id)
        .where(
            SpendLine.authority_id == authority.id,
            SpendLine.transaction_date.between(start, end),
        )
        .distinct()
        .order_by(SpendLine.batch_id)
    )
    return {"batches": list(batches), "lines": int(row[0]), "amount": str(Decimal(row[1]))}


def current_run(session: Session, authority_id: int, year: int) -> InventoryRun | None:
    return session.scalar(
        select(InventoryRun)
        .where(InventoryRun.authority_id == authority_id, InventoryRun.fy_year == year)
        .order_by(InventoryRun.id.desc())
        .limit(1)
    )


def ensure_inventory(
    session: Session, *, authority: Authority, year: int, resolver: Resolver, force: bool = False
) -> InventoryRun:
    """The current inventory run for ``year``, recomputed only when its inputs changed."""
    start, end = fy_bounds(year, authority.fy_start_month)
    tables = load_factor_tables(
        session, authority.default_factor_family, authority.default_factor_edition
    )
    inputs = _inputs(session, authority, start, end) | {
        "factor_tables": tables.fingerprint,
        "tracker_version": __version__,
    }
    run = current_run(session, authority.id, year)
    if run is not None and not force and run.inputs == inputs:
        return run
    return compute_inventory(
        session, authority=authority, year=year, resolver=resolver, tables=tables, inputs=inputs
    )


def compute_inventory(
    session: Session,
    *,
    authority: Authority,
    year: int,
    resolver: Resolver,
    tables: FactorTables,
    inputs: dict[str, Any],
) -> InventoryRun:
    """Calculate every line of the year and store a new InventoryRun with its LineEmissions."""
    start, end = fy_bounds(year, authority.fy_start_month)
    run = InventoryRun(
        authority_id=authority.id,
        fy_year=year,
        period_start=start,
        period_end=end,
        factor_family=tables.family,
        factor_edition=tables.edition,
        price_year_policy=PriceYearPolicy.MATCHED,
        price_index_key=tables.index_key,
        tracker_version=__version__,
        line_count=0,
        total_spend=Decimal(0),
        mapped_spend=Decimal(0),
        total_kgco2e=Decimal(0),
        inputs=inputs,
    )
    session.add(run)
    session.flush()
    lines = session.execute(
        select(SpendLine.id, SpendLine.transaction_date, SpendLine.amount, SpendLine.sic).where(
            SpendLine.authority_id == authority.id,
            SpendLine.transaction_date.between(start, end),
        )
    )
    matches: dict[str, CodeMatch] = {}
    rows: list[dict[str, Any]] = []
    per_code: list[tuple[str, Decimal, Decimal]] = []
    total_spend = mapped_spend = Decimal(0)
    count = 0
    for line_id, day, amount, sic in lines:
        amount = Decimal(amount)
        count += 1
        total_spend += amount
        row = _calculate(line_id, day, amount, sic, tables, resolver, matches)
        row["run_id"] = run.id
        if row["status"] == "mapped":
            mapped_spend += amount
            per_code.append((row["category_code"], amount, row["kgco2e"]))
        rows.append(row)
        if len(rows) >= INSERT_CHUNK:
            session.execute(insert(LineEmission), rows)
            rows = []
    if rows:
        session.execute(insert(LineEmission), rows)
    run.line_count = count
    run.total_spend = total_spend
    run.mapped_spend = mapped_spend
    run.total_kgco2e = sum((c.kgco2e for c in category_totals(per_code)), Decimal(0)).quantize(
        KG_PLACES
    )
    session.flush()
    return run


def _calculate(
    line_id: int,
    day: dt.date,
    amount: Decimal,
    sic: str | None,
    tables: FactorTables,
    resolver: Resolver,
    cache: dict[str, CodeMatch],
) -> dict[str, Any]:
    base: dict[str, Any] = {"spend_line_id": line_id, "kgco2e": Decimal(0)}
    if not sic:
        return base | {"status": "unmapped", "reason": "no classification code on the line"}
    match = cache.get(sic)
    if match is None:
        match = cache[sic] = resolver(sic)
    base |= {"method": "sic", "matched_code": sic[:100], "match_level": match.level}
    if match.defra_group is None:
        return base | {"status": "unmapped", "reason": match.reason or "SIC code not mapped"}
    factor_year = choose_factor_year(day.year, tables.years)
    found = tables.factors.get((factor_year, match.defra_group))
    if found is None:
        return base | {
            "status": "unmapped",
            "reason": f"no {tables.family} {tables.edition} factor for group "
            f"{match.defra_group} in {factor_year}",
        }
    factor_id, set_id, value = found
    index_spend, note = _index_for(tables, day.year)
    index_factor, _ = _index_for(tables, factor_year)
    d = deflator(index_factor, index_spend)
    result = line_emissions(amount, d, value)
    return base | {
        "status": "mapped",
        "reason": note,
        "category_code": match.defra_group,
        "factor_id": factor_id,
        "factor_set_id": set_id,
        "factor_year": factor_year,
        "factor_value": value,
        "price_index_spend_year": index_spend,
        "price_index_factor_year": index_factor,
        "deflator": d.quantize(Decimal("1e-12")),
        "spend_in_factor_year": result.spend_in_factor_year.quantize(KG_PLACES),
        "kgco2e": result.kgco2e.quantize(KG_PLACES),
    }
