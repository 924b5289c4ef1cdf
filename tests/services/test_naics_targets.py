"""A US authority's officer names an EPA NAICS-6 commodity in a rule, a supplier default or
a line override (tracker.services.classification.rules.naics_target), and the line is
costed with that
commodity; a UK authority, a code without an EPA factor or a code with an exclusion is
refused with a message saying why. On both databases.

Hand-worked with the shipped tables. Spend of calendar 2023, EPA v1.3.0 factors of 2022
(kg CO2e per 2022 USD), deflated by the BEA detail index of the factor's reference code:

- "Spec Contractual Svc" $9,000, which the library leaves to review (policy §9); the
  authority's rule names 561210 (facilities support services, filed under Defra group 81):
  EPA 0.199; BEA 561200 2022 115.483, 2023 120.88: 9,000 × 115.483 / 120.88 × 0.199 =
  1,711.0362 kg.
- "Motor Vehicles" $50,000 from a refuse-truck dealer, whose supplier default names 336120
  (heavy duty trucks, group 29) where the library would say light trucks: EPA 0.272;
  BEA 336120 2022 109.53, 2023 113.171: 50,000 × 109.53 / 113.171 × 0.272 = 13,162.4533 kg.
- "Miscellaneous" $2,000 (no rule), overridden to 541110 (offices of lawyers, 69.1):
  EPA 0.041; BEA 541100 2022 121.72, 2023 128.208: 2,000 × 121.72 / 128.208 × 0.041 =
  77.8504 kg.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import TrackerError
from tracker.models import Authority, LineEmission, LineOverride, SpendLine
from tracker.services.authorities import add_authority
from tracker.services.classification.line_classes import set_overrides
from tracker.services.classification.rules import (
    add_rule,
    export_rules,
    export_supplier_defaults,
    import_rules,
    import_supplier_defaults,
    list_rules,
    list_supplier_defaults,
    set_supplier_default,
)
from tracker.services.imports import import_spend_file
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.reference import load_shipped_reference_data

SPEND = (
    "Date,Vendor,Amount,Expense Type\n"
    "10/05/2023,Vague Co,9000.00,Spec Contractual Svc\n"
    "11/05/2023,Refuse Truck Co,50000.00,Motor Vehicles\n"
    "12/05/2023,Law Firm,2000.00,Miscellaneous\n"
)


def _authority(session: Session, country: str, tmp_path: Path) -> Authority:
    authority = add_authority(
        session, code="T" + uuid.uuid4().hex[:6].upper(), name="Named City", country=country,
        currency="USD" if country == "US" else "GBP", fy_start_month=1,
    )  # fmt: skip
    path = tmp_path / f"{authority.code}.csv"
    path.write_text(SPEND, encoding="utf-8")
    import_spend_file(session, authority=authority, path=path, data_dir=tmp_path)
    return authority


def test_us_targets_name_their_commodity(session: Session, tmp_path: Path) -> None:
    load_shipped_reference_data(session)
    us = _authority(session, "US", tmp_path)
    rule = add_rule(
        session, authority=us, rule_id="FM1", pattern="spec contractual svc",
        field="expense_type", naics="561210", actor="officer@example.org",
    )  # fmt: skip
    assert (rule.naics_code, rule.defra_group) == ("561210", "81")
    default = set_supplier_default(
        session, authority=us, supplier_name="Refuse Truck Co", defra_group=None,
        exclude_reason=None, scope3_category=2, actor="officer@example.org", naics="336120",
    )  # fmt: skip
    assert (default.naics_code, default.defra_group) == ("336120", "29")
    law = session.scalars(select(SpendLine.id).where(SpendLine.supplier_name == "Law Firm")).one()
    set_overrides(
        session, authority=us, line_ids=[law], note="legal fees", actor="officer@example.org",
        naics="541110",
    )  # fmt: skip

    run = ensure_inventory(session, authority=us, year=2023)
    rows = session.execute(
        select(SpendLine.supplier_name, LineEmission)
        .join(LineEmission, LineEmission.spend_line_id == SpendLine.id)
        .where(LineEmission.run_id == run.id)
    ).all()
    by: dict[str, LineEmission] = {name: e for name, e in rows}  # noqa: C416

    # Hand-worked from the shipped tables: EPA USEEIO v1.3.0 factors (kg CO2e per 2022 USD,
    # with margins) 561210 0.199, 336120 0.272, 541110 0.041; 2023 spend brought to 2022
    # prices with the BEA detail price indices (IO 2017 codes 561200 115.483 / 120.88,
    # 336120 109.53 / 113.171, 541100 121.72 / 128.208):
    #   9,000 x 115.483 / 120.88 x 0.199 = 1,711.036 kg
    #   50,000 x 109.53 / 113.171 x 0.272 = 13,162.453 kg
    #   2,000 x 121.72 / 128.208 x 0.041 = 77.850 kg
    vague = by["Vague Co"]
    assert (vague.status, vague.method, vague.category_code) == ("mapped", "rule", "561210")
    assert vague.matched_code == "FM1 > 81 > 561210"
    assert round(float(vague.kgco2e), 4) == 1711.0362

    trucks = by["Refuse Truck Co"]
    assert (trucks.method, trucks.category_code, trucks.scope3_category) == (
        "supplier-default", "336120", 2,
    )  # fmt: skip
    assert trucks.matched_code == "Refuse Truck Co > 29 > 336120"
    assert round(float(trucks.kgco2e), 4) == 13162.4533

    override_id = session.scalars(
        select(LineOverride.id).where(LineOverride.spend_line_id == law)
    ).one()
    fees = by["Law Firm"]
    assert (fees.method, fees.category_code) == ("override", "541110")
    assert fees.matched_code == f"override {override_id} > 69.1 > 541110"
    assert round(float(fees.kgco2e), 4) == 77.8504
    assert float(run.total_kgco2e) == pytest.approx(1711.0362 + 13162.4533 + 77.8504, abs=1e-3)


@pytest.mark.parametrize(
    ("naics", "group", "exclude", "message"),
    [
        ("999999", None, None, "'999999' is not a NAICS-6 code with an EPA factor"),
        ("56121", None, None, "'56121' is not a NAICS-6 code with an EPA factor"),
        ("561210", None, "grants", "give a NAICS code or an exclusion reason, not both"),
        ("561210", "70", None, "NAICS 561210 files under group 81, not 70"),
        # Department stores sell goods of every kind: a review row of the crosswalk
        # (policy §10), so the commodity names no group and the message says why.
        ("452210", None, None, r"NAICS 452210 files under no Defra group \(review: a trade"),
    ],
)
def test_bad_naics_targets_are_refused(
    session: Session,
    tmp_path: Path,
    naics: str,
    group: str | None,
    exclude: str | None,
    message: str,
) -> None:
    load_shipped_reference_data(session)
    us = _authority(session, "US", tmp_path)
    with pytest.raises(TrackerError, match=message):
        add_rule(
            session, authority=us, rule_id="X1", pattern="x", naics=naics, defra_group=group,
            exclude_reason=exclude, actor="officer@example.org",
        )  # fmt: skip


def test_a_uk_authority_names_a_defra_group(session: Session, tmp_path: Path) -> None:
    load_shipped_reference_data(session)
    uk = _authority(session, "GB", tmp_path)
    with pytest.raises(TrackerError, match="not the EPA NAICS factors: give a Defra group"):
        add_rule(
            session, authority=uk, rule_id="X1", pattern="x", naics="561210",
            actor="officer@example.org",
        )  # fmt: skip
    with pytest.raises(TrackerError, match="give a Defra group"):
        set_supplier_default(
            session, authority=uk, supplier_name="Law Firm", defra_group=None,
            exclude_reason=None, scope3_category=None, actor="officer@example.org",
            naics="541110",
        )  # fmt: skip


def test_named_commodities_move_with_the_csv(session: Session, tmp_path: Path) -> None:
    """Exported rules and supplier defaults carry a naics_code column when one names a
    commodity; importing them into another US authority keeps it, a UK one refuses it."""
    load_shipped_reference_data(session)
    us, other, uk = (_authority(session, c, tmp_path) for c in ("US", "US", "GB"))
    add_rule(
        session, authority=us, rule_id="FM1", pattern="spec contractual svc",
        naics="561210", actor="officer@example.org",
    )  # fmt: skip
    set_supplier_default(
        session, authority=us, supplier_name="Refuse Truck Co", defra_group=None,
        exclude_reason=None, scope3_category=None, actor="officer@example.org", naics="336120",
    )  # fmt: skip
    rules_csv = export_rules(list_rules(session, us))
    assert rules_csv.splitlines()[0].endswith(",note,naics_code")
    assert rules_csv.splitlines()[1].startswith("FM1,50,any,spec contractual svc,contains,81,")
    assert rules_csv.splitlines()[1].endswith(",561210")
    defaults_csv = export_supplier_defaults(list_supplier_defaults(session, us))
    assert defaults_csv.splitlines() == [
        "supplier,defra_group,exclude_reason,scope3_category,note,naics_code",
        "Refuse Truck Co,29,,,,336120",
    ]
    (tmp_path / "rules.csv").write_text(rules_csv, encoding="utf-8")
    (tmp_path / "defaults.csv").write_text(defaults_csv, encoding="utf-8")
    assert import_rules(session, authority=other, path=tmp_path / "rules.csv", actor="o") == 1
    assert [r.naics_code for r in list_rules(session, other)] == ["561210"]
    import_supplier_defaults(session, authority=other, path=tmp_path / "defaults.csv", actor="o")
    assert [d.naics_code for _, d in list_supplier_defaults(session, other)] == ["336120"]
    with pytest.raises(TrackerError, match=r"rules\.csv: row 2: .*give a Defra group"):
        import_rules(session, authority=uk, path=tmp_path / "rules.csv", actor="o")
