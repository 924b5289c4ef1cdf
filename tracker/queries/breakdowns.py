"""One run broken down: by category, supplier, department, Scope 3 category, data quality,
coverage and exclusions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    case,
    func,
)
from sqlalchemy.orm import Session

from tracker.domain.codes import LineStatus
from tracker.domain.quality import DataQuality, weighted_quality
from tracker.domain.uncertainty import grouped_sigma, range95
from tracker.models import (
    Factor,
    LineEmission,
    RunCategoryTotal,
    RunDepartmentTotal,
    RunQualityTotal,
    RunSupplierTotal,
    SpendLine,
    Supplier,
)
from tracker.queries.sql import (
    KG,
    MONEY,
    ZERO,
    dec,
    run_scope,
    select_run_lines,
    select_run_totals,
    typed_sum,
)

UNMAPPED = "Unmapped"


UNKNOWN_SUPPLIER = "Unknown supplier"


@dataclass(frozen=True)
class CategoryRow:
    code: str | None  # None for the unmapped row
    name: str
    spend: Decimal
    kgco2e: Decimal


@dataclass(frozen=True)
class SupplierRow:
    supplier: str
    spend: Decimal
    kgco2e: Decimal


def category_breakdown(session: Session, *, run_id: int, authority_id: int) -> list[CategoryRow]:
    """Spend and kgCO2e per category of one run, largest emissions first.

    All unmapped spend is one row (code None, name "Unmapped", 0 kgCO2e). Values are net
    sums, so a category whose credit notes exceed its purchases has negative kgCO2e; callers
    that present totals clamp it to 0 and flag it, as ``tracker.domain.calculate`` does.
    """
    t = RunCategoryTotal
    stmt = (
        select_run_totals(
            t,
            run_id,
            authority_id,
            t.status,
            t.category_code,
            func.max(Factor.name).label("name"),
            typed_sum(t.spend, MONEY).label("spend"),
            typed_sum(t.kgco2e, KG).label("kgco2e"),
        )
        .outerjoin(Factor, Factor.id == t.factor_id)
        .group_by(t.status, t.category_code)
    )
    rows: list[CategoryRow] = []
    unmapped_spend = ZERO
    has_unmapped = False
    for status, code, name, spend_sum, kg_sum in session.execute(stmt):
        if status == LineStatus.EXCLUDED:  # out of scope: see excluded_breakdown
            continue
        if status != LineStatus.MAPPED or code is None:
            has_unmapped = True
            unmapped_spend += dec(spend_sum)
            continue
        rows.append(
            CategoryRow(
                code=code,
                name=name or code,
                spend=dec(spend_sum),
                kgco2e=dec(kg_sum),
            )
        )
    if has_unmapped:
        rows.append(CategoryRow(code=None, name=UNMAPPED, spend=unmapped_spend, kgco2e=ZERO))
    rows.sort(key=lambda r: (-r.kgco2e, -r.spend, r.code is None, r.code or ""))
    return rows


def supplier_breakdown(
    session: Session, *, run_id: int, authority_id: int, limit: int | None = 20
) -> list[SupplierRow]:
    """The ``limit`` suppliers (None: all) with the largest kgCO2e in one run.

    Lines are grouped by supplier record when they have one, else by their raw supplier
    name; lines with neither are shown as "Unknown supplier".
    """
    t = RunSupplierTotal
    display_name = func.coalesce(Supplier.name, t.supplier_name)
    spend = typed_sum(t.spend, MONEY)
    kg = typed_sum(t.kgco2e, KG)
    stmt = (
        select_run_totals(t, run_id, authority_id, display_name, spend, kg)
        .outerjoin(Supplier, Supplier.id == t.supplier_id)
        .group_by(t.supplier_id, display_name)
        .order_by(kg.desc(), spend.desc(), display_name)
        .limit(limit)
    )
    return [
        SupplierRow(supplier=name or UNKNOWN_SUPPLIER, spend=dec(s), kgco2e=dec(k))
        for name, s, k in session.execute(stmt)
    ]


@dataclass(frozen=True)
class ExcludedRow:
    reason: str
    spend: Decimal
    lines: int


def excluded_breakdown(session: Session, *, run_id: int, authority_id: int) -> list[ExcludedRow]:
    """Spend left out of the inventory (salaries, grants, own energy …), by reason."""
    stmt = (
        select_run_lines(LineEmission.reason, typed_sum(SpendLine.amount, MONEY), func.count())
        .where(*run_scope(run_id, authority_id), LineEmission.status == LineStatus.EXCLUDED)
        .group_by(LineEmission.reason)
    )
    rows = [
        ExcludedRow(reason=(r or "excluded").removeprefix("excluded: "), spend=dec(s), lines=n)
        for r, s, n in session.execute(stmt)
    ]
    return sorted(rows, key=lambda r: -abs(r.spend))


@dataclass(frozen=True)
class ExcludedPayee:
    payee: str
    reason: str
    spend: Decimal
    lines: int


def excluded_payees(
    session: Session, *, run_id: int, authority_id: int, limit: int = 10
) -> list[ExcludedPayee]:
    """The payees with the most spend left out of the inventory, with the reason (a
    pooled health budget, a levy …), so a reader knows what the inventory leaves out."""
    payee = func.coalesce(Supplier.name, SpendLine.supplier_name, "(no payee)")
    spend = typed_sum(SpendLine.amount, MONEY)
    stmt = (
        select_run_lines(payee, LineEmission.reason, spend, func.count())
        .outerjoin(Supplier, Supplier.id == SpendLine.supplier_id)
        .where(*run_scope(run_id, authority_id), LineEmission.status == LineStatus.EXCLUDED)
        .group_by(payee, LineEmission.reason)
        .order_by(spend.desc(), payee)
        .limit(max(min(limit, 100), 1))
    )
    return [
        ExcludedPayee(p, (r or "excluded").removeprefix("excluded: "), dec(s), n)
        for p, r, s, n in session.execute(stmt)
    ]


@dataclass(frozen=True)
class CoverageRow:
    status: str  # mapped | excluded | unmapped
    method: str | None  # how mapped lines were classified (sic, proclass, mcc, rule, …)
    spend: Decimal
    lines: int
    kgco2e: Decimal = ZERO


def coverage(session: Session, *, run_id: int, authority_id: int) -> list[CoverageRow]:
    """Spend by classification outcome and method in one run."""
    t = RunCategoryTotal
    stmt = select_run_totals(
        t,
        run_id,
        authority_id,
        t.status,
        t.method,
        typed_sum(t.spend, MONEY),
        func.sum(t.lines),
        typed_sum(t.kgco2e, KG),
    ).group_by(t.status, t.method)
    rows = [
        CoverageRow(
            status=s,
            method=m if s != LineStatus.UNMAPPED else None,
            spend=dec(v),
            lines=n,
            kgco2e=dec(k),
        )
        for s, m, v, n, k in session.execute(stmt)
    ]
    return sorted(rows, key=lambda r: (r.status, -abs(r.spend)))


@dataclass(frozen=True)
class Scope3Row:
    category: int  # GHG Protocol Scope 3 category: 1 purchased goods and services, 2 capital
    spend: Decimal
    kgco2e: Decimal


def scope3_breakdown(session: Session, *, run_id: int, authority_id: int) -> list[Scope3Row]:
    """Mapped spend and kgCO2e of one run by Scope 3 category (no category counts as 1)."""
    t = RunCategoryTotal
    category = func.coalesce(t.scope3_category, 1)
    stmt = (
        select_run_totals(
            t, run_id, authority_id, category, typed_sum(t.spend, MONEY), typed_sum(t.kgco2e, KG)
        )
        .where(t.status == LineStatus.MAPPED)
        .group_by(category)
        .order_by(category)
    )
    return [Scope3Row(int(c), dec(s), dec(k)) for c, s, k in session.execute(stmt)]


NO_DEPARTMENT = "(none)"


@dataclass(frozen=True)
class DepartmentRow:
    department: str  # the line's cost centre; "(none)" when it is blank
    spend: Decimal  # every line, excluded ones too
    excluded_spend: Decimal
    kgco2e: Decimal  # mapped lines only
    lines: int


def department_breakdown(
    session: Session, *, run_id: int, authority_id: int
) -> list[DepartmentRow]:
    """Spend and kgCO2e per department (the lines' cost centre) in one run, largest
    emissions first. Blank cost centres form one "(none)" row; excluded lines count in
    spend (and in ``excluded_spend``) but never in kgCO2e."""
    t = RunDepartmentTotal
    department = func.coalesce(t.department, NO_DEPARTMENT).label("department")
    mapped_kg = case((t.status == LineStatus.MAPPED, t.kgco2e), else_=0)
    excluded = case((t.status == LineStatus.EXCLUDED, t.spend), else_=0)
    stmt = select_run_totals(
        t,
        run_id,
        authority_id,
        department,
        typed_sum(t.spend, MONEY),
        typed_sum(excluded, MONEY),
        typed_sum(mapped_kg, KG),
        func.sum(t.lines),
    ).group_by(department)
    rows = [
        DepartmentRow(department=d, spend=dec(s), excluded_spend=dec(x), kgco2e=dec(k), lines=n)
        for d, s, x, k, n in session.execute(stmt)
    ]
    return sorted(rows, key=lambda r: (-r.kgco2e, -r.spend, r.department))


@dataclass(frozen=True)
class CategoryQualityRow:
    """Data quality and uncertainty of one category's mapped lines in one run."""

    code: str
    spend: Decimal  # net spend
    kgco2e: Decimal  # net sum (negative when credits exceed purchases)
    quality: DataQuality | None  # spend-weighted (absolute spend), 1 very good … 5 unknown
    sigma_kgco2e: Decimal  # one standard deviation of the category total

    @property
    def range95(self) -> tuple[Decimal, Decimal]:
        """The 95 % range of the category total as reported (negative nets shown as 0)."""
        return range95(max(self.kgco2e, ZERO), self.sigma_kgco2e)


def category_quality(
    session: Session, *, run_id: int, authority_id: int
) -> list[CategoryQualityRow]:
    """Per category of mapped lines: the spend-weighted data-quality scores and the σ of
    its total, from the per-line scores stored on each line (``LineEmission.dq``).

    Lines with the same scores share one relative spread (tracker.domain.uncertainty), so
    the query sums ``kg²`` per (category, scores) and the variances add in quadrature.
    Largest emissions first.
    """
    t = RunQualityTotal
    stmt = select_run_totals(
        t, run_id, authority_id, t.category_code, t.dq, t.spend, t.abs_spend, t.kgco2e, t.kg2
    )
    groups: dict[str, list[tuple[Decimal, Decimal, Decimal, Decimal, DataQuality | None]]] = {}
    for code, dq, spend, weight, kg, kg2 in session.execute(stmt):
        scores = None if dq is None else DataQuality.from_digits(dq)
        groups.setdefault(code or UNMAPPED, []).append(
            (dec(spend), dec(weight), dec(kg), dec(kg2), scores)
        )
    rows = []
    for code, parts in groups.items():
        scored = [(w, q) for _, w, _, _, q in parts if q is not None]
        rows.append(
            CategoryQualityRow(
                code=code,
                spend=sum((p[0] for p in parts), ZERO),
                kgco2e=sum((p[2] for p in parts), ZERO),
                quality=weighted_quality(scored),
                sigma_kgco2e=grouped_sigma((kg2, q) for _, _, _, kg2, q in parts if q),
            )
        )
    return sorted(rows, key=lambda r: (-r.kgco2e, r.code))
