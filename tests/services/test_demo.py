"""The demo data gives every page something meaningful to show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from dashboards.format import money, tonnes
from tracker.access import Viewer
from tracker.models import Authority, ContractSpendLink, InventoryRun, LineEmission
from tracker.services.contracts.pipeline import pipeline
from tracker.services.demo.seed import AUTHORITIES, DEMO_YEARS, seed_demo, seed_demo_users
from tracker.services.reference import load_shipped_reference_data
from tracker.services.suppliers.kpis import kpi_rows
from tracker.services.users import authenticate


def test_demo_seeds_six_authorities_over_four_years_and_thirty_categories(
    session: Session, tmp_path: Path
) -> None:
    load_shipped_reference_data(session)
    message = seed_demo(session, data_dir=tmp_path)
    assert message.startswith("Seeded 6 demo authorities")
    assert seed_demo(session, data_dir=tmp_path) == "Demo data already present."
    codes = [a.code for a in AUTHORITIES]
    ids = list(session.scalars(select(Authority.id).where(Authority.code.in_(codes))))
    assert len(ids) == 6 and len(DEMO_YEARS) >= 4
    for authority_id in ids:
        years = session.scalars(
            select(InventoryRun.fy_year).where(InventoryRun.authority_id == authority_id).distinct()
        ).all()
        assert sorted(years) == list(DEMO_YEARS)
    categories = session.scalar(
        select(func.count(distinct(LineEmission.category_code)))
        .join(InventoryRun, InventoryRun.id == LineEmission.run_id)
        .where(InventoryRun.authority_id.in_(ids), LineEmission.status == "mapped")
    )
    assert categories is not None and categories >= 30
    totals = session.scalars(
        select(InventoryRun.total_kgco2e).where(InventoryRun.authority_id.in_(ids))
    ).all()
    assert all(t > 0 for t in totals)

    # Contracts: several authorities renew waste, IT and home care within 24 months; the
    # pipeline ranks them and the demo spend is linked to the contracts.
    assert message.endswith(", 15 contracts and 7 supplier commitments.")
    today = dt.datetime.now(dt.UTC).date()
    officer = Viewer(None, "o@demo.invalid", "officer", ids[0])
    ranked = pipeline(session, officer, today=today, money=money, tonnes=tonnes)
    joint = [o for o in ranked.opportunities if o.months <= 24 and len(o.group.authorities) >= 3]
    assert len(joint) >= 2  # waste (EMB, BRC, HDC, KCC) and home care (EMB, HDC, MMB)
    assert ranked.opportunities[0].rank == 1 and "authorities renew" in joint[0].sentence
    waste = next(o for o in ranked.opportunities if o.group.key == "38")
    assert set(waste.group.authorities) == {"EMB", "BRC", "HDC", "KCC"}
    linked = session.scalar(select(func.count()).select_from(ContractSpendLink))
    assert linked is not None and linked > 0

    # Supplier commitments (tracker.services.demo.suppliers): none in force before
    # September 2021, so 2019/20 and 2020/21 have no spend with a plan or SBT; later years
    # have some (Greenway Waste's plan, Bytewell's SBT ...).
    shares = {
        r.fy_year: r.plan_or_sbt.spend_share for r in kpi_rows(session, [ids[0]], group=False)
    }
    assert shares[2019] == shares[2020] == 0.0
    assert all((shares[y] or 0) > 0 for y in DEMO_YEARS if y >= 2021)

    # Comparisons are shared by default in the demo.
    shared = session.scalars(select(Authority.share_in_comparisons).where(Authority.id.in_(ids)))
    assert all(shared)
    # One user of each role; each run gives them new passwords that work.
    logins = seed_demo_users(session)
    assert [(x.role, x.authority) for x in logins] == [
        ("admin", None),
        ("officer", AUTHORITIES[0].code),
        ("viewer", AUTHORITIES[0].code),
    ]
    again = seed_demo_users(session)
    for old, new in zip(logins, again, strict=True):
        assert old.password != new.password
        assert authenticate(session, email=new.email, password=new.password, remote_addr="t")
