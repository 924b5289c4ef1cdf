"""The authority page's data: an authority's runs, the detail of one year, and the spend
lines behind a category."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy.orm import Session

from dashboards.data.access import authority_for
from dashboards.data.sessions import plausibility_limits, read_session
from dashboards.data.targets import TargetStatus, progress_or_none, target_status
from tracker.access import Viewer
from tracker.domain.calculate import reported_kg
from tracker.domain.completeness import YearCompleteness, part_year_notes
from tracker.domain.plausibility import DEFAULT_LIMITS, Limits, YearFlag
from tracker.domain.staleness import stale_sentence
from tracker.models import Authority, InventoryRun
from tracker.queries import lines as line_queries
from tracker.queries.breakdowns import (
    CategoryRow,
    CoverageRow,
    ExcludedPayee,
    ExcludedRow,
    Scope3Row,
    SupplierRow,
    category_breakdown,
    coverage,
    excluded_breakdown,
    excluded_payees,
    scope3_breakdown,
    supplier_breakdown,
)
from tracker.queries.concentration import DominantLine, check_sentence, dominant_lines
from tracker.queries.current import lock_of
from tracker.queries.lines import LineRow
from tracker.queries.reference import FactorSetRef, run_factor_sets
from tracker.queries.runs import RunSummary, current_runs
from tracker.services.authorities import counted_exclusions
from tracker.services.completeness import completeness
from tracker.services.plausibility import year_checks
from tracker.services.versions import stale_reasons_of
from tracker.storage.memo import Memo, database_key

TOP_SUPPLIERS = 15
TOP_EXCLUDED = 10
LINES_PER_PAGE = 25
ZERO = Decimal(0)


@dataclass(frozen=True)
class AuthorityInfo:
    id: int
    code: str
    name: str
    population: int | None
    currency: str
    fy_start_month: int


@dataclass(frozen=True)
class YearDetail:
    """Everything the authority page shows for one financial year's current run."""

    run: RunSummary
    categories: tuple[CategoryRow, ...]
    suppliers: tuple[SupplierRow, ...]
    factor_sets: tuple[FactorSetRef, ...]
    scope3: tuple[Scope3Row, ...] = ()
    coverage: tuple[CoverageRow, ...] = ()
    locked: bool = False
    excluded: tuple[ExcludedRow, ...] = ()  # spend left out, by reason
    excluded_payees: tuple[ExcludedPayee, ...] = ()  # the largest payees left out
    # spend the policy excludes that the authority counts: (reason, its note)
    counted: tuple[tuple[str, str], ...] = ()
    # "Figures out of date: 3 rules changed since this run; recalculate." (None: up to date)
    out_of_date: str | None = None
    # the kept run-only parts the fields above come from (``run_parts``), so the page can
    # draw them once per run
    parts: RunParts | None = None
    # lines carrying most of their category's emissions, what to check of each, in words
    # (tracker.domain.concentration)
    lines_to_check: tuple[str, ...] = ()

    @property
    def unmapped_spend(self) -> CategoryRow | None:
        return next((c for c in self.categories if c.code is None), None)


@dataclass(frozen=True)
class AuthorityData:
    authority: AuthorityInfo
    runs: tuple[RunSummary, ...]  # current run per year, oldest first
    selected: YearDetail | None  # None when the authority has no inventory
    pathway: tuple[tuple[int, Decimal], ...] = ()  # target pathway, when a target is set
    can_edit: bool = False
    target: TargetStatus | None = None  # None when no target is set
    # Part years (fewer than 12 months of lines, not confirmed complete) and their notes,
    # "part year (3 of 12 months)" (tracker.domain.completeness).
    part_years: Mapping[int, str] = field(default_factory=dict)
    # Part years an officer confirmed complete, described with who confirmed them.
    confirmed_years: Mapping[int, str] = field(default_factory=dict)
    #: every year that looks implausible (a jump against the year before), in words
    year_checks: tuple[str, ...] = ()
    #: the rule they were flagged by, in words (``Limits.jump_rule``)
    year_check_rule: str = DEFAULT_LIMITS.jump_rule()

    @property
    def years(self) -> list[int]:
        return [r.fy_year for r in self.runs]


def _clamped(row: CategoryRow) -> CategoryRow:
    """A category whose credits exceed its purchases shows 0 kgCO2e, as the run total counts it."""
    return row if row.kgco2e >= 0 else replace(row, kgco2e=reported_kg(row.kgco2e))


def _info(authority: Authority) -> AuthorityInfo:
    return AuthorityInfo(
        id=authority.id,
        code=authority.code,
        name=authority.name,
        population=authority.population,
        currency=authority.currency,
        fy_start_month=authority.fy_start_month,
    )


def _counted(session: Session, authority_id: int) -> tuple[tuple[str, str], ...]:
    """The exclusions the authority chose to count, each with its note."""
    authority = session.get(Authority, authority_id)
    return () if authority is None else counted_exclusions(session, authority)


@dataclass(frozen=True)
class RunParts:
    """What the authority page shows of a run that only the run's own rows decide: its
    category totals (with factor names), factor sets, scope 3 split, coverage, the
    spend it left out by reason and the lines carrying most of their category (a line's
    supplier is the name it was imported with, which no merge or rename changes)."""

    categories: tuple[CategoryRow, ...]
    factor_sets: tuple[FactorSetRef, ...]
    scope3: tuple[Scope3Row, ...]
    coverage: tuple[CoverageRow, ...]
    excluded: tuple[ExcludedRow, ...]
    dominant: tuple[DominantLine, ...] = ()


# A run and its summary rows never change once stored (a recalculation is a new run), so
# these parts are kept under the database, the authority and the run (its id and when it
# was made, so an id a database hands out again is another key). The supplier and payee
# lists are read afresh: they carry supplier names, which a merge or rename changes.
_RUN_PARTS: Memo[RunParts] = Memo(size=512)


def run_parts(session: Session, run: RunSummary, authority_id: int) -> RunParts:
    """The run-only parts of ``run`` of ``authority_id`` (kept: see ``_RUN_PARTS``)."""
    key = (database_key(session), authority_id, run.run_id, run.created_at)
    kept = _RUN_PARTS.get(key)
    if kept is not None:
        return kept
    scope = {"run_id": run.run_id, "authority_id": authority_id}
    parts = RunParts(
        categories=tuple(_clamped(r) for r in category_breakdown(session, **scope)),
        factor_sets=tuple(run_factor_sets(session, **scope)),
        scope3=tuple(scope3_breakdown(session, **scope)),
        coverage=tuple(coverage(session, **scope)),
        excluded=tuple(excluded_breakdown(session, **scope)),
        dominant=tuple(dominant_lines(session, **scope, total_kgco2e=run.total_kgco2e)),
    )
    _RUN_PARTS.put(key, parts)
    return parts


def _year_detail(session: Session, run: RunSummary, authority_id: int) -> YearDetail:
    scope = {"run_id": run.run_id, "authority_id": authority_id}
    locked = lock_of(session, authority_id, run.fy_year) is not None
    authority = session.get_one(Authority, authority_id)
    reasons = stale_reasons_of(
        session, authority, run.fy_year, session.get_one(InventoryRun, run.run_id)
    )
    parts = run_parts(session, run, authority_id)
    return YearDetail(
        run=run,
        categories=parts.categories,
        suppliers=tuple(supplier_breakdown(session, **scope, limit=TOP_SUPPLIERS)),
        factor_sets=parts.factor_sets,
        scope3=parts.scope3,
        coverage=parts.coverage,
        locked=locked,
        excluded=parts.excluded,
        excluded_payees=tuple(excluded_payees(session, **scope, limit=TOP_EXCLUDED)),
        counted=_counted(session, authority_id),
        out_of_date=stale_sentence(reasons, locked=locked) if reasons else None,
        parts=parts,
        lines_to_check=tuple(check_sentence(d, authority.currency) for d in parts.dominant),
    )


def authority_data(viewer: Viewer, code: str, year: int | None = None) -> AuthorityData:
    """One authority's runs and the detail of ``year`` (default and fallback: the latest).

    Raises ``AccessDenied`` when the viewer may not see the authority (or it does not exist).
    """
    limits = plausibility_limits()
    with read_session() as session:
        authority = authority_for(session, viewer, code)
        info = _info(authority)
        runs = tuple(current_runs(session, authority_ids=[info.id]))
        can_edit = viewer.can_edit(info.id)
        if not runs:
            return AuthorityData(authority=info, runs=runs, selected=None, can_edit=can_edit)
        run = next((r for r in runs if r.fy_year == year), runs[-1])
        p = progress_or_none(session, authority)
        pathway = (
            tuple((y.year, y.pathway_kg) for y in p.years if y.year <= p.target_year) if p else ()
        )
        years = completeness(session, authority)
        return AuthorityData(
            authority=info,
            runs=runs,
            selected=_year_detail(session, run, info.id),
            pathway=pathway,
            can_edit=can_edit,
            target=None if p is None else target_status(p, authority.fy_start_month),
            part_years=part_year_notes(years),
            confirmed_years={
                y: c.describe() for y, c in years.items() if c.confirmed_by and not c.full
            },
            year_checks=tuple(f.reason for f in _year_checks(session, runs, years, limits)),
            year_check_rule=limits.jump_rule(),
        )


def _year_checks(
    session: Session,
    runs: tuple[RunSummary, ...],
    years: Mapping[int, YearCompleteness],
    limits: Limits,
) -> list[YearFlag]:
    """The authority's implausible years, from the runs and completeness the page has
    read already (the same current runs ``gq.yearly_figures`` reads: kgCO2e and in-scope
    spend, total less excluded), instead of reading them a second time."""
    if not runs:
        return []
    aid = runs[0].authority_id
    figures = [(aid, r.fy_year, r.total_kgco2e, r.total_spend - r.excluded_spend) for r in runs]
    flags = year_checks(session, [aid], limits=limits, coverage={aid: years}, figures=figures)
    return flags.get(aid, [])


@dataclass(frozen=True)
class LinesPage:
    category_code: str | None
    total: int
    offset: int
    rows: tuple[LineRow, ...]
    currency: str


def category_lines(
    viewer: Viewer, code: str, year: int, category_code: str | None, page: int = 0
) -> LinesPage:
    """One page of the spend lines behind a category of the year's current inventory."""
    with read_session() as session:
        authority = authority_for(session, viewer, code)
        runs = current_runs(session, authority_ids=[authority.id])
        run = next((r for r in runs if r.fy_year == year), None)
        if run is None:
            return LinesPage(category_code, 0, 0, (), authority.currency)
        offset = max(page, 0) * LINES_PER_PAGE
        total, rows = line_queries.category_lines(
            session,
            run_id=run.run_id,
            authority_id=authority.id,
            category_code=category_code,
            offset=offset,
            limit=LINES_PER_PAGE,
        )
        return LinesPage(category_code, total, offset, tuple(rows), authority.currency)
