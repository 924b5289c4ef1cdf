"""The only dashboards module that opens database sessions.

``create_app`` registers the session factory here; the functions below open a short
read-only session, call ``tracker.queries`` and return plain frozen data (never ORM objects),
so pages, callbacks and figures never see a session. The factory is the only state kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from tracker import queries
from tracker.access import Viewer
from tracker.collaboration import DEFAULT_TOP, Collaboration, collaboration
from tracker.compare import Comparison, compare
from tracker.errors import TrackerError
from tracker.models import Authority
from tracker.queries import (
    AuthorityOverview,
    CategoryRow,
    FactorSetRef,
    RunSummary,
    SupplierRow,
)
from tracker.services.progress import progress

TOP_SUPPLIERS = 15
ZERO = Decimal(0)

_factory: sessionmaker[Session] | None = None


def configure(factory: sessionmaker[Session]) -> None:
    """Set the session factory the dashboards read through (called by ``create_app``)."""
    global _factory
    _factory = factory


@contextmanager
def _read_session() -> Iterator[Session]:
    if _factory is None:
        raise RuntimeError("dashboards.data is not configured; build the app with create_app()")
    session = _factory()
    try:
        yield session
    finally:
        session.rollback()  # read-only: never leave anything behind
        session.close()


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

    @property
    def unmapped_spend(self) -> CategoryRow | None:
        return next((c for c in self.categories if c.code is None), None)


@dataclass(frozen=True)
class AuthorityData:
    authority: AuthorityInfo
    runs: tuple[RunSummary, ...]  # current run per year, oldest first
    selected: YearDetail | None  # None when the authority has no inventory
    pathway: tuple[tuple[int, Decimal], ...] = ()  # target pathway, when a target is set

    @property
    def years(self) -> list[int]:
        return [r.fy_year for r in self.runs]


def _clamped(row: CategoryRow) -> CategoryRow:
    """A category whose credits exceed its purchases shows 0 kgCO2e, as the run total counts it."""
    return row if row.kgco2e >= 0 else replace(row, kgco2e=ZERO)


def overview_data() -> list[AuthorityOverview]:
    with _read_session() as session:
        return queries.authority_overview(session)


def authority_data(code: str, year: int | None = None) -> AuthorityData | None:
    """One authority's runs and the detail of ``year`` (default and fallback: the latest).

    Returns None when no authority has this code.
    """
    with _read_session() as session:
        authority = queries.authority_by_code(session, code)
        if authority is None:
            return None
        info = AuthorityInfo(
            id=authority.id,
            code=authority.code,
            name=authority.name,
            population=authority.population,
            currency=authority.currency,
            fy_start_month=authority.fy_start_month,
        )
        runs = tuple(queries.current_runs(session, authority_ids=[info.id]))
        if not runs:
            return AuthorityData(authority=info, runs=runs, selected=None)
        run = next((r for r in runs if r.fy_year == year), runs[-1])
        detail = YearDetail(
            run=run,
            categories=tuple(
                _clamped(r)
                for r in queries.category_breakdown(
                    session, run_id=run.run_id, authority_id=info.id
                )
            ),
            suppliers=tuple(
                queries.supplier_breakdown(
                    session, run_id=run.run_id, authority_id=info.id, limit=TOP_SUPPLIERS
                )
            ),
            factor_sets=tuple(
                queries.run_factor_sets(session, run_id=run.run_id, authority_id=info.id)
            ),
        )
        return AuthorityData(
            authority=info, runs=runs, selected=detail, pathway=_pathway(session, authority)
        )


def _pathway(session: Session, authority: Authority) -> tuple[tuple[int, Decimal], ...]:
    """The target pathway from the baseline to the target year (empty without a target)."""
    try:
        result = progress(session, authority=authority)
    except TrackerError:
        return ()
    return tuple((y.year, y.pathway_kg) for y in result.years if y.year <= result.target_year)


def comparison_data(viewer: Viewer, year: int | None = None) -> Comparison:
    """Benchmarks of the authorities ``viewer`` may see as aggregates (``tracker.compare``)."""
    with _read_session() as session:
        return compare(session, viewer, year=year)


def collaboration_data(
    viewer: Viewer, year: int | None = None, top: int = DEFAULT_TOP
) -> Collaboration:
    """Shared suppliers, engagement ranking and category spreads for ``viewer``'s group."""
    with _read_session() as session:
        return collaboration(session, viewer, year=year, top=top)
