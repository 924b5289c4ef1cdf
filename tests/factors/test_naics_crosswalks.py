"""The Defra group → EPA NAICS-6 crosswalk and the rule refinements
(factors/crosswalks/defra_group_to_naics.csv, rule_naics.csv) and their loaders."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from factors.classification import (
    CROSSWALK_DIR,
    ClassificationDataError,
    defra_group_codes,
    load_default_rules,
)
from factors.naics import EPA_NAICS_DIR, load_group_naics, load_rule_naics


def _edition_codes(edition: str) -> set[str]:
    with (EPA_NAICS_DIR / edition / "factors.csv").open(encoding="utf-8", newline="") as fh:
        return {row["code"] for row in csv.DictReader(fh)}


def test_every_group_has_a_row_and_every_code_is_in_both_epa_editions() -> None:
    groups = load_group_naics()
    assert set(groups) == defra_group_codes() and len(groups) == 112
    v12, v13 = _edition_codes("v1.2"), _edition_codes("v1.3.0")
    for choice in groups.values():
        assert choice.code is None or (choice.code in v12 and choice.code in v13)
    refinements = load_rule_naics()
    assert refinements
    assert all(c.code is None or (c.code in v12 and c.code in v13) for c in refinements.values())
    # a rule listed without a code (its lines wait in review) says why
    assert all(c.note for c in refinements.values() if c.code is None)


def test_artefact_groups_and_imputed_rent_have_no_commodity() -> None:
    groups = load_group_naics()
    # methodology §2.2 artefacts (policy §5 adds 47, the retail margin), and
    # owner-occupiers' imputed rent
    for group in ("7", "24.4-5", "46", "47", "65.3", "68.2IMP"):
        assert groups[group].code is None
    # EPA publishes no factor for electric power (2211xx) or government (92xxxx)
    assert groups["35.1"].code is None and groups["84"].code is None


def test_choices_a_person_can_check() -> None:
    groups, rules = load_group_naics(), load_rule_naics()
    assert groups["29"].code == "336112"  # light trucks and utility vehicles
    assert groups["69.1"].code == "541110"  # offices of lawyers
    assert groups["20.4"].code == "325611"  # soap and cleaning compounds
    assert rules["R066"].code == "336112"  # "Motor Vehicles"
    assert rules["R087"].code == "511130"  # books: book publishers, not software
    assert rules["R139"].code is None  # "Spec Contractual Svc", "services": to review
    assert rules["R133"].code is None  # "All Other Equipment": to review


def test_every_refined_rule_is_a_library_rule_with_a_group() -> None:
    library = {r.rule_id: r for r in load_default_rules().rules}
    for rule_id in load_rule_naics():
        target = library[rule_id].target
        assert target.defra_group is not None or target.if_included is not None


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("g.csv", "defra_group,naics_code,naics_title,note\n29,999999,x,y\n",
         "g.csv line 2: NAICS 999999 has no factor in every shipped EPA edition"),
        ("g.csv", "defra_group,naics_code,naics_title,note\n29,33611,x,y\n",
         "g.csv line 2: not a NAICS-6 code '33611'"),
        ("g.csv", "defra_group,naics_code,naics_title,note\n99.9,336112,x,y\n",
         "g.csv line 2: unknown or duplicate Defra group '99.9'"),
        ("g.csv", "defra_group,naics_code,naics_title,note\n46,423110,x,y\n",
         "g.csv line 2: group 46 must have no NAICS code"),
        ("g.csv", "defra_group,naics_code,naics_title,note\n29,336112,x,\n",
         "g.csv line 2: a note must say why"),
        ("g.csv", "defra_group,naics_code,naics_title,note\n29,336112,x,y\n",
         "g.csv: no row for Defra groups"),
    ],
)  # fmt: skip
def test_group_table_errors_name_file_and_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ClassificationDataError, match=message.replace("(", r"\(")):
        load_group_naics(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rule_id,naics_code,note\nR999,336112,x\n", "r.csv line 2: unknown or duplicate rule"),
        ("rule_id,naics_code,note\nR066,336112,x\nR066,336112,y\n",
         "r.csv line 3: unknown or duplicate rule 'R066'"),
        ("rule_id,naics_code,note\nR023,336112,x\n",
         "r.csv line 2: rule R023 puts lines in no Defra group"),
        ("rule_id,naics_code,note\nR066,336112,a,b\n", "r.csv line 2: expected 3 columns"),
        ("rule_id,naics_code\nR066,336112\n", "r.csv: header"),
        ("rule_id,naics_code,note\nR066,,\n",
         "r.csv line 2: a rule without a code needs a note saying why"),
    ],
)  # fmt: skip
def test_rule_table_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ClassificationDataError, match=message):
        load_rule_naics(path)


def test_shipped_files_are_where_the_loaders_look() -> None:
    assert (CROSSWALK_DIR / "defra_group_to_naics.csv").is_file()
    assert (CROSSWALK_DIR / "rule_naics.csv").is_file()
