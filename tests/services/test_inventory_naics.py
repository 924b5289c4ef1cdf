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
- "Electricity" with NAICS 221122 on the line, $3,000: group-wide policy (R118, own
  energy) outranks the code on the line: excluded, not costed by the code.
- "Software Agreements" $5,000: licences, R096 → 58 → 511210 software publishers
  (EPA 0.08; BEA 511200 2022 93.677, 2023 94.224): 5,000 × 93.677 / 94.224 × 0.08 =
  397.6779 kg.
- "Jail Services" from a county $9,000: R442 → 84 → refined to 561210 (facilities
  support services, which include running jails for a fee; EPA 0.199; BEA 561200 2022
  115.483, 2023 120.88): 9,000 × 115.483 / 120.88 × 0.199 = 1,711.0362 kg.
- "Spec Contractual Svc" $6,000: R139 reads it, but it names nothing: unmapped, to review.
- "Miscellaneous" to "City of Springfield" $7,000 and "Grants and Subsidies" to a regional
  transit authority $8,000: group-wide policy (P010, P011), excluded as public_body.
- "Legal Services" with NAICS 327320 on the line, $2,000, overridden by a person to 69.1:
  the override outranks the code: 541110, 2,000 × 121.72 / 128.208 × 0.041 = 77.8504 kg.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import LineEmission, LineOverride, SpendLine
from tracker.services.authorities import add_authority
from tracker.services.classification.line_classes import set_overrides
from tracker.services.imports import import_spend_file
from tracker.services.inventory.runs import ensure_inventory
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
    "17/05/2023,Grid Co,3000.00,Electricity,221122\n"
    "18/05/2023,Soft Reseller,5000.00,Software Agreements,\n"
    "19/05/2023,A County,9000.00,Jail Services,\n"
    "20/05/2023,Vague Co,6000.00,Spec Contractual Svc,\n"
    "21/05/2023,City of Springfield,7000.00,Miscellaneous,\n"
    "22/05/2023,Valley Regional Transit Authority,8000.00,Grants and Subsidies,\n"
    "23/05/2023,Overridden Co,2000.00,Legal Services,327320\n"
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
    overridden = session.scalars(
        select(SpendLine.id).where(SpendLine.supplier_name == "Overridden Co")
    ).one()
    set_overrides(
        session, authority=us, line_ids=[overridden], note="a law firm's fee",
        actor="officer@example.org", defra_group="69.1",
    )  # fmt: skip
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

    grid = by["Grid Co"]  # policy outranks the NAICS code on the line
    assert (grid.status, grid.method, grid.reason) == ("excluded", "policy", "excluded: energy_own")

    software = by["Soft Reseller"]
    assert (software.category_code, software.matched_code) == ("511210", "R096 > 58 > 511210")
    assert round(float(software.kgco2e), 4) == 397.6779

    jail = by["A County"]
    assert (jail.category_code, jail.matched_code) == ("561210", "R442 > 84 > 561210")
    assert round(float(jail.kgco2e), 4) == 1711.0362

    vague = by["Vague Co"]
    assert (vague.status, vague.matched_code, vague.kgco2e) == ("unmapped", "R139 > 82", 0)
    assert "rule R139 is too vague" in (vague.reason or "")

    for payee, rule in (
        ("City of Springfield", "P010"),
        ("Valley Regional Transit Authority", "P011"),
    ):
        body = by[payee]
        assert (body.status, body.method, body.matched_code) == ("excluded", "policy", rule)
        assert body.reason == "excluded: public_body"

    person = by["Overridden Co"]  # the override outranks the NAICS code on the line
    assert (person.method, person.category_code) == ("override", "541110")
    override_id = session.scalars(
        select(LineOverride.id).where(LineOverride.spend_line_id == overridden)
    ).one()
    assert person.matched_code == f"override {override_id} > 69.1 > 541110"
    assert round(float(person.kgco2e), 4) == 77.8504

    assert run.mapped_spend == Decimal("61000.00")
    assert run.excluded_spend == Decimal("23000.00")
    total = 7745.9022 + 389.2518 + 814.1832 + 547.8010 + 397.6779 + 1711.0362 + 77.8504
    assert float(run.total_kgco2e) == pytest.approx(total, abs=1e-3)
