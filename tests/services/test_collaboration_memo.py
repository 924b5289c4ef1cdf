"""Collaboration's answers and year tallies kept between calls (tracker.services
.collaboration._ANSWERS and ._TALLIES): the same answer as reading afresh, a new run, a
renamed supplier or authority, evidence learned later and a change of sharing read at once,
and each scope its own entry. On factories.seed_group."""

from __future__ import annotations

from decimal import Decimal

import pytest
from factories import GroupSeed, Line, make_run, seed_group
from plotly.io.json import to_json_plotly
from sqlalchemy.orm import Session

from dashboards.layouts.collaboration import _draw_body, collaboration_body
from tests.services.test_compare import ADMIN, viewer_of
from tracker.access import Viewer
from tracker.models import Supplier
from tracker.services import collaboration as c
from tracker.services.authorities import set_sharing
from tracker.services.classification.evidence import gather_evidence


@pytest.fixture
def seed(session: Session) -> GroupSeed:
    return seed_group(session)


def kept_and_fresh(session: Session, viewer: Viewer) -> tuple[dict[str, object], dict[str, object]]:
    kept = c.collaboration(session, viewer, year=2023, top=50).as_dict()
    c._TALLIES.clear()
    c._ANSWERS.clear()
    return kept, c.collaboration(session, viewer, year=2023, top=50).as_dict()


def test_kept_tallies_give_the_fresh_answer(session: Session, seed: GroupSeed) -> None:
    for viewer in (ADMIN, viewer_of(seed.a.id), viewer_of(seed.c.id), ADMIN):
        c.collaboration(session, viewer, year=2023, top=50)  # keep its tallies
        kept, fresh = kept_and_fresh(session, viewer)
        assert kept == fresh


def test_a_new_run_is_read_at_once(session: Session, seed: GroupSeed) -> None:
    before = c.collaboration(session, ADMIN, year=2023, top=50)
    # C's 2023 again, buying only from C Parks: its £5,000 with Shared Coaches is gone
    make_run(session, authority=seed.c, fy_year=2023, lines=[Line("C Parks", "700.00", "70")])
    session.flush()
    after = c.collaboration(session, ADMIN, year=2023, top=50)
    coaches = next(s for s in after.shared if s.name == "Shared Coaches")
    assert (coaches.authorities, coaches.spend) == (2, Decimal("10000"))  # A's 9,000, B's 1,000
    assert after.as_dict() != before.as_dict()
    kept, fresh = kept_and_fresh(session, ADMIN)
    assert kept == fresh


def test_an_unchanged_answer_is_served_again(session: Session, seed: GroupSeed) -> None:
    first = c.collaboration(session, ADMIN, year=2023, top=50)
    assert c.collaboration(session, ADMIN, year=2023, top=50) is first
    # another number of suppliers is another answer
    assert c.collaboration(session, ADMIN, year=2023, top=10) is not first


def test_a_renamed_supplier_is_shown_at_once(session: Session, seed: GroupSeed) -> None:
    c.collaboration(session, ADMIN, year=2023, top=50)
    session.get_one(Supplier, seed.suppliers["Shared Coaches"]).name = "Coaches Renamed Ltd"
    session.flush()
    after = c.collaboration(session, ADMIN, year=2023, top=50)
    assert "Coaches Renamed Ltd" in {s.name for s in after.shared}
    assert "Shared Coaches" not in str(after.as_dict())
    kept, fresh = kept_and_fresh(session, ADMIN)
    assert kept == fresh


def test_a_renamed_authority_is_shown_at_once(session: Session, seed: GroupSeed) -> None:
    c.collaboration(session, ADMIN, year=2023, top=50)
    seed.b.code = f"{seed.b.code}X"
    session.flush()
    after = c.collaboration(session, ADMIN, year=2023, top=50)
    assert seed.b.code in after.authorities
    coaches = next(s for s in after.shared if s.name == "Shared Coaches")
    assert seed.b.code in {b.code for b in coaches.buyers}
    kept, fresh = kept_and_fresh(session, ADMIN)
    assert kept == fresh


def test_evidence_learned_after_the_run_is_read(session: Session, seed: GroupSeed) -> None:
    # C's 2023 again without its evidence (as a run kept from before run_evidence): C
    # leaves out its spend with Shared Coaches, which A and B cost as land transport
    make_run(
        session,
        authority=seed.c,
        fy_year=2023,
        supplier_ids=seed.suppliers,
        lines=[Line("Shared Coaches", "5000.00", excluded=True)],
        evidence=False,
    )
    session.flush()
    before = c.collaboration(session, ADMIN, year=2023, top=50)
    assert not [d for d in before.treated_differently if seed.c.code in str(d)]
    assert gather_evidence(session) >= 1
    session.flush()
    after = c.collaboration(session, ADMIN, year=2023, top=50)
    assert [d for d in after.treated_differently if seed.c.code in str(d)]
    kept, fresh = kept_and_fresh(session, ADMIN)
    assert kept == fresh


def test_an_authority_that_stops_sharing_leaves_at_once(session: Session, seed: GroupSeed) -> None:
    officer_a = viewer_of(seed.a.id, "officer")
    assert seed.b.code in c.collaboration(session, officer_a, year=2023, top=50).authorities
    set_sharing(session, seed.b, share=False, actor="test")
    session.flush()
    after = c.collaboration(session, officer_a, year=2023, top=50)
    assert after.authorities == (seed.a.code,)
    assert seed.b.code not in str(after.as_dict())


def test_viewers_of_other_groups_are_never_served_each_others(
    session: Session, seed: GroupSeed
) -> None:
    # A's officer sees A and B; C's sees C and B (B shares, A and C do not)
    officer_a, officer_c = viewer_of(seed.a.id, "officer"), viewer_of(seed.c.id, "officer")
    for _ in range(2):  # the second time, both are kept
        seen_a = str(c.collaboration(session, officer_a, year=2023, top=50).as_dict())
        seen_c = str(c.collaboration(session, officer_c, year=2023, top=50).as_dict())
        assert "C Secret Supplies" not in seen_a and seed.c.code not in seen_a
        assert "A Catering" not in seen_c and seed.a.code not in seen_c


def test_the_page_draws_a_kept_answer_once(session: Session, seed: GroupSeed) -> None:
    result = c.collaboration(session, ADMIN, year=2023, top=50)
    drawn = collaboration_body(result)
    again = collaboration_body(result)
    assert [id(part) for part in again] == [id(part) for part in drawn]
    assert to_json_plotly(again) == to_json_plotly(_draw_body(result))
