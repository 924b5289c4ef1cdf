"""Shared suppliers, engagement ranking and category spreads, on ``factories.seed_group``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from factories import GroupSeed, seed_group
from sqlalchemy.orm import Session

from tests.services.test_compare import ADMIN, viewer_of
from tracker.domain.spread import FACTOR_SET_OR_YEAR, SUPPLIER_SPECIFIC
from tracker.services.collaboration import collaboration, rank

D = Decimal


@pytest.fixture
def seed(session: Session) -> GroupSeed:
    return seed_group(session)


def _ours(seed: GroupSeed) -> set[str]:
    return {seed.a.code, seed.b.code, seed.c.code}


def test_admin_sees_the_supplier_all_three_share(session: Session, seed: GroupSeed) -> None:
    result = collaboration(session, ADMIN, year=2023, top=50)
    coaches = next(s for s in result.shared if s.name == "Shared Coaches")
    # £9,000 + £1,000 + £5,000; 1,800 + 600 + 1,000 kg.
    assert (coaches.authorities, coaches.spend, coaches.kgco2e) == (3, D("15000"), D("3400"))
    assert [(b.code, b.spend, b.kgco2e) for b in coaches.buyers] == [
        (seed.a.code, D("9000"), D("1800")),
        (seed.c.code, D("5000"), D("1000")),
        (seed.b.code, D("1000"), D("600")),
    ]
    # Single-authority suppliers are not "shared".
    assert all(s.authorities >= 2 for s in result.shared)


def test_engagement_ranking_for_an_officer(session: Session, seed: GroupSeed) -> None:
    # A's officer sees A and B (opted in): group emissions 2,300 + 600 = 2,900 kg.
    result = collaboration(session, viewer_of(seed.a.id, "officer"), year=2023)
    assert result.authorities == tuple(sorted((seed.a.code, seed.b.code)))
    assert result.group_kgco2e == D("2900")
    ranking = [(s.rank, s.name, s.authorities, s.kgco2e) for s in result.engagement]
    # Payroll is out of scope; B Misc is unclassified (0 kg) but still bought from.
    assert ranking == [
        (1, "Shared Coaches", 2, D("2400")),
        (2, "A Catering", 1, D("500")),
        (3, "B Misc", 1, D("0")),
    ]
    assert result.engagement[0].share_of_group == D("2400") / D("2900")
    assert result.shared_count == 1
    coaches = result.shared[0]
    assert (coaches.spend, coaches.kgco2e) == (D("10000"), D("2400"))


def test_category_spread(session: Session, seed: GroupSeed) -> None:
    result = collaboration(session, viewer_of(seed.a.id), year=2023)
    # Land transport: A 1,800 / 9,000 = 0.2 kg/£, B 600 / 1,000 = 0.6 → spread 3.
    # Food: only A buys it in this group, so no spread.
    assert [s.code for s in result.spreads] == ["49"]
    spread = result.spreads[0]
    assert spread.spread == D(3)
    assert (spread.low.authority, spread.high.authority) == (seed.a.code, seed.b.code)
    assert spread.pooled_intensity == D("2400") / D("10000")
    # B used a supplier-specific factor and a different edition.
    assert spread.drivers == (SUPPLIER_SPECIFIC, FACTOR_SET_OR_YEAR)


def test_no_data_from_authorities_that_did_not_opt_in(session: Session, seed: GroupSeed) -> None:
    # C has not opted in: A's viewer never sees C's suppliers or C's part of a shared one.
    dump = str(collaboration(session, viewer_of(seed.a.id), year=2023, top=100).as_dict())
    assert "C Secret Supplies" not in dump and seed.c.code not in dump
    # B's viewer sees B alone: nothing of A or C, and no supplier is shared.
    only_b = collaboration(session, viewer_of(seed.b.id), year=2023, top=100)
    dump_b = str(only_b.as_dict())
    for secret in ("A Catering", "A Payroll", "C Secret Supplies", seed.a.code, seed.c.code):
        assert secret not in dump_b
    assert only_b.shared == () and only_b.shared_count == 0
    assert only_b.engagement[0].kgco2e == D("600")


def test_opted_in_authority_is_shown_as_supplier_totals_only(
    session: Session, seed: GroupSeed
) -> None:
    # C's viewer sees B (opted in) as per-supplier totals: no lines, dates or descriptions.
    result = collaboration(session, viewer_of(seed.c.id), year=2023)
    coaches = result.shared[0]
    assert [(b.code, b.spend, b.kgco2e) for b in coaches.buyers] == [
        (seed.c.code, D("5000"), D("1000")),
        (seed.b.code, D("1000"), D("600")),
    ]
    assert "A Catering" not in str(result.as_dict())


def test_top_limits_each_list(session: Session, seed: GroupSeed) -> None:
    result = collaboration(session, ADMIN, year=2023, top=1)
    assert len(result.engagement) == 1 and len(result.shared) == 1
    with pytest.raises(ValueError):
        collaboration(session, ADMIN, top=0)


def test_rank_orders_by_kg_then_authorities_then_id() -> None:
    rollup = [(7, 1, D("10"), D("500")), (3, 2, D("10"), D("500")), (5, 2, D("10"), D("500")),
              (9, 3, D("10"), D("100")), (1, 1, D("10"), D("900"))]  # fmt: skip
    assert [r[0] for r in rank(rollup, min_authorities=1, top=4)] == [1, 3, 5, 7]
    assert [r[0] for r in rank(rollup, min_authorities=2, top=10)] == [3, 5, 9]
