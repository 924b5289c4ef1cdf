"""The authority page's run-only parts kept between page views
(dashboards.data.authority.run_parts): the same as a fresh read, a new run of the year read
afresh, and one authority's kept parts never served for another's. Hand-worked: the
2023 runs below hold Land transport 9,000 + Food 1,000 of mapped spend (a) and Land
transport 1,000 (b); the recalculated run of a holds Food 4,000."""

from __future__ import annotations

from decimal import Decimal

from factories import Line, make_authority, make_factor_set, make_run
from sqlalchemy.orm import Session

from dashboards.data import authority as data
from tracker.queries.runs import RunSummary, current_runs


def _current(session: Session, authority_id: int, year: int) -> RunSummary:
    return next(r for r in current_runs(session, authority_ids=[authority_id]) if r.fy_year == year)


def _spend(session: Session, authority_id: int) -> dict[str | None, Decimal]:
    run = _current(session, authority_id, 2023)
    return {c.name: c.spend for c in data.run_parts(session, run, authority_id).categories}


def test_kept_parts_follow_the_current_run_and_stay_with_their_authority(
    session: Session,
) -> None:
    f = make_factor_set(
        session, factors={"49": ("Land transport services", "0.2"), "10.1": ("Food", "0.5")}
    )
    a = make_authority(session)
    b = make_authority(session)
    make_run(session, authority=a, fy_year=2023,
             lines=[Line("Coaches", "9000.00", "1800", f["49"]),
                    Line("Catering", "1000.00", "500", f["10.1"])])  # fmt: skip
    make_run(session, authority=b, fy_year=2023,
             lines=[Line("Coaches", "1000.00", "200", f["49"])])  # fmt: skip
    first = _spend(session, a.id)
    assert first == {"Land transport services": Decimal("9000.00"), "Food": Decimal("1000.00")}
    assert _spend(session, a.id) == first  # kept: the same answer
    # Another authority's run is its own key, even asked for right after.
    assert _spend(session, b.id) == {"Land transport services": Decimal("1000.00")}

    # A recalculation is a new run: its parts are read, not the old run's.
    make_run(session, authority=a, fy_year=2023,
             lines=[Line("Catering", "4000.00", "2000", f["10.1"])])  # fmt: skip
    assert _spend(session, a.id) == {"Food": Decimal("4000.00")}


def test_kept_parts_equal_a_fresh_read(session: Session) -> None:
    f = make_factor_set(session, factors={"49": ("Land transport services", "0.2")})
    a = make_authority(session)
    make_run(session, authority=a, fy_year=2023,
             lines=[Line("Coaches", "9000.00", "1800", f["49"]),
                    Line("Payroll", "5000.00", excluded=True)])  # fmt: skip
    run = _current(session, a.id, 2023)
    kept = data.run_parts(session, run, a.id)
    data._RUN_PARTS.clear()
    assert data.run_parts(session, run, a.id) == kept
    assert [e.spend for e in kept.excluded] == [Decimal("5000.00")]
