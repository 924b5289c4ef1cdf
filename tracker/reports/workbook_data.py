"""Everything the inventory workbook shows besides the inventory itself, read once.

``gather`` reads the report's breakdowns, the authority's other years, its target
pathway, the factor sets and exchange rates the run used, and its restatements, so that
the workbook writer is a plain function of this data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import case, extract, func, select
from sqlalchemy.orm import Session

from tracker import __version__
from tracker.domain.codes import LineStatus, Method
from tracker.domain.periods import fy_label
from tracker.errors import TrackerError
from tracker.models import (
    Authority,
    ExchangeRate,
    FactorSet,
    InventoryRun,
    LineEmission,
    RunCategoryTotal,
    SpendLine,
)
from tracker.queries.breakdowns import (
    CategoryQualityRow,
    CoverageRow,
    DepartmentRow,
    category_quality,
    coverage,
    department_breakdown,
)
from tracker.queries.reference import FactorSetRef, run_factor_sets
from tracker.queries.runs import current_runs
from tracker.reports.inventory import InventoryReport, SupplierLine
from tracker.services.completeness import completeness
from tracker.services.contracts.figures import ContractFigures, authority_contracts
from tracker.services.progress import Progress, progress
from tracker.services.suppliers.kpis import (
    KpiRow,
    UnplannedContract,
    kpi_rows,
    not_assessed_contracts,
    unplanned_contracts,
)
from tracker.services.versions import audit_log

TOP_SUPPLIERS = 100
ALL_OTHERS = "All others"
ZERO = Decimal(0)
Range = tuple[Decimal, Decimal]


@dataclass(frozen=True)
class YearFigure:
    year: int
    label: str
    kgco2e: Decimal
    spend: Decimal
    version: int
    pathway_kg: Decimal | None = None
    range95: tuple[Decimal, Decimal] | None = None  # the total's 95 % range, kg
    months_covered: int | None = None  # months of the year with lines (None: no lines)
    part_year: bool = False  # fewer than 12 months and not confirmed complete

    @property
    def months_text(self) -> str:
        """``3 of 12 months``."""
        return f"{self.months_covered or 0} of 12 months"


@dataclass(frozen=True)
class Restated:
    year: int
    at: dt.datetime
    actor: str
    reason: str
    from_version: int | None
    to_version: int | None
    from_kg: Decimal | None
    to_kg: Decimal | None


@dataclass(frozen=True)
class RateUsed:
    currency: str
    year: int
    factor_currency: str
    rate: Decimal
    lines: int
    source: str


@dataclass(frozen=True)
class OtherSuppliers:
    suppliers: int
    spend: Decimal
    kgco2e: Decimal


@dataclass(frozen=True)
class WorkbookData:
    report: InventoryReport
    currency: str
    fy_start_month: int
    generated_at: dt.datetime
    tracker_version: str
    categories: list[CategoryQualityRow]
    category_names: dict[str, str]
    top_suppliers: list[SupplierLine]
    other_suppliers: OtherSuppliers | None
    departments: list[DepartmentRow]
    coverage: list[CoverageRow]
    years: list[YearFigure]
    progress: Progress | None
    factor_sets: list[FactorSetRef]
    rates: list[RateUsed]
    restatements: list[Restated]
    supplier_kg_by_scope3: dict[int, Decimal]
    # The authority's contracts with spend to date and estimates (tracker.services.contracts).
    contracts: list[ContractFigures] = field(default_factory=list)
    # Share of spend with suppliers that have a plan, by year; contracts over PPN 006's
    # threshold without one (tracker.services.suppliers.kpis).
    supplier_kpis: list[KpiRow] = field(default_factory=list)
    unplanned_contracts: list[UnplannedContract] = field(default_factory=list)
    # Contracts over the threshold in total without dates to assess them by (PPN 006).
    contracts_not_assessed: int = 0

    def label(self, year: int) -> str:
        """A year of this authority as ``2023/24``."""
        return fy_label(year, self.fy_start_month)

    @property
    def this_year(self) -> YearFigure | None:
        return next((y for y in self.years if y.year == self.report.year), None)

    @property
    def previous_year(self) -> YearFigure | None:
        return next((y for y in self.years if y.year == self.report.year - 1), None)

    @property
    def baseline(self) -> tuple[str, Decimal] | None:
        """The target's baseline (label, kg); without a target, the first year inventoried."""
        if self.progress is not None:
            years = " and ".join(self.label(y) for y in self.progress.baseline_years)
            return f"target baseline {years}", self.progress.baseline_kg
        first = self.years[0] if self.years else None
        if first is None or first.year >= self.report.year:
            return None
        return f"first year inventoried, {first.label}", first.kgco2e


def gather(
    session: Session,
    report: InventoryReport,
    *,
    now: dt.datetime | None = None,
    top_suppliers: int = TOP_SUPPLIERS,
) -> WorkbookData:
    """What the workbook shows besides ``report``, which must list every supplier (built
    by ``build_inventory_report`` without ``supplier_limit``) for the "all others" row."""
    run_id, authority_id = report.run_id, report.authority_id
    authority = session.get_one(Authority, authority_id)
    suppliers = report.by_supplier  # every supplier (built without a supplier limit)
    rest = suppliers[top_suppliers:]
    today = (now or dt.datetime.now(dt.UTC)).date()
    try:
        pathway: Progress | None = progress(session, authority=authority)
    except TrackerError:
        pathway = None
    return WorkbookData(
        report=report,
        currency=authority.currency,
        fy_start_month=authority.fy_start_month,
        generated_at=now or dt.datetime.now(dt.UTC),
        tracker_version=__version__,
        categories=category_quality(session, run_id=run_id, authority_id=authority_id),
        category_names={c.code: c.name for c in report.by_category if c.code is not None},
        top_suppliers=suppliers[:top_suppliers],
        other_suppliers=OtherSuppliers(
            suppliers=len(rest),
            spend=sum((s.spend for s in rest), ZERO),
            kgco2e=sum((s.kgco2e for s in rest), ZERO),
        )
        if rest
        else None,
        departments=department_breakdown(session, run_id=run_id, authority_id=authority_id),
        coverage=coverage(session, run_id=run_id, authority_id=authority_id),
        years=_years(session, authority, report, pathway),
        progress=pathway,
        factor_sets=run_factor_sets(session, run_id=run_id, authority_id=authority_id),
        rates=_rates(session, report),
        restatements=_restatements(session, authority),
        supplier_kg_by_scope3=_supplier_kg_by_scope3(session, report),
        contracts=authority_contracts(session, authority, today=today),
        supplier_kpis=kpi_rows(session, [authority_id], group=False),
        unplanned_contracts=unplanned_contracts(session, [authority_id], today=today),
        contracts_not_assessed=not_assessed_contracts(session, [authority_id], today=today),
    )


def _years(
    session: Session, authority: Authority, report: InventoryReport, pathway: Progress | None
) -> list[YearFigure]:
    """Every year's current inventory (this report's version for its own year)."""
    path = {} if pathway is None else {y.year: y.pathway_kg for y in pathway.years}
    coverage = completeness(session, authority)

    def figure(
        year: int, kg: Decimal, spend: Decimal, version: int, range95: Range | None
    ) -> YearFigure:
        c = coverage.get(year)
        label = fy_label(year, authority.fy_start_month)
        part = c is not None and not c.complete
        return YearFigure(
            year,
            f"{label} (part year)" if part else label,
            kg,
            spend,
            version,
            path.get(year),
            range95,
            None if c is None else c.months_covered,
            part,
        )

    figures = {
        r.fy_year: figure(r.fy_year, r.total_kgco2e, r.total_spend, r.version, r.range95)
        for r in current_runs(session, authority_ids=[authority.id])
    }
    figures[report.year] = figure(
        report.year, report.total_kgco2e, report.total_spend, report.version, report.range95
    )
    # Pathway years without an inventory yet (up to the target) are shown too.
    for year, kg in path.items():
        if year not in figures:
            label = fy_label(year, authority.fy_start_month)
            figures[year] = YearFigure(year, label, ZERO, ZERO, 0, kg)
    return [figures[y] for y in sorted(figures)]


def _rates(session: Session, report: InventoryReport) -> list[RateUsed]:
    """The exchange rates the run's lines were converted with, by currency and year."""
    year = extract("year", SpendLine.transaction_date)
    stmt = (
        select(SpendLine.currency, year, FactorSet.currency, LineEmission.fx_rate, func.count())
        .select_from(LineEmission)
        .join(SpendLine, SpendLine.id == LineEmission.spend_line_id)
        .outerjoin(FactorSet, FactorSet.id == LineEmission.factor_set_id)
        .where(
            LineEmission.run_id == report.run_id,
            SpendLine.authority_id == report.authority_id,
            LineEmission.fx_rate.is_not(None),
        )
        .group_by(SpendLine.currency, year, FactorSet.currency, LineEmission.fx_rate)
        .order_by(SpendLine.currency, year)
    )
    sources = {(r.base, r.quote, r.year): r.source for r in session.scalars(select(ExchangeRate))}
    out = []
    for currency, spend_year, factor_currency, rate, lines in session.execute(stmt):
        quote = factor_currency or ""
        source = sources.get((currency, quote, int(spend_year))) or sources.get(
            (quote, currency, int(spend_year)), ""
        )
        out.append(RateUsed(currency, int(spend_year), quote, Decimal(str(rate)), lines, source))
    return out


def _restatements(session: Session, authority: Authority) -> list[Restated]:
    out = []
    for e in audit_log(session, authority):
        if e.action != "restate" or e.fy_year is None:
            continue
        d = e.details or {}
        out.append(
            Restated(
                year=e.fy_year,
                at=e.at,
                actor=e.actor,
                reason=e.reason or "",
                from_version=d.get("from_version"),
                to_version=d.get("to_version"),
                from_kg=_maybe_decimal(d.get("from_kgco2e")),
                to_kg=_maybe_decimal(d.get("to_kgco2e")),
            )
        )
    return out


def _maybe_decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _supplier_kg_by_scope3(session: Session, report: InventoryReport) -> dict[int, Decimal]:
    """kgCO2e from supplier-specific factors per Scope 3 category (mapped lines)."""
    t = RunCategoryTotal
    supplier_kg = func.sum(case((t.method == Method.SUPPLIER, t.kgco2e), else_=0))
    stmt = (
        select(t.scope3_category, supplier_kg)
        .join(InventoryRun, InventoryRun.id == t.run_id)
        .where(
            t.run_id == report.run_id,
            InventoryRun.authority_id == report.authority_id,
            t.status == LineStatus.MAPPED,
        )
        .group_by(t.scope3_category)
    )
    return {int(c or 1): Decimal(str(kg or 0)) for c, kg in session.execute(stmt)}
