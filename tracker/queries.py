"""Read-only queries for dashboards and reports.

Every function takes the session first and keyword-only arguments after it, and is scoped
by the authority id(s) it is given. Results are frozen dataclasses; money and emissions are
``Decimal`` on every database (sums are coerced to ``Numeric`` so SQLite floats come back
as ``Decimal`` too).

The *current* inventory of an authority for a financial year is its run with the highest
id for that (authority, year) pair; older runs are kept for audit but never shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Numeric,
    Select,
    case,
    false,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import QueryableAttribute, Session

from tracker.confirmation_sql import CONFIRMATION, CONFIRMED_BY, join_confirmations
from tracker.domain.quality import DataQuality, weighted_quality
from tracker.domain.uncertainty import grouped_sigma, range95
from tracker.models import (
    Authority,
    Factor,
    FactorSet,
    InventoryRun,
    LineEmission,
    RunCategoryTotal,
    RunDepartmentTotal,
    RunQualityTotal,
    RunSupplierTotal,
    SpendLine,
    Supplier,
)

ZERO = Decimal(0)
UNMAPPED = "Unmapped"
UNKNOWN_SUPPLIER = "Unknown supplier"

_MONEY = Numeric(18, 2)
_KG = Numeric(24, 6)


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
        return _ratio(self.mapped_spend, self.total_spend - self.excluded_spend)

    @property
    def range95(self) -> tuple[Decimal, Decimal] | None:
        """The 95 % range of the total, from the run's standard deviation."""
        if self.sigma_kgco2e is None:
            return None
        half = Decimal("1.96") * self.sigma_kgco2e
        return max(ZERO, self.total_kgco2e - half), self.total_kgco2e + half

    @property
    def kg_per_currency_unit(self) -> Decimal | None:
        """kgCO2e per unit of total spend (£ for GBP authorities)."""
        return _ratio(self.total_kgco2e, self.total_spend)


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


@dataclass(frozen=True)
class FactorSetRef:
    """A factor set that a run used, with what is needed to cite it."""

    family: str
    edition: str
    data_year: int
    title: str
    publisher: str
    licence: str
    source_url: str
    source_file: str = ""
    source_sha256: str = ""


def _ratio(num: Decimal, den: Decimal) -> Decimal | None:
    return None if den == 0 else num / den


def _dec(value: Any) -> Decimal:
    """A SQL sum as a Decimal (NULL, the sum of nothing, is 0)."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _select_run_lines(*columns: Any) -> Select[Any]:
    """SELECT over one run's line emissions joined to their run and spend lines."""
    return (
        select(*columns)
        .select_from(LineEmission)
        .join(InventoryRun, InventoryRun.id == LineEmission.run_id)
        .join(SpendLine, SpendLine.id == LineEmission.spend_line_id)
    )


def _run_scope(run_id: int, authority_id: int) -> tuple[ColumnElement[bool], ...]:
    """The run, and the authority checked on both the run and each line, so that no
    query can return another authority's lines (defence in depth)."""
    return (
        LineEmission.run_id == run_id,
        InventoryRun.authority_id == authority_id,
        SpendLine.authority_id == authority_id,
    )


def _select_run_totals(
    table: type[RunCategoryTotal]
    | type[RunSupplierTotal]
    | type[RunDepartmentTotal]
    | type[RunQualityTotal],
    run_id: int,
    authority_id: int,
    *columns: Any,
) -> Select[Any]:
    """SELECT over one run's summary rows (``tracker.models.summary``), the run checked
    to belong to the authority."""
    return (
        select(*columns)
        .select_from(table)
        .join(InventoryRun, InventoryRun.id == table.run_id)
        .where(table.run_id == run_id, InventoryRun.authority_id == authority_id)
    )


def _sum(
    column: QueryableAttribute[Decimal] | ColumnElement[Any], type_: Numeric[Decimal]
) -> ColumnElement[Decimal]:
    return type_coerce(func.sum(column), type_)


def _current_runs_select(
    authority_ids: Sequence[int] | None,
) -> Select[InventoryRun, str, str, int]:
    latest = select(
        InventoryRun.authority_id.label("authority_id"),
        InventoryRun.fy_year.label("fy_year"),
        func.max(InventoryRun.id).label("run_id"),
    ).group_by(InventoryRun.authority_id, InventoryRun.fy_year)
    if authority_ids is not None:
        latest = latest.where(InventoryRun.authority_id.in_(list(authority_ids)))
    latest_sq = latest.subquery("latest")
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
            total_spend=_dec(run.total_spend),
            mapped_spend=_dec(run.mapped_spend),
            total_kgco2e=_dec(run.total_kgco2e),
            factor_family=run.factor_family,
            factor_edition=run.factor_edition,
            created_at=run.created_at,
            excluded_spend=_dec(run.excluded_spend),
            sigma_kgco2e=None if run.sigma_kgco2e is None else _dec(run.sigma_kgco2e),
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
        stmt = stmt.where(Authority.id.in_(list(authority_ids)))
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


def category_breakdown(session: Session, *, run_id: int, authority_id: int) -> list[CategoryRow]:
    """Spend and kgCO2e per category of one run, largest emissions first.

    All unmapped spend is one row (code None, name "Unmapped", 0 kgCO2e). Values are net
    sums, so a category whose credit notes exceed its purchases has negative kgCO2e; callers
    that present totals clamp it to 0 and flag it, as ``tracker.domain.calculate`` does.
    """
    t = RunCategoryTotal
    stmt = (
        _select_run_totals(
            t,
            run_id,
            authority_id,
            t.status,
            t.category_code,
            func.max(Factor.name).label("name"),
            _sum(t.spend, _MONEY).label("spend"),
            _sum(t.kgco2e, _KG).label("kgco2e"),
        )
        .outerjoin(Factor, Factor.id == t.factor_id)
        .group_by(t.status, t.category_code)
    )
    rows: list[CategoryRow] = []
    unmapped_spend = ZERO
    has_unmapped = False
    for status, code, name, spend_sum, kg_sum in session.execute(stmt):
        if status == "excluded":  # out of scope: see excluded_breakdown
            continue
        if status != "mapped" or code is None:
            has_unmapped = True
            unmapped_spend += _dec(spend_sum)
            continue
        rows.append(
            CategoryRow(
                code=code,
                name=name or code,
                spend=_dec(spend_sum),
                kgco2e=_dec(kg_sum),
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
    spend = _sum(t.spend, _MONEY)
    kg = _sum(t.kgco2e, _KG)
    stmt = (
        _select_run_totals(t, run_id, authority_id, display_name, spend, kg)
        .outerjoin(Supplier, Supplier.id == t.supplier_id)
        .group_by(t.supplier_id, display_name)
        .order_by(kg.desc(), spend.desc(), display_name)
        .limit(limit)
    )
    return [
        SupplierRow(supplier=name or UNKNOWN_SUPPLIER, spend=_dec(s), kgco2e=_dec(k))
        for name, s, k in session.execute(stmt)
    ]


def run_factor_sets(session: Session, *, run_id: int, authority_id: int) -> list[FactorSetRef]:
    """The factor sets that one run's mapped lines used, oldest data year first."""
    stmt = (
        select(FactorSet)
        .where(
            FactorSet.id.in_(
                _select_run_totals(
                    RunCategoryTotal, run_id, authority_id, RunCategoryTotal.factor_set_id
                ).where(RunCategoryTotal.factor_set_id.is_not(None))
            )
        )
        .order_by(FactorSet.family, FactorSet.edition, FactorSet.data_year)
    )
    return [
        FactorSetRef(
            family=fs.family,
            edition=fs.edition,
            data_year=fs.data_year,
            title=fs.title,
            publisher=fs.publisher,
            licence=fs.licence,
            source_url=fs.source_url,
            source_file=fs.source_file,
            source_sha256=fs.source_sha256,
        )
        for fs in session.scalars(stmt)
    ]


def authority_by_code(session: Session, code: str) -> Authority | None:
    """The authority of that code, or None (also for a code no authority can have: one
    with a NUL character, which PostgreSQL refuses to compare)."""
    if "\x00" in code:
        return None
    return session.scalar(select(Authority).where(Authority.code == code))


@dataclass(frozen=True)
class ExcludedRow:
    reason: str
    spend: Decimal
    lines: int


def excluded_breakdown(session: Session, *, run_id: int, authority_id: int) -> list[ExcludedRow]:
    """Spend left out of the inventory (salaries, grants, own energy …), by reason."""
    stmt = (
        _select_run_lines(LineEmission.reason, _sum(SpendLine.amount, _MONEY), func.count())
        .where(*_run_scope(run_id, authority_id), LineEmission.status == "excluded")
        .group_by(LineEmission.reason)
    )
    rows = [
        ExcludedRow(reason=(r or "excluded").removeprefix("excluded: "), spend=_dec(s), lines=n)
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
    spend = _sum(SpendLine.amount, _MONEY)
    stmt = (
        _select_run_lines(payee, LineEmission.reason, spend, func.count())
        .outerjoin(Supplier, Supplier.id == SpendLine.supplier_id)
        .where(*_run_scope(run_id, authority_id), LineEmission.status == "excluded")
        .group_by(payee, LineEmission.reason)
        .order_by(spend.desc(), payee)
        .limit(max(min(limit, 100), 1))
    )
    return [
        ExcludedPayee(p, (r or "excluded").removeprefix("excluded: "), _dec(s), n)
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
    stmt = _select_run_totals(
        t,
        run_id,
        authority_id,
        t.status,
        t.method,
        _sum(t.spend, _MONEY),
        func.sum(t.lines),
        _sum(t.kgco2e, _KG),
    ).group_by(t.status, t.method)
    rows = [
        CoverageRow(
            status=s, method=m if s != "unmapped" else None, spend=_dec(v), lines=n, kgco2e=_dec(k)
        )
        for s, m, v, n, k in session.execute(stmt)
    ]
    return sorted(rows, key=lambda r: (r.status, -abs(r.spend)))


@dataclass(frozen=True)
class ReviewGroup:
    supplier: str | None
    expense_type: str | None
    spend: Decimal
    lines: int
    status: str  # unmapped, or mapped or excluded with low confidence
    kgco2e: Decimal = ZERO  # the group's own (classified lines only)
    category: str | None = None  # the group a low-confidence mapped group went to


def _in_review() -> ColumnElement[bool]:
    """Lines the review queue lists: unclassified, or classified or excluded with low
    confidence."""
    low = LineEmission.status.in_(("mapped", "excluded")) & (LineEmission.confidence == "low")
    return (LineEmission.status == "unmapped") | low


def review_queue(
    session: Session,
    *,
    run_id: int,
    authority_id: int,
    limit: int | None = 50,
    offset: int = 0,
) -> list[ReviewGroup]:
    """Unclassified spend, and spend classified or excluded with low confidence, grouped by
    supplier, expense type and the category decided (if any), largest first, so that
    reviewing the top groups covers most of it (``limit`` None: every group; ``offset``
    groups skipped first, for paging)."""
    spend = _sum(SpendLine.amount, _MONEY)
    stmt = (
        _select_run_lines(
            SpendLine.supplier_name,
            SpendLine.expense_type,
            LineEmission.status,
            LineEmission.category_code,
            spend,
            func.count(),
            _sum(LineEmission.kgco2e, _KG),
        )
        .where(
            *_run_scope(run_id, authority_id),
            _in_review(),
        )
        .group_by(
            SpendLine.supplier_name,
            SpendLine.expense_type,
            LineEmission.status,
            LineEmission.category_code,
        )
        .order_by(
            func.abs(spend).desc(),
            SpendLine.supplier_name,
            SpendLine.expense_type,
            LineEmission.status,
            LineEmission.category_code,
        )
        .limit(limit)
        .offset(offset)
    )
    return [
        ReviewGroup(
            supplier=s,
            expense_type=e,
            spend=_dec(v),
            lines=n,
            status=st,
            kgco2e=_dec(k),
            category=c,
        )
        for s, e, st, c, v, n, k in session.execute(stmt)
    ]


def review_group_count(session: Session, *, run_id: int, authority_id: int) -> int:
    """How many groups :func:`review_queue` would list without a limit."""
    groups = (
        _select_run_lines(SpendLine.supplier_name)
        .where(*_run_scope(run_id, authority_id), _in_review())
        .group_by(
            SpendLine.supplier_name,
            SpendLine.expense_type,
            LineEmission.status,
            LineEmission.category_code,
        )
        .subquery()
    )
    return int(session.execute(select(func.count()).select_from(groups)).scalar_one())


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
        _select_run_totals(
            t, run_id, authority_id, category, _sum(t.spend, _MONEY), _sum(t.kgco2e, _KG)
        )
        .where(t.status == "mapped")
        .group_by(category)
        .order_by(category)
    )
    return [Scope3Row(int(c), _dec(s), _dec(k)) for c, s, k in session.execute(stmt)]


@dataclass(frozen=True)
class LineRow:
    spend_line_id: int
    date: dt.date
    supplier: str | None
    description: str | None
    expense_type: str | None
    amount: Decimal
    kgco2e: Decimal
    method: str | None = None  # how it was classified: sic, library, rule, override, ...
    rule: str | None = None  # the code, rule id or supplier that decided
    decided_by: str | None = None  # who wrote that rule, default or override
    overruled: str | None = None  # evidence that disagreed and lost
    confidence: str | None = None  # high, medium, low (None: unclassified)
    confirmation: str | None = None  # "confirmed", "needs re-confirming" or None
    confirmed_by: str | None = None


def category_lines(
    session: Session,
    *,
    run_id: int,
    authority_id: int,
    category_code: str | None,
    offset: int = 0,
    limit: int = 25,
) -> tuple[int, list[LineRow]]:
    """The spend lines behind one category of a run (``None``: the unmapped lines),
    largest emissions then spend first: (how many there are, one page of them)."""
    if category_code is None:
        which = LineEmission.status == "unmapped"
    else:
        which = (LineEmission.status == "mapped") & (LineEmission.category_code == category_code)
    scope = (*_run_scope(run_id, authority_id), which)
    total = session.scalar(_select_run_lines(func.count()).where(*scope)) or 0
    stmt = (
        _select_run_lines(
            SpendLine.id,
            SpendLine.transaction_date,
            func.coalesce(Supplier.name, SpendLine.supplier_name),
            SpendLine.description,
            SpendLine.expense_type,
            SpendLine.amount,
            LineEmission.kgco2e,
            LineEmission.method,
            LineEmission.matched_code,
            LineEmission.decided_by,
            LineEmission.overruled,
            LineEmission.confidence,
            CONFIRMATION,
            CONFIRMED_BY,
        )
        .outerjoin(Supplier, Supplier.id == SpendLine.supplier_id)
        .outerjoin(Factor, Factor.id == LineEmission.factor_id)
    )
    stmt = (
        join_confirmations(stmt)
        .where(*scope)
        .order_by(LineEmission.kgco2e.desc(), SpendLine.amount.desc(), SpendLine.id)
        .offset(max(offset, 0))
        .limit(max(min(limit, 200), 1))
    )
    rows = [
        LineRow(i, d, s, desc, e, _dec(a), _dec(k), m, rule, who, lost, conf, state, by)
        for i, d, s, desc, e, a, k, m, rule, who, lost, conf, state, by in session.execute(stmt)
    ]
    return total, rows


@dataclass(frozen=True)
class FactorEdition:
    """One edition of a factor set family, over all its data years."""

    family: str
    edition: str
    data_years: tuple[int, ...]
    title: str
    publisher: str
    unit: str
    code_system: str
    gwp: str | None
    licence: str
    source_url: str
    source_file: str
    source_sha256: str
    factors: int  # factors across all its data years
    loaded_at: dt.datetime


def factor_editions(session: Session) -> list[FactorEdition]:
    """The loaded factor sets grouped by family and edition (reference data, not scoped)."""
    counted = select(Factor.factor_set_id, func.count()).group_by(Factor.factor_set_id)
    counts: dict[int, int] = {}
    for set_id, n in session.execute(counted):
        counts[set_id] = n
    grouped: dict[tuple[str, str], list[FactorSet]] = {}
    for fs in session.scalars(
        select(FactorSet).order_by(FactorSet.family, FactorSet.edition, FactorSet.data_year)
    ):
        grouped.setdefault((fs.family, fs.edition), []).append(fs)
    out = []
    for (family, edition), sets in grouped.items():
        latest = sets[-1]
        out.append(
            FactorEdition(
                family=family,
                edition=edition,
                data_years=tuple(fs.data_year for fs in sets),
                title=latest.title,
                publisher=latest.publisher,
                unit=latest.unit,
                code_system=latest.code_system,
                gwp=latest.gwp,
                licence=latest.licence,
                source_url=latest.source_url,
                source_file=latest.source_file,
                source_sha256=latest.source_sha256,
                factors=sum(counts.get(fs.id, 0) for fs in sets),
                loaded_at=max(fs.loaded_at for fs in sets),
            )
        )
    return out


def review_descriptions(
    session: Session,
    *,
    run_id: int,
    authority_id: int,
    groups: Sequence[ReviewGroup],
    per_group: int = 10,
) -> dict[tuple[str | None, str | None], list[str]]:
    """The line descriptions of each review group (supplier, expense type) of one run,
    largest spend first, at most ``per_group`` each."""
    wanted = {(g.supplier, g.expense_type) for g in groups}
    suppliers = {s for s, _ in wanted if s is not None}
    if not wanted:
        return {}
    spend = _sum(func.abs(SpendLine.amount), _MONEY)
    supplier_in: ColumnElement[bool] = (
        SpendLine.supplier_name.in_(suppliers) if suppliers else false()
    )
    if any(s is None for s, _ in wanted):
        supplier_in = supplier_in | SpendLine.supplier_name.is_(None)
    stmt = (
        _select_run_lines(SpendLine.supplier_name, SpendLine.expense_type, SpendLine.description)
        .add_columns(spend)
        .where(
            *_run_scope(run_id, authority_id),
            supplier_in,
            SpendLine.description.is_not(None),
            _in_review(),
        )
        .group_by(SpendLine.supplier_name, SpendLine.expense_type, SpendLine.description)
        .order_by(spend.desc())
    )
    out: dict[tuple[str | None, str | None], list[str]] = {}
    for supplier, expense_type, text, _spend in session.execute(stmt):
        found = out.setdefault((supplier, expense_type), [])
        if (supplier, expense_type) in wanted and len(found) < per_group:
            found.append(text)
    return {k: v for k, v in out.items() if v}


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
    mapped_kg = case((t.status == "mapped", t.kgco2e), else_=0)
    excluded = case((t.status == "excluded", t.spend), else_=0)
    stmt = _select_run_totals(
        t,
        run_id,
        authority_id,
        department,
        _sum(t.spend, _MONEY),
        _sum(excluded, _MONEY),
        _sum(mapped_kg, _KG),
        func.sum(t.lines),
    ).group_by(department)
    rows = [
        DepartmentRow(department=d, spend=_dec(s), excluded_spend=_dec(x), kgco2e=_dec(k), lines=n)
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
    stmt = _select_run_totals(
        t, run_id, authority_id, t.category_code, t.dq, t.spend, t.abs_spend, t.kgco2e, t.kg2
    )
    groups: dict[str, list[tuple[Decimal, Decimal, Decimal, Decimal, DataQuality | None]]] = {}
    for code, dq, spend, weight, kg, kg2 in session.execute(stmt):
        scores = None if dq is None else DataQuality.from_digits(dq)
        groups.setdefault(code or UNMAPPED, []).append(
            (_dec(spend), _dec(weight), _dec(kg), _dec(kg2), scores)
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
