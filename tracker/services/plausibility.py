"""Which years of which authorities to check: jumps against the previous year
(``tracker.domain.plausibility``), from the current inventories. Part years that no
officer confirmed complete are left out: they are marked as part years instead."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain.completeness import YearCompleteness
from tracker.domain.plausibility import DEFAULT_LIMITS, Limits, YearFigures, YearFlag, year_jumps
from tracker.models import Authority
from tracker.queries import groups as gq
from tracker.queries.sql import among
from tracker.services.completeness import completeness_by_id


def year_checks(
    session: Session,
    authority_ids: Sequence[int],
    *,
    limits: Limits = DEFAULT_LIMITS,
    coverage: Mapping[int, Mapping[int, YearCompleteness]] | None = None,
    figures: Sequence[tuple[int, int, Decimal, Decimal]] | None = None,
    authorities: Mapping[int, tuple[int, str]] | None = None,
) -> dict[int, list[YearFlag]]:
    """Authority id -> its flagged years (oldest first); authorities with none left out.
    ``limits``: the settings' (``Settings.plausibility``); ``coverage``: the authorities'
    ``completeness_by_id`` when the caller has it already (it scans their spend lines);
    ``figures``: ``gq.yearly_figures`` of these authorities or more, when the caller has
    read them (only ``authority_ids``' rows are used); ``authorities``: each authority's
    financial-year start month and currency by id, when the caller has them."""
    wanted = set(authority_ids)
    if figures is None:
        figures = gq.yearly_figures(session, authority_ids)
    by_authority: dict[int, list[YearFigures]] = {}
    for aid, year, kg, spend in figures:
        if aid in wanted:
            by_authority.setdefault(aid, []).append(YearFigures(year, kg, spend))
    if not by_authority:
        return {}
    if authorities is None:
        stmt = select(Authority.id, Authority.fy_start_month, Authority.currency).where(
            among(Authority.id, list(by_authority))
        )
        authorities = {aid: (month, currency) for aid, month, currency in session.execute(stmt)}
    months: dict[int, int] = {aid: authorities[aid][0] for aid in by_authority}
    currencies: dict[int, str] = {aid: authorities[aid][1] for aid in by_authority}
    # a part year is marked as such (tracker.domain.completeness), not compared
    whole = coverage if coverage is not None else completeness_by_id(session, months)
    flagged = {
        aid: year_jumps(
            [y for y in years if y.year not in whole[aid] or whole[aid][y.year].complete],
            months[aid],
            rise=limits.rise,
            fall=limits.fall,
            currency=currencies[aid],
        )
        for aid, years in by_authority.items()
    }
    return {aid: flags for aid, flags in flagged.items() if flags}
