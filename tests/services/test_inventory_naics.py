"""A US authority whose lines carry only object-class text (no NAICS code) is costed
through the shared rule library: text → rule → Defra group → EPA NAICS-6 commodity →
factor (tracker.services.inventory, factors/crosswalks/defra_group_to_naics.csv and
rule_naics.csv), on both databases.

Hand-worked with the shipped tables. Spend of calendar 2023 (financial year from January),
costed with EPA v1.3.0 factors of 2022 (kg CO2e per 2022 USD, with margins), deflated by
the BEA detail price index of the factor's reference USEEIO code (2017 = 100):

- "Motor Vehicles" $30,000: library rule R066 → group 29 → refined to 336112 (light
  trucks, rule_naics.csv); EPA 336112 = 0.268; BEA 336112 2022 109.065, 2023 113.206:
  30,000 × 109.065 / 113.206 × 0.268 = 7,745.9022 kg; Scope 3 category 2 (the rule's).
- "Legal Services" $10,000: R075 → 69.1 → group commodity 541110 (offices of lawyers);
  EPA 541110 = 0.041 (reference 541100); BEA 541100 2022 121.72, 2023 128.208:
  10,000 × 121.72 / 128.208 × 0.041 = 389.2518 kg.
- "Contr Custodial Svcs" $4,000: R107 → 81 → refined to 561720 (janitorial services);
  EPA 0.214 (reference 561700); BEA 561700 2022 116.841, 2023 122.842:
  4,000 × 116.841 / 122.842 × 0.214 = 814.1832 kg.
- "Legal Services" with NAICS 327320 on the line, $1,000: the code on the line decides
  (ready-mix concrete, EPA 0.606; BEA 327320 2022 126.100, 2023 139.497):
  1,000 × 126.100 / 139.497 × 0.606 = 547.8010 kg.
- "Electricity" $5,000: R118, excluded as energy_own.
- "Permit Fees" $500: R092 → group 84, which has no EPA commodity: unmapped, naming 84.
- "Miscellaneous" $2,000: no rule: unmapped.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import LineEmission, SpendLine
from tracker.services.authorities import add_authority
from tracker.services.imports import import_spend_file
from tracker.services.inventory import ensure_inventory
from tracker.services.reference import load_shipped_reference_data

SPEND = (
    "Date,Vendor,Amount,Expense Type,NAICS\n"
    "10/05/2023,Fleet Dealer,30000.00,Motor Vehicles,\n"
    "11/05/2023,Law Firm,10000.00,Legal Services,\n"
    "12/05/2023,Clean Co,4000.00,Contr Custodial Svcs,\n"
    "13/05/2023,Concrete Co,1000.00,Legal Services,327320\n"
    "14/05/2023,Power Utility,5000.00,Electricity,\n"
    "15/05/2023,County,500.00,Permit Fees,\n"
    "16/05/2023,Someone,2000.00,Miscellaneous,\n"
)


def test_text_only_us_lines_are_costed_through_the_group(session: Session, tmp_path: Path) -> None:
    load_shipped_reference_data(session)
    us = add_authority(
        session, code="N" + uuid.uuid4().hex[:6].upper(), name="Text City",
        country="US", currency="USD", fy_start_month=1,
    )  # fmt: skip
    path = tmp_path / "us.csv"
    path.write_text(SPEND, encoding="utf-8")
    import_spend_file(session, authority=us, path=path, data_dir=tmp_path)
    run = ensure_inventory(session, authority=us, year=2023)
    assert run.factor_family == "epa-useeio-naics" and run.factor_edition == "v1.3.0"
    rows = session.execute(
        select(SpendLine.supplier_name, LineEmission)
        .join(LineEmission, LineEmission.spend_line_id == SpendLine.id)
        .where(LineEmission.run_id == run.id)
    ).all()
    by: dict[str, LineEmission] = {name: e for name, e in rows}  # noqa: C416

    trucks = by["Fleet Dealer"]
    assert (trucks.status, trucks.category_code, trucks.method) == ("mapped", "336112", "library")
    assert trucks.matched_code == "R066 > 29 > 336112"
    assert trucks.scope3_category == 2 and trucks.factor_year == 2022
    assert round(float(trucks.kgco2e), 4) == 7745.9022
    assert float(trucks.kgco2e) == pytest.approx(30_000 * 109.065 / 113.206 * 0.268, abs=1e-5)

    law = by["Law Firm"]
    assert (law.category_code, law.matched_code) == ("541110", "R075 > 69.1 > 541110")
    assert float(law.kgco2e) == pytest.approx(10_000 * 121.72 / 128.208 * 0.041, abs=1e-5)
    assert round(float(law.kgco2e), 4) == 389.2518

    clean = by["Clean Co"]
    assert (clean.category_code, clean.matched_code) == ("561720", "R107 > 81 > 561720")
    assert float(clean.kgco2e) == pytest.approx(4_000 * 116.841 / 122.842 * 0.214, abs=1e-5)

    coded = by["Concrete Co"]
    assert (coded.method, coded.category_code, coded.matched_code) == (
        "naics", "327320", "327320",
    )  # fmt: skip
    assert float(coded.kgco2e) == pytest.approx(1_000 * 126.100 / 139.497 * 0.606, abs=1e-5)

    power = by["Power Utility"]
    assert (power.status, power.reason, power.kgco2e) == (
        "excluded", "excluded: energy_own", Decimal(0),
    )  # fmt: skip

    permit = by["County"]
    assert permit.status == "unmapped" and permit.category_code is None
    assert "Defra group 84" in (permit.reason or "")
    assert permit.matched_code == "R092 > 84"

    assert by["Someone"].status == "unmapped"
    assert run.mapped_spend == Decimal("45000.00")
    assert run.excluded_spend == Decimal("5000.00")
    total = 7745.9022 + 389.2518 + 814.1832 + 547.8010
    assert float(run.total_kgco2e) == pytest.approx(total, abs=1e-4)
