"""The overview page's data: every authority the viewer may see, with its progress."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from dashboards.data.sessions import plausibility_limits, read_session
from dashboards.data.targets import TargetStatus, progress_or_none, target_status
from tracker.access import Viewer, full_access_ids
from tracker.domain.completeness import part_year_notes
from tracker.models import Authority
from tracker.queries.runs import AuthorityOverview, authority_overview
from tracker.services.completeness import completeness_by_id
from tracker.services.plausibility import year_checks


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


def overview_data(viewer: Viewer) -> list[OverviewRow]:
    """Headline figures, with progress against the target, of every authority the viewer
    may see in full."""
    with read_session() as session:
        ids = full_access_ids(session, viewer)
        rows = []
        overview = authority_overview(session, authority_ids=ids)
        coverage = completeness_by_id(session, {r.authority_id: r.fy_start_month for r in overview})
        # the plausibility checks read the same coverage rather than scanning the lines again
        flags = year_checks(session, ids, limits=plausibility_limits(), coverage=coverage)
        for row in overview:
            authority = session.get_one(Authority, row.authority_id)
            part = part_year_notes(coverage[row.authority_id])
            checks = tuple(
                f.reason for f in flags.get(row.authority_id, []) if f.year == row.latest_year
            )
            p = progress_or_none(session, authority)
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
