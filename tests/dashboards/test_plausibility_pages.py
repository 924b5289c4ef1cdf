"""Implausible years and group outliers reach /compare, the overview and the authority
page (issue 16), on the seed in ``factories.seed_group`` (numbers worked there).

Per resident in 2023: A 2,300 / 100,000 = 0.023 kg, B 600 / 300,000 = 0.002 kg,
C 3,500 / 50,000 = 0.07 kg; median 0.023. C: 0.07 / 0.023 = 3.04 times, above x3;
B: 0.002 / 0.023 = 0.087 times, below 1/3. Per £ (0.23, 0.3, 0.35; median 0.3) nobody.
A 2022 -> 2023: 2,400 -> 2,300 kg, no jump; with a 2024 run of 7,000 kg on £10,000
(7,000 / 2,300 = 3.04 times; 0.7 kg/£ / 0.23 = 3.04 times) both are flagged.
The dashboard halves need the dashboards' session factory (tests/dashboards/conftest.py).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from factories import GroupSeed, Line, make_factor_set, make_run, seed_group
from sqlalchemy.orm import Session, sessionmaker

from dashboards.data import sessions
from dashboards.data.authority import authority_data
from dashboards.data.compare import comparison_data
from dashboards.data.overview import overview_data
from dashboards.layouts.authority import authority_body
from dashboards.layouts.overview import overview_body
from tracker.access import Viewer
from tracker.config import Settings
from tracker.models import Authority
from tracker.services.compare import compare
from tracker.services.plausibility import year_checks

ADMIN = Viewer(user_id=None, email="admin@example.org", role="admin", authority_id=None)


@pytest.fixture
def seed(session: Session) -> GroupSeed:
    return seed_group(session)


def _coaches_2024(
    session: Session, authority: Authority, amount: str, kg: str, *, whole_year: bool = True
) -> None:
    """A 2024 run of one line of coaches, at kg / amount kg per £."""
    per_pound = str(Decimal(kg) / Decimal(amount))
    f = make_factor_set(session, factors={"49": ("Land transport services", per_pound)})
    make_run(
        session,
        authority=authority,
        fy_year=2024,
        lines=[Line("Shared Coaches", amount, kg, f["49"])],
        whole_year=whole_year,
    )


def _tripled_2024(session: Session, seed: GroupSeed) -> None:
    """A's 2024: 7,000 kg on £10,000 of coaches (0.7 kg/£)."""
    _coaches_2024(session, seed.a, "10000.00", "7000")


def test_compare_names_the_authorities_far_outside_the_group(
    session: Session, seed: GroupSeed
) -> None:
    result = compare(session, ADMIN, year=2023)
    outliers = [w for w in result.warnings if w.kind == "outlier"]
    assert [w.authorities for w in outliers] == [(seed.b.code,), (seed.c.code,)]
    assert outliers[0].message == (
        f"{seed.b.code}: 0.002 kgCO2e per resident is 0.1 times the group median "
        "(less than 1/3); check the year's files."
    )
    assert outliers[1].message == (
        f"{seed.c.code}: 0.070 kgCO2e per resident is 3.0 times the group median "
        "(more than x3); check the year's files."
    )
    assert not any(w.kind == "implausible year" for w in result.warnings)


def test_a_year_that_triples_is_flagged_on_compare(session: Session, seed: GroupSeed) -> None:
    _tripled_2024(session, seed)
    flags = year_checks(session, [seed.a.id])[seed.a.id]
    assert [(f.year, f.kind) for f in flags] == [(2024, "total"), (2024, "intensity")]
    assert flags[0].reason.startswith(
        "2024/25: emissions are 3.0 times those of 2023/24 (more than x2)"
    )
    result = compare(session, ADMIN, year=2024)
    jumps = [w for w in result.warnings if w.kind == "implausible year"]
    assert [w.message for w in jumps] == [f"{seed.a.code}: {f.reason}" for f in flags]
    assert Decimal(7000) / Decimal(2300) > 3


def test_the_overview_and_the_authority_page_say_which_year_to_check(
    session: Session, seed: GroupSeed, session_factory: sessionmaker[Session]
) -> None:
    _tripled_2024(session, seed)
    reason = year_checks(session, [seed.a.id])[seed.a.id][0].reason
    rows = {r.overview.code: r for r in overview_data(ADMIN)}
    assert reason in rows[seed.a.code].checks and rows[seed.b.code].checks == ()
    assert f"Check: {reason}" in str(overview_body(list(rows.values())))
    page = authority_data(ADMIN, seed.a.code)
    assert reason in page.year_checks
    body = str(authority_body(page, seed.a.code))
    assert "Years to check" in body and reason in body
    assert "Years to check" not in str(
        authority_body(authority_data(ADMIN, seed.b.code), seed.b.code)
    )


def test_compare_says_which_like_for_like_limit_fails(session: Session, seed: GroupSeed) -> None:
    """Lines of June only (factories.make_run): B's 2024 is a part year no officer
    confirmed, A's is confirmed complete; the completeness limit fails for B alone."""
    f = make_factor_set(session, factors={"49": ("Land transport services", "0.2")})
    for authority, whole_year in ((seed.a, True), (seed.b, False)):
        make_run(
            session,
            authority=authority,
            fy_year=2024,
            lines=[Line("Shared Coaches", "1000.00", "200", f["49"])],
            whole_year=whole_year,
        )
    result = compare(session, ADMIN, year=2024)
    [warning] = [w for w in result.warnings if w.kind == "completeness"]
    assert warning.authorities == (seed.b.code,)
    assert warning.message.startswith(
        f"Completeness differs: {seed.b.code} has Jun 2024/25: 1 of 12 months; "
    )
    by_code = {b.code: b for b in result.authorities}
    assert by_code[seed.b.code].part_year == "Jun 2024/25: 1 of 12 months"
    assert by_code[seed.a.code].part_year is None
    assert not any(w.kind == "method_mix" for w in result.warnings)  # all "unknown"
    # B: 200 kg in part year 2024 against 600 kg in 2023 (1/3, a fall of more than half)
    # is not flagged as a jump: it is marked as a part year instead
    assert seed.b.id not in year_checks(session, [seed.b.id])


def test_the_limits_are_the_settings(session: Session, seed: GroupSeed) -> None:
    """With TRACKER_OUTLIER_SPREAD=4, C (3.04 times the median, under x4) is no longer
    flagged and B (0.087 times, under 1/4) still is. With TRACKER_JUMP_RISE=4, A's 2024
    (3.04 times 2023) is not a jump."""
    _tripled_2024(session, seed)
    wide = Settings.from_env({"TRACKER_OUTLIER_SPREAD": "4", "TRACKER_JUMP_RISE": "4"})
    result = compare(session, ADMIN, year=2023, limits=wide.plausibility)
    outliers = [w for w in result.warnings if w.kind == "outlier"]
    assert [w.authorities for w in outliers] == [(seed.b.code,)]
    assert "(less than 1/4)" in outliers[0].message
    assert year_checks(session, [seed.a.id], limits=wide.plausibility) == {}
    jumps = compare(session, ADMIN, year=2024, limits=wide.plausibility).warnings
    assert not any(w.kind == "implausible year" for w in jumps)


def test_the_pages_use_the_limits_the_app_was_configured_with(
    session: Session, seed: GroupSeed, session_factory: sessionmaker[Session]
) -> None:
    _tripled_2024(session, seed)
    page = authority_data(ADMIN, seed.a.code)
    assert "more than 2 times the year before's, or less than 0.5 times it" in str(
        authority_body(page, seed.a.code)
    )
    wide = Settings.from_env({"TRACKER_JUMP_RISE": "4"}).plausibility
    sessions.configure(session_factory, wide)  # as create_app does with Settings.plausibility
    try:
        page = authority_data(ADMIN, seed.a.code)
        rows = {r.overview.code: r for r in overview_data(ADMIN)}
        result = comparison_data(ADMIN, 2024)
    finally:
        sessions.configure(session_factory)
    # A's 2024 is 3.04 times 2023: within x4, so no page flags it.
    assert page.year_checks == () and rows[seed.a.code].checks == ()
    assert page.year_check_rule.startswith("more than 4 times the year before's")
    assert not any(w.kind == "implausible year" for w in result.warnings)


def test_the_authority_page_flags_what_the_service_flags(
    session: Session, seed: GroupSeed, session_factory: sessionmaker[Session]
) -> None:
    """The authority page works its checks out from the runs and months it has read
    already: the same flags as ``year_checks`` reading afresh. A's 2024 triples (its
    emissions and its emissions per £ both 3.04 times 2023's: two flags); B's 2024 falls to
    200 kg against 600 kg in June only, a part year (not flagged)."""
    _tripled_2024(session, seed)
    _coaches_2024(session, seed.b, "1000.00", "200", whole_year=False)
    for authority in (seed.a, seed.b, seed.c):
        fresh = year_checks(session, [authority.id]).get(authority.id, [])
        assert authority_data(ADMIN, authority.code).year_checks == tuple(x.reason for x in fresh)
    assert len(authority_data(ADMIN, seed.a.code).year_checks) == 2
    assert authority_data(ADMIN, seed.b.code).year_checks == ()
