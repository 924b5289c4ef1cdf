"""The pipeline section of /collaboration, scoped as /compare (factories.seed_group: B shares, A and
C do not). Each authority renews a waste contract (CPV 90511000 → Defra 38) ending
31 March 2027; today is taken as 15 January 2026 through pipeline_data's ``today``."""

from __future__ import annotations

import datetime as dt

import pytest
from contract_factories import make_contract
from dash_tree import by_id, text
from factories import GroupSeed, seed_group
from sqlalchemy.orm import Session, sessionmaker

from dashboards import ids
from dashboards.data.contracts import pipeline_data
from dashboards.layouts.collaboration import collaboration_layout
from dashboards.layouts.pipeline import pipeline_section
from tracker.access import Viewer
from tracker.services.reference import load_shipped_reference_data

D = dt.date
TODAY = D(2026, 1, 15)


@pytest.fixture
def seed(session: Session, session_factory: sessionmaker[Session]) -> GroupSeed:
    load_shipped_reference_data(session)
    seed = seed_group(session)
    for auth, supplier in ((seed.a, "Binco Ltd"), (seed.b, "Greenbin Ltd"), (seed.c, "Secretbin")):
        make_contract(session, authority_id=auth.id, supplier=supplier, start=D(2024, 4, 1),
                      end=D(2027, 3, 31), value="1095000", title=f"{auth.name} refuse")  # fmt: skip
    return seed


def viewer_of(authority_id: int | None, role: str = "viewer") -> Viewer:
    return Viewer(user_id=None, email="v@example.org", role=role, authority_id=authority_id)


def test_a_viewer_sees_own_and_sharing_authorities(seed: GroupSeed) -> None:
    section = pipeline_section(pipeline_data(viewer_of(seed.a.id), TODAY))
    content = text(section)
    # A and B: 2 × £365,250 a year (1,095,000 over 1,095 days × 365.25) = £730,500
    assert "Two authorities renew Waste collection" in content
    assert "with two suppliers within 15 months: £730,500" in content
    assert "Secretbin" not in content and seed.c.code not in content
    assert "Carden" not in content
    table = text(by_id(section, ids.COLLAB_PIPELINE_TABLE))
    assert "Binco Ltd, Greenbin Ltd" in table and "Mar 2027" in table
    # No contract titles of other authorities on this page.
    assert "Bexley Council refuse" not in content


def test_an_admin_sees_all_three(seed: GroupSeed) -> None:
    result = pipeline_data(viewer_of(None, "admin"), TODAY)
    (op,) = [o for o in result.opportunities if seed.a.code in o.group.authorities]
    # (On PostgreSQL, contracts committed by CLI tests may join the group.)
    assert {seed.a.code, seed.b.code, seed.c.code} <= set(op.group.authorities)
    assert "Secretbin" in text(pipeline_section(result))


def test_the_collaboration_page_carries_the_section(seed: GroupSeed) -> None:
    layout = collaboration_layout(viewer_of(seed.c.id), 2023, "10")
    assert "Contracts to renew together" in text(by_id(layout, ids.COLLAB_PIPELINE))


def test_contracts_with_a_doubtful_end_date_are_said_to_be_left_out(
    session: Session, seed: GroupSeed
) -> None:
    doubtful = make_contract(session, authority_id=seed.a.id, supplier="Binco Ltd",
                             start=D(2028, 4, 1), end=D(2027, 3, 31), value="9000000")  # fmt: skip
    doubtful.flags = ["end_date_before_start"]
    session.flush()
    content = text(pipeline_section(pipeline_data(viewer_of(seed.a.id), TODAY)))
    assert (
        "1 contract ending in this window was left out because its end date is doubtful "
        "(ends before it starts: 1)."
    ) in content
    # still A and B's £730,500, not the doubtful £9m
    assert "within 15 months: £730,500" in content
