"""The only dashboards module that opens database sessions.

``create_app`` registers the session factory here. Every function that returns authority
data takes the signed-in :class:`~tracker.access.Viewer` first and asks ``tracker.access``
what it may see: lines and per-supplier figures only of authorities the viewer has full
access to (:func:`tracker.access.full_access_ids`); a refusal is
:class:`~tracker.access.AccessDenied`. Results are plain frozen data, never ORM objects.

Modules with their own page logic (``dashboards.workflows`` …) open sessions only through
:func:`read_session` and :func:`write_session`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import BadRequest

from dashboards.vocabulary import method_name
from tracker.access import AccessDenied, Viewer, full_access_ids
from tracker.db import declare_read_only, declare_write
from tracker.domain.completeness import part_year_notes
from tracker.domain.periods import fy_label
from tracker.domain.plausibility import DEFAULT_LIMITS, Limits
from tracker.errors import TrackerError
from tracker.models import Authority, PeriodLock
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
from tracker.queries.lines import LineRow
from tracker.queries.reference import FactorSetRef, authority_by_code, run_factor_sets
from tracker.queries.runs import AuthorityOverview, RunSummary, authority_overview, current_runs
from tracker.services.authorities import counted_exclusions
from tracker.services.collaboration import DEFAULT_TOP, Collaboration, collaboration
from tracker.services.compare import Comparison, compare
from tracker.services.completeness import completeness, completeness_by_id
from tracker.services.plausibility import year_checks
from tracker.services.progress import Progress, progress
from tracker.services.users import (
    begin_login,
    check_login,
    record_login,
    session_user,
    viewer_of,
)
from tracker.services.users import end_sessions as end_user_sessions

TOP_SUPPLIERS = 15
TOP_EXCLUDED = 10
LINES_PER_PAGE = 25
ZERO = Decimal(0)
NO_ACCESS = "You do not have access to this authority."

_factory: sessionmaker[Session] | None = None
_limits: Limits = DEFAULT_LIMITS


def configure(factory: sessionmaker[Session], limits: Limits = DEFAULT_LIMITS) -> None:
    """Set the session factory the dashboards read through, and the limits implausible
    years are flagged beyond (``Settings.plausibility``); called by ``create_app``."""
    global _factory, _limits
    _factory = factory
    _limits = limits


def _new_session() -> Session:
    if _factory is None:
        raise RuntimeError("dashboards.data is not configured; build the app with create_app()")
    return _factory()


@contextmanager
def read_session() -> Iterator[Session]:
    """A short session that never writes: its transaction is read-only in the database
    (``tracker.db.READ_ONLY``: a write fails) and is rolled back at the end."""
    session = _new_session()
    try:
        declare_read_only(session)
        yield session
    finally:
        session.rollback()
        session.close()


@contextmanager
def write_session() -> Iterator[Session]:
    """One unit of work: committed on success, rolled back on any error."""
    session = _new_session()
    try:
        declare_write(session)
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# -- Users -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedIn:
    """Who signed in, and the session version their session carries."""

    viewer: Viewer
    session_version: int


def login(email: str, password: str, remote_addr: str) -> SignedIn | None:
    """The signed-in user for these credentials, or None; the attempt is recorded either
    way. Raises ``LoginThrottled`` after too many failures (counting tries made at the same
    moment: ``begin_login`` counts and records in one step)."""
    with write_session() as session:
        attempt = begin_login(session, email=email, remote_addr=remote_addr)
    with read_session() as session:  # the slow password hash holds no write lock
        check = check_login(session, attempt=attempt, password=password)
    with write_session() as session:
        user = record_login(session, check)
        return None if user is None else SignedIn(viewer_of(user), user.session_version)


def load_viewer(user_id: int, session_version: int) -> Viewer | None:
    """The viewer for a signed-in session, read afresh on every request so that a changed
    role applies at once; None once the user is deactivated or deleted or the session was
    ended (log-out, new password, new role)."""
    with read_session() as session:
        user = session_user(session, user_id, session_version)
        return None if user is None else viewer_of(user)


def end_sessions(user_id: int) -> None:
    """End every session the user has open (at log-out)."""
    with write_session() as session:
        end_user_sessions(session, user_id)


# -- Access ------------------------------------------------------------------------------


def authority_for(session: Session, viewer: Viewer, code: str | None) -> Authority:
    """The authority ``code`` if the viewer may see its lines; ``AccessDenied`` otherwise.

    Officers and viewers are refused any code but their own, whether it exists or not, so
    the answer never tells them which other codes exist.
    """
    if code is not None and not isinstance(code, str):  # a request edited to send a list
        raise BadRequest("An authority code is text, e.g. SAL.")
    authority = authority_by_code(session, code) if code else None
    if authority is None or not viewer.sees_lines(authority.id):
        raise AccessDenied(NO_ACCESS)
    return authority


def editable_authority(session: Session, viewer: Viewer, code: str | None) -> Authority:
    authority = authority_for(session, viewer, code)
    viewer.require_edit(authority.id)
    return authority


@dataclass(frozen=True)
class AuthorityChoice:
    code: str
    name: str
    years: tuple[int, ...]  # financial years with an inventory, oldest first
    fy_start_month: int


def visible_authorities(viewer: Viewer) -> list[AuthorityChoice]:
    """The authorities whose pages the viewer may open (by code), with their years."""
    with read_session() as session:
        ids = full_access_ids(session, viewer)
        return [
            AuthorityChoice(r.code, r.name, tuple(y for y, _ in r.trend), r.fy_start_month)
            for r in authority_overview(session, authority_ids=ids)
        ]


def page_missing(viewer: Viewer, path: str) -> str | None:
    """For an admin (who may open every authority), why ``/authority/CODE`` is not there;
    None otherwise. Others are only ever told "access denied" (see :func:`authority_for`)."""
    parts = [p for p in path.split("/") if p]
    if not (viewer.is_admin and len(parts) == 2 and parts[0] == "authority"):
        return None
    with read_session() as session:
        if authority_by_code(session, parts[1]) is not None:
            return None
    return (
        f"There is no authority with the code “{parts[1]}”. "
        "Check the address, or pick an authority from the overview."
    )


def page_forbidden(viewer: Viewer, path: str) -> str | None:
    """Why the viewer may not open the page at ``path`` (a reason), or None if they may."""
    parts = [p for p in path.split("/") if p]
    if len(parts) == 2 and parts[0] == "authority":
        with read_session() as session:
            try:
                authority_for(session, viewer, parts[1])
            except AccessDenied:
                return NO_ACCESS
    if parts[:1] == ["upload"] and viewer.role not in ("admin", "officer"):
        return "Uploading spend files needs an officer's or an admin's log-in."
    return None


# -- Overview ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetStatus:
    """What the overview and the authority page say about a target: the target in words,
    the latest year's status with the sentence that explains it, and the notice shown
    while the baseline years' figures differ from the recorded baseline."""

    statement: str
    target_year_label: str
    status: str | None  # on track | at risk | off track; None for no status yet
    sentence: str | None
    baseline_notice: str | None = None
    no_status_reason: str = "The latest year is the baseline year: no status yet."


def target_status(p: Progress, fy_start_month: int) -> TargetStatus:
    latest = p.latest
    return TargetStatus(
        statement=p.target_text,
        target_year_label=fy_label(p.target_year, fy_start_month),
        status=None if latest is None else latest.status,
        sentence=None if latest is None else latest.sentence,
        baseline_notice=p.baseline_notice,
    )


@dataclass(frozen=True)
class OverviewRow:
    overview: AuthorityOverview
    baseline_year: int | None = None
    baseline_kgco2e: Decimal | None = None  # as recorded on the target
    status: str | None = None  # on track | at risk | off track, for the latest year
    target_year: int | None = None
    target_kgco2e: Decimal | None = None
    target: TargetStatus | None = None
    # Part years and their notes, "part year (3 of 12 months)" (tracker.domain.completeness).
    part_years: Mapping[int, str] = field(default_factory=dict)
    #: why the latest year looks implausible (a jump against the year before), in words
    checks: tuple[str, ...] = ()

    @property
    def change_against_baseline(self) -> Decimal | None:
        """The latest year against the target's recorded baseline."""
        latest = self.overview.latest_kgco2e
        if latest is None or not self.baseline_kgco2e:
            return None
        return (latest - self.baseline_kgco2e) / self.baseline_kgco2e

    @property
    def previous_year(self) -> tuple[int, Decimal] | None:
        """The year before the latest and its emissions, when it has an inventory."""
        latest = self.overview.latest_year
        return next(((y, kg) for y, kg in self.overview.trend if y == (latest or 0) - 1), None)

    @property
    def change_on_previous_year(self) -> Decimal | None:
        """Year on year: the latest year against the one before it."""
        previous, latest = self.previous_year, self.overview.latest_kgco2e
        if previous is None or latest is None or not previous[1]:
            return None
        return (latest - previous[1]) / previous[1]


def _progress_or_none(session: Session, authority: Authority) -> Progress | None:
    try:
        return progress(session, authority=authority)
    except TrackerError:  # no target, or no inventory for the baseline
        return None


def overview_data(viewer: Viewer) -> list[OverviewRow]:
    """Headline figures, with progress against the target, of every authority the viewer
    may see in full."""
    with read_session() as session:
        ids = full_access_ids(session, viewer)
        flags = year_checks(session, ids, limits=_limits)
        rows = []
        overview = authority_overview(session, authority_ids=ids)
        coverage = completeness_by_id(session, {r.authority_id: r.fy_start_month for r in overview})
        for row in overview:
            authority = session.get_one(Authority, row.authority_id)
            part = part_year_notes(coverage[row.authority_id])
            checks = tuple(
                f.reason for f in flags.get(row.authority_id, []) if f.year == row.latest_year
            )
            p = _progress_or_none(session, authority)
            if p is None:
                rows.append(OverviewRow(row, part_years=part, checks=checks))
                continue
            latest = next((y for y in p.years if y.year == p.latest_year), None)
            rows.append(
                OverviewRow(
                    row,
                    baseline_year=max(p.baseline_years),
                    baseline_kgco2e=p.baseline_kg,
                    status=latest.status if latest else None,
                    target_year=p.target_year,
                    target_kgco2e=p.target_kg,
                    target=target_status(p, authority.fy_start_month),
                    part_years=part,
                    checks=checks,
                )
            )
        return rows


# -- One authority -----------------------------------------------------------------------


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
    #: every year that looks implausible (a jump against the year before), in words
    year_checks: tuple[str, ...] = ()
    #: the rule they were flagged by, in words (``Limits.jump_rule``)
    year_check_rule: str = DEFAULT_LIMITS.jump_rule()

    @property
    def years(self) -> list[int]:
        return [r.fy_year for r in self.runs]


def _clamped(row: CategoryRow) -> CategoryRow:
    """A category whose credits exceed its purchases shows 0 kgCO2e, as the run total counts it."""
    return row if row.kgco2e >= 0 else replace(row, kgco2e=ZERO)


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


def _year_detail(session: Session, run: RunSummary, authority_id: int) -> YearDetail:
    scope = {"run_id": run.run_id, "authority_id": authority_id}
    lock = select(PeriodLock.id).where(
        PeriodLock.authority_id == authority_id, PeriodLock.fy_year == run.fy_year
    )
    locked = session.scalar(lock) is not None
    return YearDetail(
        run=run,
        categories=tuple(_clamped(r) for r in category_breakdown(session, **scope)),
        suppliers=tuple(supplier_breakdown(session, **scope, limit=TOP_SUPPLIERS)),
        factor_sets=tuple(run_factor_sets(session, **scope)),
        scope3=tuple(scope3_breakdown(session, **scope)),
        coverage=tuple(coverage(session, **scope)),
        locked=locked,
        excluded=tuple(excluded_breakdown(session, **scope)),
        excluded_payees=tuple(excluded_payees(session, **scope, limit=TOP_EXCLUDED)),
        counted=_counted(session, authority_id),
    )


def authority_data(viewer: Viewer, code: str, year: int | None = None) -> AuthorityData:
    """One authority's runs and the detail of ``year`` (default and fallback: the latest).

    Raises ``AccessDenied`` when the viewer may not see the authority (or it does not exist).
    """
    with read_session() as session:
        authority = authority_for(session, viewer, code)
        info = _info(authority)
        runs = tuple(current_runs(session, authority_ids=[info.id]))
        can_edit = viewer.can_edit(info.id)
        if not runs:
            return AuthorityData(authority=info, runs=runs, selected=None, can_edit=can_edit)
        run = next((r for r in runs if r.fy_year == year), runs[-1])
        p = _progress_or_none(session, authority)
        pathway = (
            tuple((y.year, y.pathway_kg) for y in p.years if y.year <= p.target_year) if p else ()
        )
        return AuthorityData(
            authority=info,
            runs=runs,
            selected=_year_detail(session, run, info.id),
            pathway=pathway,
            can_edit=can_edit,
            target=None if p is None else target_status(p, authority.fy_start_month),
            part_years=part_year_notes(completeness(session, authority)),
            year_checks=tuple(
                f.reason for f in year_checks(session, [info.id], limits=_limits).get(info.id, [])
            ),
            year_check_rule=_limits.jump_rule(),
        )


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


def comparison_data(viewer: Viewer, year: int | None = None) -> Comparison:
    """Benchmarks of the authorities ``viewer`` may see as aggregates
    (``tracker.services.compare``)."""
    with read_session() as session:
        return compare(session, viewer, year=year, method_label=method_name, limits=_limits)


def collaboration_data(
    viewer: Viewer, year: int | None = None, top: int = DEFAULT_TOP
) -> Collaboration:
    """Shared suppliers, engagement ranking and category spreads for ``viewer``'s group."""
    with read_session() as session:
        return collaboration(session, viewer, year=year, top=top)
