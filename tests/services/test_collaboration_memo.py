"""Collaboration's year tallies kept between calls (tracker.services.collaboration
._TALLIES): the same answer as reading afresh, a new run read at once, and each scope its
own entry. On factories.seed_group."""

from __future__ import annotations

from decimal import Decimal

import pytest
from factories import GroupSeed, Line, make_run, seed_group
from sqlalchemy.orm import Session

from tests.services.test_compare import ADMIN, viewer_of
from tracker.access import Viewer
from tracker.services import collaboration as c


@pytest.fixture
def seed(session: Session) -> GroupSeed:
    return seed_group(session)


def kept_and_fresh(session: Session, viewer: Viewer) -> tuple[dict[str, object], dict[str, object]]:
    kept = c.collaboration(session, viewer, year=2023, top=50).as_dict()
    c._TALLIES.clear()
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
