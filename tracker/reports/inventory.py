"""The inventory of one authority and financial year, as plain data for every output.

The CLI (table, JSON, CSV), the Excel report and the dashboard all render this one
structure, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.calculate import reported_kg
from tracker.domain.codes import LineStatus
from tracker.domain.periods import fy_label
from tracker.domain.staleness import stale_sentence
from tracker.domain.uncertainty import range95
from tracker.domain.units import to_tonnes
from tracker.models import Authority, FactorSet, InventoryRun
from tracker.queries.breakdowns import (
    category_breakdown,
    coverage,
    excluded_breakdown,
    excluded_payees,
    scope3_breakdown,
    supplier_breakdown,
)
from tracker.queries.concentration import DominantLine, check_sentence, dominant_lines
from tracker.queries.current import lock_of
from tracker.services.authorities import get_authority
from tracker.services.versions import get_version, shown_run, stale_reasons_of


@dataclass(frozen=True)
class CategoryLine:
    code: str | None
    name: str
    spend: Decimal
    kgco2e: Decimal
    clamped: bool = False


@dataclass(frozen=True)
class ExcludedLine:
    reason: str
    spend: Decimal
    lines: int


@dataclass(frozen=True)
class ExcludedPayeeLine:
    payee: str
    reason: str
    spend: Decimal
    lines: int


@dataclass(frozen=True)
class SupplierLine:
    supplier: str
    spend: Decimal
    kgco2e: Decimal


@dataclass(frozen=True)
class FactorSource:
    family: str
    edition: str
    title: str
    publisher: str
    licence: str
    source_url: str
    years: list[int]


@dataclass(frozen=True)
class InventoryReport:
    authority_code: str
    authority_name: str
    authority_id: int
    year: int
    year_label: str
    period_start: dt.date
    period_end: dt.date
    run_id: int
    computed_at: dt.datetime
    tracker_version: str
    price_year_policy: str
    price_index: str
    factor_source: FactorSource
    line_count: int
    total_spend: Decimal
    mapped_spend: Decimal
    total_kgco2e: Decimal
    by_category: list[CategoryLine]
    by_supplier: list[SupplierLine]
    excluded_spend: Decimal = Decimal(0)
    excluded: list[ExcludedLine] = field(default_factory=list)
    excluded_payees: list[ExcludedPayeeLine] = field(default_factory=list)
    by_scope3: dict[int, Decimal] = field(default_factory=dict)
    by_method: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)  # mapped
    sigma_kgco2e: Decimal | None = None
    data_quality: dict[str, Any] | None = None
    version: int = 1
    locked: bool = False
    stale: bool = False  # inputs changed since this version was computed
    # what changed since, in words ("3 rules changed"; tracker.domain.staleness)
    stale_reasons: list[str] = field(default_factory=list)
    reason: str | None = None  # why this version exists (restatements)
    # Stored rules the run skipped because their pattern cannot match
    # (see services.classification.builder)
    skipped_rules: list[str] = field(default_factory=list)
    currency: str = "GBP"  # the authority's: every amount above is in it
    # Lines carrying most of their category's emissions (tracker.domain.concentration)
    dominant_lines: list[DominantLine] = field(default_factory=list)

    @property
    def lines_to_check(self) -> list[str]:
        """What to check of each dominant line, in words."""
        return [check_sentence(line, self.currency) for line in self.dominant_lines]

    @property
    def range95(self) -> tuple[Decimal, Decimal] | None:
        """The 95 % range of the total (tracker.domain.uncertainty)."""
        if self.sigma_kgco2e is None:
            return None
        return range95(self.total_kgco2e, self.sigma_kgco2e)

    @property
    def stale_notice(self) -> str:
        """ "Figures out of date: 3 rules changed since this run; recalculate." ("" when
        the run is up to date); for the locked version of a year, restate instead."""
        return stale_sentence(self.stale_reasons, locked=self.locked) if self.stale else ""

    @property
    def unmapped_spend(self) -> Decimal:
        """In-scope spend that no code, rule or supplier default classifies."""
        return self.total_spend - self.mapped_spend - self.excluded_spend

    def as_dict(self) -> dict[str, Any]:
        f = self.factor_source
        return {
            "authority": self.authority_code,
            "authority_name": self.authority_name,
            "year": self.year,
            "year_label": self.year_label,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "inventory_run": self.run_id,
            "version": self.version,
            "locked": self.locked,
            "inputs_changed_since": self.stale,
            "out_of_date": None if not self.stale else self.stale_notice,
            "version_reason": self.reason,
            "skipped_rules": self.skipped_rules,
            "factor_set": {
                "source": f.family,
                "edition": f.edition,
                "title": f.title,
                "publisher": f.publisher,
                "licence": f.licence,
                "source_url": f.source_url,
                "data_years": f.years,
            },
            "price_year_policy": self.price_year_policy,
            "price_index": self.price_index,
            "line_count": self.line_count,
            "currency": self.currency,
            "total_spend": float(self.total_spend),
            "mapped_spend": float(self.mapped_spend),
            "unmapped_spend": float(self.unmapped_spend),
            "excluded_spend": float(self.excluded_spend),
            "excluded": [
                {"reason": e.reason, "spend": float(e.spend), "lines": e.lines}
                for e in self.excluded
            ],
            "largest_excluded_payees": [
                {"payee": e.payee, "reason": e.reason, "spend": float(e.spend), "lines": e.lines}
                for e in self.excluded_payees
            ],
            "by_method": [
                {"method": m, "spend": float(s), "kgco2e": float(k)} for m, s, k in self.by_method
            ],
            "by_scope3_category": [
                {"category": c, "kgco2e": float(kg)} for c, kg in sorted(self.by_scope3.items())
            ],
            "total_kgco2e": float(self.total_kgco2e),
            "total_tco2e": float(to_tonnes(self.total_kgco2e)),
            "uncertainty": None
            if self.range95 is None
            else {
                "sigma_kgco2e": float(self.sigma_kgco2e or 0),
                "range95_kgco2e": [float(v) for v in self.range95],
                "model": "lognormal per line from data-quality scores; lines independent",
            },
            "data_quality": self.data_quality,
            "by_category": [
                {
                    "code": c.code,
                    "name": c.name,
                    "spend": float(c.spend),
                    "kgco2e": float(c.kgco2e),
                    "net_negative_shown_as_zero": c.clamped,
                }
                for c in self.by_category
            ],
            "by_supplier": [
                {"supplier": s.supplier, "spend": float(s.spend), "kgco2e": float(s.kgco2e)}
                for s in self.by_supplier
            ],
            "lines_to_check": [
                {
                    "category": d.category.code,
                    "category_name": d.category_name,
                    "line": f"{d.batch_id}:{d.source_row}",
                    "supplier": d.supplier,
                    "date": d.date.isoformat(),
                    "spend": float(d.amount),
                    "kgco2e": float(d.category.largest_kgco2e),
                    "category_kgco2e": float(d.category.kgco2e),
                    "check": sentence,
                }
                for d, sentence in zip(self.dominant_lines, self.lines_to_check, strict=True)
            ],
        }


def build_inventory_report(
    session: Session,
    *,
    code: str | None = None,
    authority: Authority | None = None,
    year: int,
    version: int | None = None,
    supplier_limit: int | None = None,
) -> InventoryReport:
    """Assemble the inventory of ``authority`` (or the authority ``code``) for ``year``:
    the given stored version, or the one shown (the locked version, else the latest).

    It only reads: a run is never computed here. When none exists it says so
    (``NotFoundError``); when its inputs changed since, the report is marked out of date
    with the reasons (``stale_reasons``).
    """
    if authority is None:
        authority = get_authority(session, code or "")
    if version is None:
        run = shown_run(session, authority, year)
    else:
        run = get_version(session, authority, year, version)
    lock = lock_of(session, authority.id, year)
    reasons = stale_reasons_of(session, authority, year, run)
    categories = [
        CategoryLine(
            code=row.code,
            name=row.name,
            spend=row.spend,
            kgco2e=reported_kg(row.kgco2e),
            clamped=row.kgco2e < 0,
        )
        for row in category_breakdown(session, run_id=run.id, authority_id=authority.id)
    ]
    suppliers = [
        SupplierLine(supplier=row.supplier, spend=row.spend, kgco2e=row.kgco2e)
        for row in supplier_breakdown(
            session, run_id=run.id, authority_id=authority.id, limit=supplier_limit
        )
    ]
    return InventoryReport(
        authority_code=authority.code,
        authority_name=authority.name,
        authority_id=authority.id,
        year=year,
        year_label=fy_label(year, authority.fy_start_month),
        period_start=run.period_start,
        period_end=run.period_end,
        run_id=run.id,
        computed_at=run.created_at,
        tracker_version=run.tracker_version,
        price_year_policy=run.price_year_policy,
        price_index=run.price_index_key,
        factor_source=_factor_source(session, run),
        line_count=run.line_count,
        total_spend=Decimal(run.total_spend),
        mapped_spend=Decimal(run.mapped_spend),
        total_kgco2e=Decimal(run.total_kgco2e),
        by_category=categories,
        by_supplier=suppliers,
        excluded_spend=Decimal(run.excluded_spend),
        excluded=[
            ExcludedLine(e.reason, e.spend, e.lines)
            for e in excluded_breakdown(session, run_id=run.id, authority_id=authority.id)
        ],
        excluded_payees=[
            ExcludedPayeeLine(e.payee, e.reason, e.spend, e.lines)
            for e in excluded_payees(session, run_id=run.id, authority_id=authority.id)
        ],
        by_scope3=_by_scope3(session, run),
        by_method=[
            (c.method or "?", c.spend, c.kgco2e)
            for c in coverage(session, run_id=run.id, authority_id=authority.id)
            if c.status == LineStatus.MAPPED
        ],
        sigma_kgco2e=None if run.sigma_kgco2e is None else Decimal(run.sigma_kgco2e),
        data_quality=run.data_quality,
        version=run.version,
        locked=lock is not None and lock.run_id == run.id,
        stale=bool(reasons),
        stale_reasons=reasons,
        reason=run.reason,
        skipped_rules=list(run.inputs.get("skipped_rules", [])),
        currency=authority.currency,
        dominant_lines=dominant_lines(
            session,
            run_id=run.id,
            authority_id=authority.id,
            total_kgco2e=Decimal(run.total_kgco2e),
        ),
    )


def _by_scope3(session: Session, run: InventoryRun) -> dict[int, Decimal]:
    """kgCO2e by GHG Protocol Scope 3 category (1 purchased goods and services, 2 capital),
    from the run's summary rows as the dashboard reads them (``scope3_breakdown``)."""
    rows = scope3_breakdown(session, run_id=run.id, authority_id=run.authority_id)
    return {r.category: reported_kg(r.kgco2e) for r in rows}


def _factor_source(session: Session, run: InventoryRun) -> FactorSource:
    sets = list(
        session.scalars(
            select(FactorSet)
            .where(FactorSet.family == run.factor_family, FactorSet.edition == run.factor_edition)
            .order_by(FactorSet.data_year)
        )
    )
    first = sets[0]
    return FactorSource(
        family=first.family,
        edition=first.edition,
        title=first.title,
        publisher=first.publisher,
        licence=first.licence,
        source_url=first.source_url,
        years=[s.data_year for s in sets],
    )
