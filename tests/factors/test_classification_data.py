"""Classification tables: valid targets, completeness, reproducible builds, real-file coverage."""

from __future__ import annotations

import csv
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from factors.build import mcc_crosswalk, proclass_crosswalk
from factors.classification import (
    ARTEFACT_GROUPS,
    CROSSWALK_DIR,
    ClassificationDataError,
    CodeMapping,
    RuleSet,
    Target,
    defra_group_codes,
    load_cpv_crosswalk,
    load_default_rules,
    load_exclusions,
    load_mcc_crosswalk,
    load_naics_crosswalk,
    load_policy_rules,
    load_proclass_crosswalk,
    load_unspsc_crosswalk,
    lookup_mcc,
    normalise,
    parse_target,
)
from tests.factors.conftest import shared_dir
from tracker.importers.model import SpendRecord

REQUIRED_REASONS = {
    "staff",
    "grants",
    "benefits",
    "tax",
    "finance",
    "internal",
    "public_body",
    "energy_own",
    "refund",
    "capital_financing",
}


def _check_target(target: Target, reasons: set[str], where: str) -> None:
    groups = defra_group_codes()
    # Policy §5: no table row names an artefact group, as its group or its if_included.
    assert target.defra_group not in ARTEFACT_GROUPS, where
    assert target.if_included not in ARTEFACT_GROUPS, where
    if target.review:  # a code that says nothing about the purchase: a note says why
        assert target.note.startswith("review: ") and target.scope3_category is None, where
        assert target.if_included is None, where
        return
    assert (target.defra_group is None) != (target.exclude_reason is None), where
    if target.defra_group is not None:
        assert target.defra_group in groups, where
        assert target.scope3_category in (1, 2), where
    else:
        assert target.exclude_reason in reasons, where
    if target.if_included is not None:
        assert target.if_included in groups, where
    if target.exclude_reason == "energy_own":
        assert target.if_included is not None, where


def test_exclusion_vocabulary() -> None:
    reasons = load_exclusions()
    assert set(reasons) >= REQUIRED_REASONS
    assert all(e.default_excluded for e in reasons.values())


@pytest.mark.parametrize(
    "loader",
    [load_proclass_crosswalk, load_mcc_crosswalk, load_cpv_crosswalk, load_unspsc_crosswalk],
    ids=["proclass", "mcc", "cpv", "unspsc"],
)
def test_code_table_targets(loader: Callable[[], dict[str, CodeMapping]]) -> None:
    reasons = set(load_exclusions())
    for code, mapping in loader().items():
        _check_target(mapping.target, reasons, code)


def test_naics_targets() -> None:
    reasons = set(load_exclusions())
    table = load_naics_crosswalk()
    for code, mapping in table.items():
        _check_target(mapping.target, reasons, code)
        assert mapping.target.defra_group is None or mapping.candidates


def test_rule_targets() -> None:
    reasons = set(load_exclusions())
    rules = load_default_rules()
    assert len(rules) >= 100
    for rule in rules.rules:
        _check_target(rule.target, reasons, rule.rule_id)


def test_proclass_has_all_586_codes() -> None:
    table = load_proclass_crosswalk()
    assert len(table) == 586
    assert all(len(code) == 6 and code.isdigit() for code in table)
    assert table["371000"].target.exclude_reason == "energy_own"
    assert table["371000"].target.if_included == "35.1"
    assert table["280000"].target.defra_group == "69.1"


def test_mcc_table_size_and_examples() -> None:
    table = load_mcc_crosswalk()
    assert len(table) >= 300
    expected = {"5812": "56", "4112": "49.1-2", "7011": "55", "5943": "17", "5734": "58"}
    for code, group in expected.items():
        assert table[code].target.defra_group == group
    assert table["5541"].target.exclude_reason == "energy_own"
    assert table["5541"].target.if_included == "19"
    hit = lookup_mcc(table, "5411.0")
    assert hit is not None and hit.code == "5411"
    assert lookup_mcc(table, "742") is table["0742"]


def test_normalise() -> None:
    assert normalise("  R&M -  Buildings ") == "r and m buildings"
    assert normalise("CD-ROM, Software...") == "cd rom software"


def test_ruleset_priorities_and_fields() -> None:
    rules = load_default_rules()
    hit = rules.match("Employees", "Agency Staff", None)
    assert hit is not None and hit.target.defra_group == "78"
    hit = rules.match("Vehicle Fuel Costs", None, None)
    assert hit is not None and hit.target.exclude_reason == "energy_own"
    hit = rules.match("Residential Home Long Stay Fees", None, None)
    assert hit is not None and hit.target.defra_group == "87"
    # a supplier name alone never triggers a ledger-text rule
    assert rules.match(None, None, "Legal & General Assurance") is None
    assert rules.match(None, None, None) is None


def test_policy_rule_targets() -> None:
    reasons = set(load_exclusions())
    rules = load_policy_rules()
    for rule in rules.rules:
        _check_target(rule.target, reasons, rule.rule_id)
    # The policy table and the library share one id space.
    assert not {r.rule_id for r in rules.rules} & {r.rule_id for r in load_default_rules().rules}


@pytest.mark.parametrize(
    ("expense_type", "supplier", "reason"),
    [
        # docs/classification-policy.md §4: the four Greater Manchester councils' levy and
        # precept lines as their files write them (Manchester, Tameside, Trafford,
        # Stockport, September 2014).
        ("Levies - Cash Limit", "GMWDA (LEVY)", "public_body"),
        ("GMC Waste Disposal Levy", "GREATER MANCHESTER WASTE DISPOSAL AUTH.", "public_body"),
        ("WASTE DISPOSAL LEVY", "Greater M/cr Waste Disposal Auth", "public_body"),
        ("3RD PARTY PAYMENTS", "GREATER MANCHESTER WASTE DISPOSAL AUTHORITY", "public_body"),
        ("Passenger Transport Levy", "GREATER MANCHESTER COMBINED AUTHORITY", "public_body"),
        ("GMITA LEVY (GMCA)", "Gtr Manchester Combined Authority", "public_body"),
        ("3RD PARTY PAYMENTS", "GREATER MANCHESTER COMBINED AUTHORITY", "public_body"),
        ("Ctax Preceptr Pymnts", "Greater Manchester Fire & Rescue", "public_body"),
        ("GMFA CFUND CTAX CRED", "Greater Manchester Fire & Rescue Se", "public_body"),
        ("Land Drainage Levy", "ENVIRONMENT AGENCY NW", "public_body"),
        ("Gas", "British Gas Business", "energy_own"),
        ("Purchase of Buildings", None, "property"),
    ],
)
def test_policy_treats_levies_and_precepts_alike(
    expense_type: str, supplier: str | None, reason: str
) -> None:
    hit = load_policy_rules().match(expense_type, None, supplier)
    assert hit is not None and hit.target.exclude_reason == reason, (expense_type, supplier)


def test_policy_leaves_purchases_alone() -> None:
    rules = load_policy_rules()
    for expense_type, supplier in (
        ("Gas servicing", "Gas Safe Heating Ltd"),
        ("Drinking water", "Aqua Coolers Ltd"),
        ("Water systems testing", "Legionella Control Ltd"),
    ):
        assert rules.match(expense_type, None, supplier) is None, expense_type


def test_pfi_unitary_charges_are_construction_by_policy() -> None:
    hit = load_policy_rules().match("Unitary Charge Payments", None, "PYRAMID SCHOOLS LTD")
    assert hit is not None and hit.target.defra_group == "41.2"
    assert hit.target.scope3_category == 1 and hit.target.confidence == "medium"


def test_supplier_name_rules_know_government_departments() -> None:
    rules = load_policy_rules()
    for payee in ("Department Of Work & Pensions", "Department for Education"):
        hit = rules.match(None, None, payee)
        assert hit is not None and hit.target.exclude_reason == "public_body", payee
    # HMRC is paid tax, and PAYE and NI deducted from pay: policy §2 `tax`.
    hit = rules.match("PAYE Tax", None, "HMRC")
    assert hit is not None and hit.target.exclude_reason == "tax"
    assert rules.match(None, None, "Departmental Stores Ltd") is None


def test_build_outputs_are_reproducible(tmp_path: Path) -> None:
    out = tmp_path / "mcc.csv"
    mcc_crosswalk.build(out)
    assert out.read_bytes() == (CROSSWALK_DIR / "mcc_to_defra.csv").read_bytes()


# --------------------------------------------------------------------- shared data


def _shared_factors() -> Path:
    path = shared_dir() / "data" / "factors"
    if not path.is_dir():
        pytest.skip(f"shared reference data not found at {path}")
    return path


def _shared_spend(name: str) -> Path:
    path = shared_dir() / "data" / "spend" / name
    if not path.is_file():
        pytest.skip(f"shared spend file not found at {path}")
    return path


@pytest.mark.shared
def test_proclass_rebuild_is_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "proclass.csv"
    proclass_crosswalk.build(_shared_factors(), out)
    assert out.read_bytes() == (CROSSWALK_DIR / "proclass_c17_to_defra.csv").read_bytes()


@pytest.mark.shared
def test_naics_rebuild_is_byte_identical(tmp_path: Path) -> None:
    from factors.build import naics_isic_crosswalk

    out_csv = tmp_path / "naics.csv"
    out_meta = tmp_path / "meta"
    naics_isic_crosswalk.build(_shared_factors(), out_meta, out_csv)
    assert out_csv.read_bytes() == (CROSSWALK_DIR / "naics2017_to_sic_division.csv").read_bytes()
    for name in ("links.csv", "metadata.json"):
        shipped = CROSSWALK_DIR / "naics2017-isic4" / name
        assert (out_meta / "naics2017-isic4" / name).read_bytes() == shipped.read_bytes()


@pytest.mark.shared
def test_every_epa_naics_code_has_a_row() -> None:
    path = (
        _shared_factors()
        / "epa-supply-chain-factors"
        / "SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv"
    )
    with path.open(encoding="utf-8", newline="") as fh:
        codes = {row["2017 NAICS Code"].strip() for row in csv.DictReader(fh)}
    table = load_naics_crosswalk()
    assert len(codes) == 1016
    assert codes <= set(table)


@pytest.mark.shared
def test_mccs_seen_in_card_files_are_present() -> None:
    from tracker.importers import parse_spend_file

    table = load_mcc_crosswalk()
    for name in ("uk-birmingham-pcard-2020-02.xls", "uk-trafford-pcard-2025-26.csv"):
        parsed = parse_spend_file(_shared_spend(name))
        seen = {r.mcc for r in parsed.records if r.mcc is not None}
        # "0" (no code supplied, 1 Birmingham line) is not an MCC
        missing = {m for m in seen if lookup_mcc(table, m) is None and m.strip("0.") != ""}
        assert not missing, (name, sorted(missing))


def _shares(
    name: str, classify: Callable[[SpendRecord], Target | None], text: bool = True
) -> tuple[Decimal, Decimal]:
    """(excluded share of all spend, classified share of in-scope spend), by |amount|."""
    from tracker.importers import parse_spend_file

    parsed = parse_spend_file(_shared_spend(name))
    total = excluded = classified = Decimal(0)
    for rec in parsed.records:
        amount = abs(rec.amount)
        total += amount
        target = classify(rec)
        if target is None:
            continue
        if target.excluded:
            excluded += amount
        else:
            classified += amount
    in_scope = total - excluded
    return excluded / total, (classified / in_scope if in_scope else Decimal(0))


def _rule_classifier(*tables: RuleSet) -> Callable[[SpendRecord], Target | None]:
    """The text path of the classifier: the first table with a hit decides (policy rules
    come before the library: docs/classification-policy.md §3)."""

    def classify(rec: SpendRecord) -> Target | None:
        for rules in tables:
            hit = rules.match(rec.expense_type, rec.description, rec.supplier)
            if hit is not None:
                return hit.target
        return None

    return classify


TEXT_FILES = {
    # file: minimum classified share of in-scope spend asserted (0 = measured only)
    "uk-manchester-2014-09.xls": Decimal("0.80"),
    "uk-leeds-2020-06.csv": Decimal("0.80"),
    "uk-lambeth-2012-06.csv": Decimal(0),
    "uk-oxford-2014-q1.csv": Decimal(0),
    "uk-tameside-2014-09.csv": Decimal(0),
    "uk-stockport-2014-09.xls": Decimal(0),
    "uk-trafford-2014-09.csv": Decimal(0),
    "us-phoenix-2018-03.csv": Decimal(0),
}


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(TEXT_FILES))
def test_rule_coverage_on_text_files(name: str) -> None:
    excluded, share = _shares(name, _rule_classifier(load_policy_rules(), load_default_rules()))
    print(f"{name}: excluded {excluded:.1%} of spend; rules classify {share:.1%} of in-scope")
    assert share >= TEXT_FILES[name]


@pytest.mark.shared
def test_proclass_coverage_trafford_2014() -> None:
    table = load_proclass_crosswalk()

    def classify(rec: SpendRecord) -> Target | None:
        code = rec.proclass
        hit = table.get(code.strip()) if code else None
        return hit.target if hit is not None else None

    from tracker.importers import parse_spend_file

    # every 6-digit ProClass code in the file is in the table ("NCLASS" and blanks are not codes)
    records = parse_spend_file(_shared_spend("uk-trafford-2014-09.csv")).records
    codes = {r.proclass.strip() for r in records if r.proclass and r.proclass.strip().isdigit()}
    # Trafford coded its 2014 ledger with an older ProClass edition: some codes are not C17.1
    unknown = codes - set(table)
    assert codes and len(unknown) < len(codes) / 2, sorted(unknown)
    coded = Decimal(sum(abs(r.amount) for r in records if r.proclass in table))
    total = Decimal(sum(abs(r.amount) for r in records))
    excluded, share = _shares("uk-trafford-2014-09.csv", classify)
    print(
        f"Trafford 2014 ProClass: {coded / total:.1%} of spend carries a C17.1 code "
        f"({len(unknown)} of {len(codes)} codes seen are not C17.1); excluded "
        f"{excluded:.1%}; classified {share:.1%} of in-scope (uncoded rows count as unclassified)"
    )
    assert share > Decimal("0.4")


@pytest.mark.shared
@pytest.mark.parametrize(
    "name", ["uk-birmingham-pcard-2020-02.xls", "uk-trafford-pcard-2025-26.csv"]
)
def test_mcc_coverage_card_files(name: str) -> None:
    table = load_mcc_crosswalk()

    def classify(rec: SpendRecord) -> Target | None:
        hit = lookup_mcc(table, rec.mcc)
        return hit.target if hit is not None else None

    excluded, share = _shares(name, classify)
    print(f"{name} MCC: excluded {excluded:.1%}; classified {share:.1%} of in-scope")
    assert share >= Decimal("0.95")


def test_unspsc_has_every_segment() -> None:
    """The 57 segments of UNSPSC (10-15, 20-27, 30-32, 39-56, 60, 64, 70-73, 76-78, 80-86,
    90-95), with examples whose SIC division is plain from the segment title."""
    table = load_unspsc_crosswalk()
    segments = [10, 11, 12, 13, 14, 15, 20, 21, 22, 23, 24, 25, 26, 27, 30, 31, 32]
    segments += [*range(39, 57), 60, 64, 70, 71, 72, 73, 76, 77, 78]
    segments += [*range(80, 87), *range(90, 96)]
    assert sorted(table) == [str(s) for s in segments]
    assert len(table) == 57
    assert table["51"].target.defra_group == "21"  # drugs and pharmaceutical products
    assert table["86"].target.defra_group == "85"  # education and training services
    assert table["56"].target.defra_group == "31"  # furniture and furnishings
    assert table["15"].target.exclude_reason == "energy_own"  # fuels
    assert table["25"].target.scope3_category == 2  # vehicles


# ---- artefact groups (policy §5) ---------------------------------------------------------


def test_artefact_groups_are_the_shipped_codes_the_method_names() -> None:
    # ../shared/docs/methodology.md §2.2 names SIC 46 wholesale, 07 metal ores, 24.4-5 other
    # basic metals and 65.3 pension funding; policy §5 adds 47, the retail margin. The
    # shipped Defra table spells metal ores "7".
    assert {"7", "24.4-5", "46", "47", "65.3"} == ARTEFACT_GROUPS
    assert defra_group_codes() >= ARTEFACT_GROUPS


def _row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(
        ("defra_group", "scope3_category", "exclude_reason", "if_included", "confidence", "note"),
        "",
    )
    row.update(values)
    return row


@pytest.mark.parametrize("group", sorted(ARTEFACT_GROUPS))
def test_a_table_row_naming_an_artefact_group_is_refused(group: str) -> None:
    with pytest.raises(ClassificationDataError, match=f"t.csv line 7: Defra group {group} is"):
        parse_target(_row(defra_group=group, scope3_category="1", confidence="low"), "t.csv line 7")
    with pytest.raises(ClassificationDataError, match="artefact group"):
        parse_target(
            _row(exclude_reason="energy_own", if_included=group, confidence="low"), "t.csv line 8"
        )


def test_a_review_row_decides_nothing_and_says_why() -> None:
    target = parse_target(_row(note="review: a retail heading"), "t.csv line 2")
    assert target.review and target.defra_group is None and target.exclude_reason is None
    with pytest.raises(ClassificationDataError, match=r"t\.csv line 3: a review row needs a note"):
        parse_target(_row(), "t.csv line 3")
    with pytest.raises(ClassificationDataError, match="leaves scope3_category"):
        parse_target(_row(confidence="low", note="review"), "t.csv line 4")


def test_retail_proclass_and_trade_naics_codes() -> None:
    # ProClass 192100 "Facilities & Management Services > Retail" names no goods: review.
    assert load_proclass_crosswalk()["192100"].target.review
    naics = load_naics_crosswalk()
    # Census concordance: 423430 computer wholesalers are ISIC 4651 (SIC 46.51 → 26, the
    # trade table); 451211 book stores ISIC 4761 (SIC 47.61 → 58); 452210 department stores
    # ISIC 4719 (goods of every kind: review); 212210 iron ore mining ISIC 0710 (group 7,
    # an artefact: review); 331318 aluminium extruding ISIC 2420*/2599*/2732* (24.4-5 set
    # aside, 25OTHER chosen).
    assert naics["423430"].target.defra_group == "26"
    assert naics["451211"].target.defra_group == "58"
    assert naics["452210"].target.review and naics["212210"].target.review
    assert naics["331318"].target.defra_group == "25OTHER"
    assert naics["331318"].target.confidence == "low"
