"""The authority page's run-only parts kept between page views
(dashboards.data.authority.run_parts): the same as a fresh read, a new run of the year read
afresh, and one authority's kept parts never served for another's; the sections drawn from
them (dashboards.layouts.authority_year._RUN_SECTIONS) the same as a fresh drawing, per
authority and currency. Hand-worked: the
2023 runs below hold Land transport 9,000 + Food 1,000 of mapped spend (a) and Land
transport 1,000 (b); the recalculated run of a holds Food 4,000."""

from __future__ import annotations

import json
from decimal import Decimal

from dash.development.base_component import Component
from factories import Line, make_authority, make_factor_set, make_run
from plotly.io.json import to_json_plotly
from sqlalchemy.orm import Session

from dashboards.data import authority as data
from dashboards.layouts import authority_year as yearly
from dashboards.layouts.authority_year import year_panel
from tracker.models import Authority
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


def _text(panel: list[Component]) -> str:
    """The panel's JSON as the page receives it, with its characters as typed."""
    return json.dumps(json.loads(to_json_plotly(panel)), ensure_ascii=False)


def _panel(session: Session, authority: Authority) -> list[Component]:
    """The year panel of ``authority``'s 2023, as the page draws it."""
    run = _current(session, authority.id, 2023)
    result = data.AuthorityData(
        authority=data._info(authority),
        runs=(run,),
        selected=data._year_detail(session, run, authority.id),
    )
    return year_panel(result)


def test_run_sections_are_drawn_once_per_run_and_equal_a_fresh_drawing(
    session: Session,
) -> None:
    f = make_factor_set(session, factors={"49": ("Land transport services", "0.2")})
    a = make_authority(session)
    b = make_authority(session)
    make_run(session, authority=a, fy_year=2023,
             lines=[Line("Coaches", "9000.00", "1800", f["49"])])  # fmt: skip
    make_run(session, authority=b, fy_year=2023,
             lines=[Line("Coaches", "1000.00", "200", f["49"])])  # fmt: skip
    first, again = _panel(session, a), _panel(session, a)
    shared = [p for p in first if any(p is q for q in again)]
    assert len(shared) == 4  # the category, drill-down, Scope 3 and coverage sections
    drawn = {code: _text(_panel(session, x)) for code, x in (("a", a), ("b", b))}
    assert "£9,000" in drawn["a"] and "£1,000" in drawn["b"]  # each its own spend
    assert "£9,000" not in drawn["b"] and "£1,000" not in drawn["a"]
    yearly._RUN_SECTIONS.clear()
    data._RUN_PARTS.clear()
    assert _text(_panel(session, a)) == drawn["a"]
    assert _text(_panel(session, b)) == drawn["b"]
    # The same run in another currency is drawn again, in that currency.
    a.currency = "USD"
    session.flush()
    in_dollars = _text(_panel(session, a))
    assert "$9,000" in in_dollars and "£9,000" not in in_dollars
    yearly._RUN_SECTIONS.clear()
    assert _text(_panel(session, a)) == in_dollars
