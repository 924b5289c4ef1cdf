"""Three authorities for the comparison and collaboration tests, with hand-worked sums.

Factors (kgCO2e per £): 49 land transport 0.2, 10.1 food 0.5. Financial year 2023:

====  ==========  =====================================  ===============================
code  population  lines (supplier, £, kg)                run
====  ==========  =====================================  ===============================
A     100,000     Shared Coaches 9,000 → 1,800 (49)      total £15,000, excluded £5,000,
      not shared  A Catering 1,000 → 500 (10.1)          in scope £10,000, all classified;
                  A Payroll 5,000 excluded               2,300 kg; 0.23 kg/£; 0.023 kg/res
B     300,000     Shared Coaches 1,000 → 600 (49,        £2,000 in scope, £1,000 classified
      shares      supplier-specific factor 0.6)          (50 %); 600 kg; 0.3 kg/£;
                  B Misc 1,000 unmapped                  0.002 kg/res; edition "test-2"
C     50,000      Shared Coaches 5,000 → 1,000 (49)      £10,000; 3,500 kg; 0.35 kg/£;
      not shared  C Secret Supplies 5,000 → 2,500 (10.1) 0.07 kg/res; price year fixed:2022
====  ==========  =====================================  ===============================

A also has 2022: Shared Coaches 10,000 → 2,400 kg, and a target of −50 % by 2030 from
2022 (linear): pathway 2023 = 2,400 − 1,200/8 = 2,250; 2,300 ≤ 2,250 × 1.05 = 2,362.5,
within the margin, but the carbon budget 2022–2030 = 9 × (2,400 + 1,200) / 2 = 16,200 kg
runs out in 2029 at the trend of −100 kg a year (cumulative 2,400, 4,700, 6,900, 9,000,
11,000, 12,900, 14,700, 16,400 in 2029), before 2030, so A is "off track" in 2023.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from inventory_factories import Line, make_authority, make_factor_set, make_run, suffix
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Authority, LineEmission, SpendLine, SupplierFactor, Target
from tracker.services.inventory.totals import summarise_stored_lines


@dataclass
class GroupSeed:
    a: Authority
    b: Authority
    c: Authority
    suppliers: dict[str, int]


def seed_group(session: Session) -> GroupSeed:
    f = make_factor_set(
        session, factors={"49": ("Land transport services", "0.2"), "10.1": ("Food", "0.5")}
    )
    tag = suffix().upper()
    a = make_authority(session, code=f"GA{tag}", name="Ashby Council", population=100_000)
    b = make_authority(session, code=f"GB{tag}", name="Bexley Council", population=300_000)
    c = make_authority(session, code=f"GC{tag}", name="Carden Council", population=50_000)
    b.share_in_comparisons = True
    suppliers: dict[str, int] = {}
    make_run(session, authority=a, fy_year=2022, supplier_ids=suppliers,
             lines=[Line("Shared Coaches", "10000.00", "2400", f["49"])])  # fmt: skip
    make_run(
        session,
        authority=a,
        fy_year=2023,
        supplier_ids=suppliers,
        lines=[
            Line("Shared Coaches", "9000.00", "1800", f["49"]),
            Line("A Catering", "1000.00", "500", f["10.1"]),
            Line("A Payroll", "5000.00", excluded=True),
        ],
    )
    run_b = make_run(
        session,
        authority=b,
        fy_year=2023,
        supplier_ids=suppliers,
        lines=[
            Line("Shared Coaches", "1000.00", "600", f["49"]),
            Line("B Misc", "1000.00"),
        ],
    )
    run_b.factor_edition = "test-2"
    sf = SupplierFactor(
        supplier_id=suppliers["Shared Coaches"],
        authority_id=b.id,
        year=2023,
        currency="GBP",
        kgco2e_per_unit=Decimal("0.6"),
        evidence_url="https://example.org/coaches-footprint",
    )
    session.add(sf)
    session.flush()
    coaches_b = session.scalars(
        select(LineEmission)
        .join(SpendLine, SpendLine.id == LineEmission.spend_line_id)
        .where(LineEmission.run_id == run_b.id, SpendLine.supplier_id == sf.supplier_id)
    ).one()
    coaches_b.supplier_factor_id = sf.id
    session.flush()
    summarise_stored_lines(session, [run_b.id])
    run_c = make_run(
        session,
        authority=c,
        fy_year=2023,
        supplier_ids=suppliers,
        lines=[
            Line("Shared Coaches", "5000.00", "1000", f["49"]),
            Line("C Secret Supplies", "5000.00", "2500", f["10.1"]),
        ],
    )
    run_c.price_year_policy = "fixed:2022"
    session.add(
        Target(
            authority_id=a.id,
            baseline_years=[2022],
            target_year=2030,
            reduction_pct=Decimal(50),
            pathway="linear",
            interim=[],
            baseline_kg=Decimal(2400),
            baseline_versions={"2022": 1},
        )
    )
    session.flush()
    return GroupSeed(a=a, b=b, c=c, suppliers=suppliers)
