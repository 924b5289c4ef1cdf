"""The current inventory run of each authority and year, and the overview built on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    Select,
    select,
)
from sqlalchemy.orm import Session

from tracker.domain.uncertainty import range95
from tracker.models import (
    Authority,
    InventoryRun,
)
from tracker.queries.current import current_run_ids
from tracker.queries.sql import ZERO, among, dec, ratio


@dataclass(frozen=True)
class RunSummary:
    """The current inventory run of one authority for one financial year."""

    authority_id: int
    authority_code: str
    authority_name: str
    fy_start_month: int
    fy_year: int
    run_id: int
    total_spend: Decimal
    mapped_spend: Decimal
    total_kgco2e: Decimal
    factor_family: str
    factor_edition: str
    created_at: dt.datetime
    excluded_spend: Decimal = ZERO
    sigma_kgco2e: Decimal | None = None  # one standard deviation of the total
    data_quality_mean: Decimal | None = None  # spend-weighted, 1 very good … 5 unknown
    version: int = 1

    @property
    def mapped_share(self) -> Decimal | None:
        """Mapped spend as a fraction of in-scope spend (excluded spend left out)."""
        return ratio(self.mapped_spend, self.total_spend - self.excluded_spend)

    @property
    def range95(self) -> tuple[Decimal, Decimal] | None:
        """The 95 % range of the total, from the run's standard deviation."""
        if self.sigma_kgco2e is None:
            return None
        return range95(self.total_kgco2e, self.sigma_kgco2e)

    @property
    def kg_per_currency_unit(self) -> Decimal | None:
        """kgCO2e per unit of total spend (£ for GBP authorities)."""
        return ratio(self.total_kgco2e, self.total_spend)


@dataclass(frozen=True)
class AuthorityOverview:
    """Headline figures of one authority across its current inventories."""

    authority_id: int
    code: str
    name: str
    population: int | None
    currency: str
    fy_start_month: int
    latest_year: int | None
    latest_kgco2e: Decimal | None
    latest_spend: Decimal | None
    latest_mapped_share: Decimal | None
    first_year: int | None
    first_kgco2e: Decimal | None
    trend: tuple[tuple[int, Decimal], ...]  # (fy_year, kgCO2e), oldest first
    kg_per_currency_unit: Decimal | None  # latest year's kgCO2e per unit of total spend

    @property
    def change_since_first(self) -> Decimal | None:
        """Fractional change of the latest year against the first (None if not comparable)."""
        if self.latest_kgco2e is None or self.first_kgco2e is None:
            return None
        if self.first_year == self.latest_year or self.first_kgco2e == 0:
            return None
        return (self.latest_kgco2e - self.first_kgco2e) / self.first_kgco2e


def _current_runs_select(
    authority_ids: Sequence[int] | None,
) -> Select[InventoryRun, str, str, int]:
    latest_sq = current_run_ids(authority_ids).subquery("latest")
    return (
        select(InventoryRun, Authority.code, Authority.name, Authority.fy_start_month)
        .join(latest_sq, InventoryRun.id == latest_sq.c.run_id)
        .join(Authority, Authority.id == InventoryRun.authority_id)
        .order_by(Authority.code, InventoryRun.fy_year)
    )


def current_runs(
    session: Session, *, authority_ids: Sequence[int] | None = None
) -> list[RunSummary]:
    """The current run per (authority, year), ordered by authority code then year.

    ``authority_ids=None`` means every authority; an empty sequence means none.
    """
    if authority_ids is not None and len(authority_ids) == 0:
        return []
    rows = session.execute(_current_runs_select(authority_ids)).all()
    return [
        RunSummary(
            authority_id=run.authority_id,
            authority_code=code,
            authority_name=name,
            fy_start_month=fy_start_month,
            fy_year=run.fy_year,
            run_id=run.id,
            total_spend=dec(run.total_spend),
            mapped_spend=dec(run.mapped_spend),
            total_kgco2e=dec(run.total_kgco2e),
            factor_family=run.factor_family,
            factor_edition=run.factor_edition,
            created_at=run.created_at,
            excluded_spend=dec(run.excluded_spend),
            sigma_kgco2e=None if run.sigma_kgco2e is None else dec(run.sigma_kgco2e),
            data_quality_mean=None
            if not run.data_quality
            else Decimal(str(run.data_quality["mean"])),
            version=run.version,
        )
        for run, code, name, fy_start_month in rows
    ]


def authority_overview(
    session: Session, *, authority_ids: Sequence[int] | None = None
) -> list[AuthorityOverview]:
    """Headline figures per authority, ordered by code; authorities without runs included."""
    if authority_ids is not None and len(authority_ids) == 0:
        return []
    stmt = select(Authority).order_by(Authority.code)
    if authority_ids is not None:
        stmt = stmt.where(among(Authority.id, authority_ids))
    authorities = session.scalars(stmt).all()
    runs_by_authority: dict[int, list[RunSummary]] = {}
    for run in current_runs(session, authority_ids=authority_ids):
        runs_by_authority.setdefault(run.authority_id, []).append(run)

    result = []
    for authority in authorities:
        runs = runs_by_authority.get(authority.id, [])  # already ordered by year
        first = runs[0] if runs else None
        latest = runs[-1] if runs else None
        result.append(
            AuthorityOverview(
                authority_id=authority.id,
                code=authority.code,
                name=authority.name,
                population=authority.population,
                currency=authority.currency,
                fy_start_month=authority.fy_start_month,
                latest_year=latest.fy_year if latest else None,
                latest_kgco2e=latest.total_kgco2e if latest else None,
                latest_spend=latest.total_spend if latest else None,
                latest_mapped_share=latest.mapped_share if latest else None,
                first_year=first.fy_year if first else None,
                first_kgco2e=first.total_kgco2e if first else None,
                trend=tuple((r.fy_year, r.total_kgco2e) for r in runs),
                kg_per_currency_unit=latest.kg_per_currency_unit if latest else None,
            )
        )
    return result
