"""/suppliers, scoped as /compare for figures and as spend lines for what an authority
bought (factories.seed_group: B shares, A and C do not).

Shared Coaches has a Carbon Reduction Plan from 1 June 2023, so in FY 2023/24 (hand-worked
from factories.seed_group's lines; excluded payroll left out):

- A: spend £10,000, with a plan £9,000 (90%); kg 2,300, with a plan 1,800 (78.3%)
- B: spend £2,000, with a plan £1,000 (50%); kg 600, all with a plan (100%)
- C: spend £10,000, with a plan £5,000 (50%); kg 3,500, with a plan 1,000 (28.6%)
- group seen by A (A + B): £10,000 / £12,000 = 83.3%; 2,400 / 2,900 kg = 82.8%
- group seen by an admin (A + B + C): £15,000 / £22,000 = 68.2%; 3,400 / 6,400 = 53.1%
- A in 2022/23: the plan came after the year: 0%.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dash_tree import by_id, text
from factories import GroupSeed, seed_group
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dashboards import ids
from dashboards.callbacks.suppliers import (
    add_commitment_click,
    add_disclosure_click,
    decide_merge_click,
)
from dashboards.data import suppliers as suppliers_data
from dashboards.layouts.suppliers import kpi_section, suppliers_layout
from tracker.access import AccessDenied, Viewer
from tracker.models import Supplier, SupplierFactor
from tracker.services.suppliers.maintenance import add_commitment
from tracker.services.suppliers.resolution import SupplierResolver


@pytest.fixture
def seed(session: Session, session_factory: sessionmaker[Session]) -> GroupSeed:
    seed = seed_group(session)
    add_commitment(session, supplier=session.get_one(Supplier, seed.suppliers["Shared Coaches"]),
                   kind="carbon-reduction-plan", made_on=dt.date(2023, 6, 1),
                   source_url="https://example.org/coaches-crp.pdf", actor="admin")  # fmt: skip
    return seed


def viewer_of(authority_id: int | None, role: str = "viewer") -> Viewer:
    return Viewer(user_id=None, email="v@example.org", role=role, authority_id=authority_id)


def _shares(viewer: Viewer, seed: GroupSeed) -> dict[tuple[str | None, int], tuple[float, float]]:
    mine = {seed.a.code, seed.b.code, seed.c.code, None}
    return {
        (r.authority_code, r.fy_year): (r.plan_or_sbt.spend_share, r.plan_or_sbt.kgco2e_share)
        for r in suppliers_data.kpis(viewer)
        if r.authority_code in mine
    }  # type: ignore[misc]


def test_kpis_for_a_viewer_are_own_and_sharing_authorities(seed: GroupSeed) -> None:
    shares = _shares(viewer_of(seed.a.id), seed)
    assert shares[(seed.a.code, 2023)] == pytest.approx((0.9, 1800 / 2300))
    assert shares[(seed.a.code, 2022)] == (0.0, 0.0)
    assert shares[(seed.b.code, 2023)] == pytest.approx((0.5, 1.0))
    assert (seed.c.code, 2023) not in shares
    assert shares[(None, 2023)] == pytest.approx((10_000 / 12_000, 2_400 / 2_900))


def test_kpis_for_an_admin_pool_all_three(seed: GroupSeed) -> None:
    rows = [r for r in suppliers_data.kpis(viewer_of(None, "admin")) if r.fy_year == 2023]
    shares = _shares(viewer_of(None, "admin"), seed)
    assert shares[(seed.c.code, 2023)] == pytest.approx((0.5, 1000 / 3500))
    group = next(r for r in rows if r.authority_code is None)
    others = [r for r in rows if r.authority_code not in (None, seed.a.code, seed.b.code,
                                                          seed.c.code)]  # fmt: skip
    if not others:  # PostgreSQL may hold other tests' committed authorities
        assert (group.authorities, group.plan_or_sbt.spend_share) == (3, 15_000 / 22_000)
        assert group.plan_or_sbt.kgco2e_share == pytest.approx(3_400 / 6_400)


def test_spend_in_dollars_is_pooled_apart_and_shown_in_dollars(
    seed: GroupSeed, session: Session
) -> None:
    """C in dollars: its $10,000 is never added to A's and B's pounds. The admin's 2023
    group rows are one per currency: pounds A + B (£10,000 / £12,000, as a viewer of A
    sees them) and dollars C alone ($5,000 / $10,000 = 50%)."""
    seed.c.currency = "USD"
    session.flush()
    admin = viewer_of(None, "admin")
    rows = [r for r in suppliers_data.kpis(admin) if r.fy_year == 2023]
    c_row = next(r for r in rows if r.authority_code == seed.c.code)
    assert c_row.currency == "USD"
    others = [r for r in rows if r.authority_code not in (None, seed.a.code, seed.b.code,
                                                          seed.c.code)]  # fmt: skip
    if not others:  # PostgreSQL may hold other tests' committed authorities
        groups = {r.currency: r for r in rows if r.authority_code is None}
        assert sorted(groups) == ["GBP", "USD"]
        assert groups["GBP"].authority_name == "Group (pooled, GBP)"
        assert (groups["GBP"].authorities, groups["GBP"].plan_or_sbt.spend) == (2, 12_000)
        assert groups["GBP"].plan_or_sbt.spend_share == pytest.approx(10_000 / 12_000)
        assert (groups["USD"].authorities, groups["USD"].plan_or_sbt.spend) == (1, 10_000)
        assert groups["USD"].plan_or_sbt.spend_share == 0.5
    shown = str(kpi_section([c_row]))  # the table's cells, as the page draws them
    assert "$10,000" in shown and "£" not in shown


def test_detail_shows_buyers_within_the_viewers_scope(seed: GroupSeed) -> None:
    coaches = seed.suppliers["Shared Coaches"]
    for_a = suppliers_data.detail(viewer_of(seed.a.id), coaches)
    assert for_a is not None
    assert [(b.authority_code, b.year_label) for b in for_a.buyers] == [
        (seed.a.code, "2022/23"), (seed.a.code, "2023/24"),
    ]  # fmt: skip
    assert [c["kind_label"] for c in for_a.commitments] == ["Carbon Reduction Plan"]
    admin = suppliers_data.detail(viewer_of(None, "admin"), coaches)
    assert admin is not None
    assert {b.authority_code for b in admin.buyers} == {seed.a.code, seed.b.code, seed.c.code}


def test_the_page_for_an_officer(seed: GroupSeed) -> None:
    viewer = viewer_of(seed.a.id, "officer")
    page = suppliers_layout(
        kpi_rows=suppliers_data.kpis(viewer),
        contracts=suppliers_data.unplanned(viewer),
        not_assessed=suppliers_data.not_assessed(viewer),
        query="shared coaches",
        results=suppliers_data.search(viewer, "shared coaches"),
        detail=suppliers_data.detail(viewer, seed.suppliers["Shared Coaches"]),
        show_detail=True,
        merges=None,
    )
    kpis = text(by_id(page, ids.SUPPLIER_KPIS))
    assert "Ashby Council" in kpis and "Bexley Council" in kpis and "Carden" not in kpis
    assert "90%" in kpis and "2023/24" in kpis
    assert "Shared Coaches" in text(by_id(page, ids.SUPPLIER_RESULTS))
    detail = text(by_id(page, ids.SUPPLIER_DETAIL))
    assert "Carbon Reduction Plan" in detail and "Carden" not in detail
    assert "Bexley" not in detail  # B shares aggregates, not what it bought from whom
    assert "Doubtful merges" not in text(page)


def test_only_an_admin_decides_merges(seed: GroupSeed, session: Session) -> None:
    resolver = SupplierResolver(session, source="test")
    resolver.resolve("Shared Coachs")  # a typo of Shared Coaches: doubtful
    session.flush()
    officer = viewer_of(seed.a.id, "officer")
    assert suppliers_data.pending(officer) == []
    pending = [m for m in suppliers_data.pending(viewer_of(None, "admin"))
               if m.supplier == "Shared Coachs"]  # fmt: skip
    assert len(pending) == 1 and pending[0].candidate == "Shared Coaches"
    trigger = {"type": ids.SUPPLIER_MERGE_ACCEPT, "index": pending[0].id}
    with pytest.raises(AccessDenied):
        decide_merge_click(officer, trigger)
    message = text(decide_merge_click(viewer_of(None, "admin"), trigger))
    assert message.startswith(f"Merged supplier #{pending[0].supplier_id} into #")
    again = text(decide_merge_click(viewer_of(None, "admin"), trigger))
    assert "Not done" in again and "already accepted" in again


def test_a_payee_of_an_authority_that_does_not_share_is_never_revealed(seed: GroupSeed) -> None:
    """C Secret Supplies is bought only by C, which does not share: A's officer cannot find
    it or open it; B's (shared) and A's own suppliers are found; an admin finds it."""
    officer = viewer_of(seed.a.id, "officer")
    secret = seed.suppliers["C Secret Supplies"]
    assert suppliers_data.search(officer, "secret supplies") == []
    assert suppliers_data.detail(officer, secret) is None
    assert "B Misc" in [r.name for r in suppliers_data.search(officer, "misc")]
    assert "A Catering" in [r.name for r in suppliers_data.search(officer, "catering")]
    admin = suppliers_data.search(viewer_of(None, "admin"), "secret supplies")
    assert "C Secret Supplies" in [r.name for r in admin]


def test_the_admin_records_a_commitment_from_the_page(seed: GroupSeed) -> None:
    catering = seed.suppliers["A Catering"]
    admin, officer = viewer_of(None, "admin"), viewer_of(seed.a.id, "officer")
    page = suppliers_layout(kpi_rows=[], contracts=[], not_assessed=0, query="", results=[],
                            detail=suppliers_data.detail(admin, catering), show_detail=True,
                            merges=[])  # fmt: skip
    assert by_id(page, ids.SUPPLIER_COMMIT_ADD) is not None
    with pytest.raises(AccessDenied):
        add_commitment_click(officer, catering, "science-based-target", "2024-01-31", "https://x")
    bad = text(add_commitment_click(admin, catering, "science-based-target", "31/01/2024", "u"))
    assert "Not recorded" in bad and "2024-03-31" in bad
    done = text(add_commitment_click(admin, catering, "science-based-target", "2024-01-31",
                                     "https://example.org/sbt"))  # fmt: skip
    assert done == "Recorded: science-based target of A Catering from 31 Jan 2024."
    shown = suppliers_data.detail(officer, catering)
    assert shown is not None
    assert [c["kind_label"] for c in shown.commitments] == ["science-based target"]


def test_the_admin_records_a_disclosure_from_the_page(seed: GroupSeed, session: Session) -> None:
    """(120 + 30) t × 1000 / £3,000,000 = 0.05 kgCO2e per £ (docs/suppliers.md)."""
    catering = seed.suppliers["A Catering"]
    admin, officer = viewer_of(None, "admin"), viewer_of(seed.a.id, "officer")
    page = suppliers_layout(kpi_rows=[], contracts=[], not_assessed=0, query="", results=[],
                            detail=suppliers_data.detail(admin, catering), show_detail=True,
                            merges=[])  # fmt: skip
    assert by_id(page, ids.SUPPLIER_DISCLOSE_ADD) is not None
    values = ("2023", "120", "30", "", "3,000,000", "https://example.org/ar-2023")
    with pytest.raises(AccessDenied):
        add_disclosure_click(officer, catering, *values)
    bad = text(add_disclosure_click(admin, catering, "2023", "lots", "30", "", "1", "u"))
    assert bad == "Not recorded: The scope 1 tonnes 'lots' is not a number."
    done = text(add_disclosure_click(admin, catering, *values))
    assert done.startswith("Recorded A Catering's 2023 disclosure: 0.0500 kgCO2e per £")
    factor = session.scalars(
        select(SupplierFactor).where(SupplierFactor.supplier_id == catering)
    ).one()
    assert (factor.year, factor.authority_id, factor.kgco2e_per_unit) == (
        2023,
        None,
        Decimal("0.05"),
    )


def test_the_ppn006_section_says_how_many_were_not_assessed() -> None:
    page = suppliers_layout(kpi_rows=[], contracts=[], not_assessed=2, query="", results=[],
                            detail=None, show_detail=False, merges=None)  # fmt: skip
    assert (
        "2 contracts over £5m in total (incl. VAT) have no dates to annualise (a date missing, "
        "or ending before it starts): not assessed."
    ) in text(page)
    quiet = suppliers_layout(kpi_rows=[], contracts=[], not_assessed=0, query="", results=[],
                             detail=None, show_detail=False, merges=None)  # fmt: skip
    assert "not assessed" not in text(quiet)
