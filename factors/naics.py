"""The EPA NAICS-6 commodities chosen for Defra groups and shared-library rules: the US
family's crosswalks (``defra_group_to_naics.csv``, ``rule_naics.csv``), checked against the
shipped EPA factor tables."""

from __future__ import annotations

import csv
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from factors.classification import (
    ARTEFACT_GROUPS,
    CROSSWALK_DIR,
    PACKAGE_DIR,
    ClassificationDataError,
    Rule,
    defra_group_codes,
    load_rules,
    read_rows,
)

# --------------------------------------------------------------------------- NAICS family

EPA_NAICS_DIR = PACKAGE_DIR / "data" / "epa-useeio-naics"
GROUP_NAICS_COLUMNS = ("defra_group", "naics_code", "naics_title", "note")
RULE_NAICS_COLUMNS = ("rule_id", "naics_code", "note")
# The artefact groups and a group that is never bought (owner-occupiers' imputed rent): never
# given a NAICS commodity.
NO_NAICS_GROUPS = ARTEFACT_GROUPS | {"68.2IMP"}


@dataclass(frozen=True, slots=True)
class NaicsChoice:
    """The EPA NAICS-6 commodity chosen for a Defra group or a rule (``code`` None: none)."""

    code: str | None
    title: str
    note: str


@functools.cache
def epa_naics_codes() -> frozenset[str]:
    """NAICS-6 codes with a factor in every shipped EPA edition (v1.2 and v1.3.0)."""
    editions = sorted(EPA_NAICS_DIR.glob("*/factors.csv"))
    if not editions:
        raise ClassificationDataError(f"no EPA factor tables under {EPA_NAICS_DIR}")
    found: frozenset[str] | None = None
    for path in editions:
        with path.open(encoding="utf-8", newline="") as fh:
            codes = frozenset(row["code"] for row in csv.DictReader(fh))
        found = codes if found is None else found & codes
    return found or frozenset()


def _naics_code(raw: str, where: str, valid: frozenset[str]) -> str:
    code = raw.strip()
    if len(code) != 6 or not code.isdigit():
        raise ClassificationDataError(f"{where}: not a NAICS-6 code {code!r}")
    if code not in valid:
        raise ClassificationDataError(
            f"{where}: NAICS {code} has no factor in every shipped EPA edition"
        )
    return code


def _checked_rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    rows = read_rows(path, columns)
    for n, row in rows:
        if None in row or any(v is None for v in row.values()):
            raise ClassificationDataError(f"{path.name} line {n}: expected {len(columns)} columns")
    return rows


def load_group_naics(path: Path | None = None) -> dict[str, NaicsChoice]:
    """Defra group → the EPA NAICS-6 commodity a US authority's line of that group is
    costed with (``defra_group_to_naics.csv``). Every to-2023 group has a row; artefact
    groups and imputed rent have none (``code`` None)."""
    path = path or CROSSWALK_DIR / "defra_group_to_naics.csv"
    groups, valid = defra_group_codes(), epa_naics_codes()
    out: dict[str, NaicsChoice] = {}
    for n, row in _checked_rows(path, GROUP_NAICS_COLUMNS):
        where = f"{path.name} line {n}"
        group = row["defra_group"].strip()
        if group not in groups or group in out:
            raise ClassificationDataError(f"{where}: unknown or duplicate Defra group {group!r}")
        raw = row["naics_code"].strip()
        if group in NO_NAICS_GROUPS and raw:
            raise ClassificationDataError(f"{where}: group {group} must have no NAICS code")
        code = _naics_code(raw, where, valid) if raw else None
        if not row["note"].strip():
            raise ClassificationDataError(f"{where}: a note must say why")
        out[group] = NaicsChoice(code, row["naics_title"].strip(), row["note"].strip())
    missing = sorted(groups - set(out))
    if missing:
        raise ClassificationDataError(f"{path.name}: no row for Defra groups {missing}")
    return out


def load_rule_naics(
    path: Path | None = None, *, rules: Sequence[Rule] | None = None
) -> dict[str, NaicsChoice]:
    """Shared-library rule id → a finer EPA NAICS-6 commodity than its group's
    (``rule_naics.csv``); the rule must exist and put lines in a Defra group. An empty
    code (``code`` None) says the rule's text is too vague to name a commodity: a US
    authority's line it decides waits in review; the note must say why."""
    path = path or CROSSWALK_DIR / "rule_naics.csv"
    by_id = {r.rule_id: r for r in (rules if rules is not None else load_rules())}
    valid = epa_naics_codes()
    out: dict[str, NaicsChoice] = {}
    for n, row in _checked_rows(path, RULE_NAICS_COLUMNS):
        where = f"{path.name} line {n}"
        rule_id = row["rule_id"].strip()
        rule = by_id.get(rule_id)
        if rule is None or rule_id in out:
            raise ClassificationDataError(f"{where}: unknown or duplicate rule {rule_id!r}")
        if rule.target.group(include=[rule.target.exclude_reason or ""]) is None:
            raise ClassificationDataError(f"{where}: rule {rule_id} puts lines in no Defra group")
        raw, note = row["naics_code"].strip(), row["note"].strip()
        if not raw and not note:
            raise ClassificationDataError(f"{where}: a rule without a code needs a note saying why")
        code = _naics_code(raw, where, valid) if raw else None
        out[rule_id] = NaicsChoice(code, "", note)
    return out
