"""Benchmarks across authorities, on the seed in ``factories.seed_group`` (numbers worked there)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from factories import GroupSeed, seed_group
from sqlalchemy.orm import Session

from tracker.access import Viewer
from tracker.services.compare import compare, group_figures

D = Decimal
ADMIN = Viewer(user_id=None, email="admin@example.org", role="admin", authority_id=None)


def viewer_of(authority_id: int, role: str = "viewer") -> Viewer:
    return Viewer(user_id=None, email="v@example.org", role=role, authority_id=authority_id)


@pytest.fixture
def seed(session: Session) -> GroupSeed:
    return seed_group(session)


def test_per_authority_figures(session: Session, seed: GroupSeed) -> None:
    result = compare(session, ADMIN, year=2023)
    by_code = {b.code: b for b in result.authorities}
    a, b, c = by_code[seed.a.code], by_code[seed.b.code], by_code[seed.c.code]
    # A: 2,300 kg over £10,000 in scope (the £5,000 payroll is out of scope).
    assert a.in_scope_spend == D("10000")
    assert a.kg_per_unit == D("0.23")
    assert a.kg_per_resident == D("0.023")
    assert a.classified_share == D(1)
    assert b.kg_per_unit == D("0.3") and b.classified_share == D("0.5")
    assert b.kg_per_resident == D("0.002")
    assert c.kg_per_unit == D("0.35") and c.kg_per_resident == D("0.07")
    # Mix: transport 1,800 of 2,300 kg, food (manufactured goods) 500.
    assert [(m.group, m.kgco2e) for m in a.mix] == [
        ("Transport and storage", D("1800")),
        ("Manufactured goods", D("500")),
    ]
    assert a.mix[0].share == D("1800") / D("2300")
    assert a.progress_status == "off track"  # budget runs out in 2029 (factories.seed_group)
    # factories.seed_group: 2,300 kg is 50 / 2,250 = 2.2 % above the pathway; 4,700 kg used against
    # 4,650 kg to date; the 16,200 kg budget runs out in 2029.
    assert a.progress_note == (
        "Target: −50 % by 2030/31 from the 2022/23 baseline of 2.4 tCO2e, on a straight-line "
        "pathway. Off track: 2023/24 is 2 % above the pathway (within the 5 % margin), "
        "4.70 tCO2e emitted since the 2022/23 baseline is more than the pathway's 4.65 tCO2e "
        "to date and at the current trend the carbon budget to 2030/31 (16 tCO2e) runs out "
        "in 2029/30."
    )
    assert b.progress_status is None and b.progress_note == "no target set"
    assert b.run.factor_edition == "test-2"
    assert c.run.price_year_policy == "fixed:2022"
    assert [(e, y) for _, e, y in a.factor_sets] == [("test-1", 2022)]
    assert dict(a.methods) == {"unknown": D(1)}


def test_group_figures_are_pooled_not_averaged(session: Session, seed: GroupSeed) -> None:
    result = compare(session, ADMIN, year=2023)
    ours = [b for b in result.authorities if b.code in {seed.a.code, seed.b.code, seed.c.code}]
    group = group_figures(ours)
    gbp = group.per_currency_unit["GBP"]
    # (2,300 + 600 + 3,500) / (10,000 + 2,000 + 10,000) = 6,400 / 22,000
    assert (gbp.numerator, gbp.denominator) == (D("6400"), D("22000"))
    assert gbp.ratio == D("6400") / D("22000")
    # The average of the three ratios would be (0.23 + 0.3 + 0.35) / 3 = 0.2933…
    assert gbp.ratio != (D("0.23") + D("0.3") + D("0.35")) / 3
    # 6,400 kg / 450,000 residents, not (0.023 + 0.002 + 0.07) / 3.
    assert group.per_resident.ratio == D("6400") / D("450000")


def test_comparability_warnings_name_the_differences(session: Session, seed: GroupSeed) -> None:
    result = compare(session, ADMIN, year=2023)
    kinds = {w.kind: w for w in result.warnings}
    assert {"factor_set", "price_year", "coverage"} <= set(kinds)
    assert "test-2" in kinds["factor_set"].message and "test-1" in kinds["factor_set"].message
    assert "fixed:2022" in kinds["price_year"].message
    # B classified 50 % of in-scope spend against 100 % for A and C.
    assert seed.b.code in kinds["coverage"].authorities
    assert seed.a.code not in kinds["coverage"].authorities
    assert "50%" in kinds["coverage"].message


def test_viewer_sees_own_and_opted_in_only(session: Session, seed: GroupSeed) -> None:
    result = compare(session, viewer_of(seed.a.id), year=2023)
    assert {b.code for b in result.authorities} == {seed.a.code, seed.b.code}
    gbp = result.group.per_currency_unit["GBP"]
    # (2,300 + 600) / (10,000 + 2,000); per resident 2,900 / 400,000.
    assert gbp.ratio == D("2900") / D("12000")
    assert result.group.per_resident.ratio == D("2900") / D("400000")
    assert seed.c.code not in str(result.as_dict())


def test_authority_that_did_not_opt_in_is_never_shown(session: Session, seed: GroupSeed) -> None:
    # B's officer sees B (own) and no other: A and C have not opted in.
    result = compare(session, viewer_of(seed.b.id, "officer"), year=2023)
    assert [b.code for b in result.authorities] == [seed.b.code]
    dump = str(result.as_dict())
    assert seed.a.code not in dump and seed.c.code not in dump
    assert result.group.per_currency_unit["GBP"].numerator == D("600")


def test_default_year_is_latest_with_most_inventories(session: Session, seed: GroupSeed) -> None:
    result = compare(session, viewer_of(seed.a.id))
    assert result.fy_year == 2023
    assert result.years == (2022, 2023)
    earlier = compare(session, viewer_of(seed.a.id), year=2022)
    assert [b.code for b in earlier.authorities] == [seed.a.code]
    assert earlier.without_inventory == (seed.b.code,)
    # Baseline year: no status.
    assert earlier.authorities[0].progress_status is None


def test_nothing_to_compare(session: Session, seed: GroupSeed) -> None:
    result = compare(session, viewer_of(seed.b.id), year=1999)
    assert result.authorities == () and result.warnings == ()
    assert result.group.per_resident.ratio is None
