"""Aggregates across authorities, for comparisons and collaboration. Read-only.

Every function takes the ids of the authorities the caller may see *as aggregates*
(``tracker.access.aggregate_access_ids``) and one financial year, and returns sums that
the database computes with GROUP BY: per authority, per category, per method or per
supplier, never a spend line. They read the per-run summary rows
(``tracker.models.summary``) of each authority's current run for the year (its highest run
id), and every run is checked to belong to an allowed authority.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from tracker.domain.codes import LineStatus
from tracker.domain.spread import CategoryUse
from tracker.models import (
    Authority,
    Factor,
    InventoryRun,
    RunCategoryTotal,
    RunSupplierTotal,
)
from tracker.models import Supplier as SupplierModel
from tracker.queries.current import current_run_ids
from tracker.queries.sql import KG, MONEY, among, dec, typed_sum


@dataclass(frozen=True)
class RunRow:
    """The current run of one authority for one year, with its authority's facts."""

    authority_id: int
    code: str
    name: str
    currency: str
    population: int | None
    fy_start_month: int
    fy_year: int
    run_id: int
    version: int
    total_spend: Decimal
    mapped_spend: Decimal
    excluded_spend: Decimal
    kgco2e: Decimal
    factor_family: str
    factor_edition: str
    price_year_policy: str
    price_index_key: str
    supplier_specific_share: Decimal | None


@dataclass(frozen=True)
class SupplierTotal:
    supplier_id: int
    name: str
    authorities: int
    spend: Decimal
    kgco2e: Decimal


@dataclass(frozen=True)
class SupplierPart:
    supplier_id: int
    authority_id: int
    spend: Decimal
    kgco2e: Decimal


def _totals(
    table: type[RunCategoryTotal] | type[RunSupplierTotal],
    authority_ids: Sequence[int],
    fy_year: int,
    *columns: Any,
) -> Select[Any]:
    """SELECT over the summary rows of the year's current runs of the allowed authorities."""
    latest = current_run_ids(authority_ids, fy_year).subquery("latest")
    return (
        select(*columns)
        .select_from(table)
        .join(latest, latest.c.run_id == table.run_id)
        .join(InventoryRun, InventoryRun.id == table.run_id)
        .where(among(InventoryRun.authority_id, authority_ids))
    )


def _categories(authority_ids: Sequence[int], fy_year: int, *columns: Any) -> Select[Any]:
    """The classified (mapped, with a category) rows of ``run_category_total``."""
    t = RunCategoryTotal
    return _totals(t, authority_ids, fy_year, *columns).where(
        t.status == LineStatus.MAPPED, t.category_code.is_not(None)
    )


def inventory_years(session: Session, authority_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(authority id, year) of every year with an inventory among ``authority_ids``: the
    pairs of ``yearly_figures`` without reading the runs' figures."""
    if not authority_ids:
        return []
    stmt = (
        select(InventoryRun.authority_id, InventoryRun.fy_year)
        .where(among(InventoryRun.authority_id, authority_ids))
        .distinct()
    )
    return [(aid, year) for aid, year in session.execute(stmt)]


def inventory_year_counts(session: Session, authority_ids: Sequence[int]) -> dict[int, int]:
    """Year → how many of ``authority_ids`` have an inventory in it: what the pairs of
    ``inventory_years`` say about the years, counted by the database."""
    if not authority_ids:
        return {}
    stmt = (
        select(InventoryRun.fy_year, func.count(func.distinct(InventoryRun.authority_id)))
        .where(among(InventoryRun.authority_id, authority_ids))
        .group_by(InventoryRun.fy_year)
    )
    return {year: int(count) for year, count in session.execute(stmt)}


def yearly_figures(
    session: Session, authority_ids: Sequence[int]
) -> list[tuple[int, int, Decimal, Decimal]]:
    """(authority id, year, kgCO2e, in-scope spend) of every current run among
    ``authority_ids``; in-scope spend is total spend less excluded spend."""
    if not authority_ids:
        return []
    latest = current_run_ids(authority_ids).subquery("latest")
    stmt = select(
        InventoryRun.authority_id,
        InventoryRun.fy_year,
        InventoryRun.total_kgco2e,
        InventoryRun.total_spend,
        InventoryRun.excluded_spend,
    ).join(latest, latest.c.run_id == InventoryRun.id)
    return [
        (aid, year, dec(kg), dec(spend) - dec(excluded))
        for aid, year, kg, spend, excluded in session.execute(stmt)
    ]


def current_run_rows(session: Session, authority_ids: Sequence[int], fy_year: int) -> list[RunRow]:
    """The current run of each of ``authority_ids`` for ``fy_year``, by authority code."""
    if not authority_ids:
        return []
    latest = current_run_ids(authority_ids, fy_year).subquery("latest")
    stmt = (
        select(
            InventoryRun.authority_id,
            Authority.code,
            Authority.name,
            Authority.currency,
            Authority.population,
            Authority.fy_start_month,
            InventoryRun.fy_year,
            InventoryRun.id,
            InventoryRun.version,
            InventoryRun.total_spend,
            InventoryRun.mapped_spend,
            InventoryRun.excluded_spend,
            InventoryRun.total_kgco2e,
            InventoryRun.factor_family,
            InventoryRun.factor_edition,
            InventoryRun.price_year_policy,
            InventoryRun.price_index_key,
            InventoryRun.data_quality,
        )
        .join(latest, latest.c.run_id == InventoryRun.id)
        .join(Authority, Authority.id == InventoryRun.authority_id)
        .order_by(Authority.code, InventoryRun.fy_year)
    )
    rows = []
    for r in session.execute(stmt):
        quality = r.data_quality or {}
        share = quality.get("supplier_specific_share")
        rows.append(
            RunRow(
                authority_id=r.authority_id,
                code=r.code,
                name=r.name,
                currency=r.currency,
                population=r.population,
                fy_start_month=r.fy_start_month,
                fy_year=r.fy_year,
                run_id=r.id,
                version=r.version,
                total_spend=dec(r.total_spend),
                mapped_spend=dec(r.mapped_spend),
                excluded_spend=dec(r.excluded_spend),
                kgco2e=dec(r.total_kgco2e),
                factor_family=r.factor_family,
                factor_edition=r.factor_edition,
                price_year_policy=r.price_year_policy,
                price_index_key=r.price_index_key,
                supplier_specific_share=None if share is None else Decimal(str(share)),
            )
        )
    return rows


def category_uses(
    session: Session,
    authority_ids: Sequence[int],
    fy_year: int,
    authorities: dict[int, tuple[str, str]],
    codes: Sequence[str] | None = None,
) -> list[CategoryUse]:
    """Classified spend and kgCO2e per authority and category (``authorities``: id →
    (code, currency)); only ``codes`` when given."""
    if not authority_ids or (codes is not None and not codes):
        return []
    t = RunCategoryTotal
    supplier_spend = typed_sum(case((t.supplier_specific, t.spend), else_=0), MONEY)
    stmt = (
        _categories(
            authority_ids,
            fy_year,
            InventoryRun.authority_id,
            t.category_code,
            func.max(Factor.name),
            typed_sum(t.spend, MONEY),
            typed_sum(t.kgco2e, KG),
            supplier_spend,
            func.max(InventoryRun.factor_family),
            func.max(InventoryRun.factor_edition),
            func.min(t.factor_year),
            func.max(t.factor_year),
        )
        .outerjoin(Factor, Factor.id == t.factor_id)
        .group_by(InventoryRun.authority_id, t.category_code)
    )
    if codes is not None:
        stmt = stmt.where(t.category_code.in_(list(codes)))
    uses = []
    for aid, code, name, spend, kg, sup, family, edition, y0, y1 in session.execute(stmt):
        years = "" if y0 is None else (f" {y0}" if y0 == y1 else f" {y0}–{y1}")
        uses.append(
            CategoryUse(
                authority=authorities[aid][0],
                code=code,
                name=name or code,
                spend=dec(spend),
                kgco2e=dec(kg),
                supplier_specific_spend=dec(sup),
                factor_basis=f"{family} {edition}{years}",
                currency=authorities[aid][1],
            )
        )
    return uses


def supplier_names(session: Session, supplier_ids: Sequence[int]) -> dict[int, str]:
    if not supplier_ids:
        return {}
    stmt = select(SupplierModel.id, SupplierModel.name).where(
        SupplierModel.id.in_(list(supplier_ids))
    )
    return {row[0]: row[1] for row in session.execute(stmt)}
