"""Classification tables: spend codes and ledger text → Defra product group or exclusion.

Pure loaders for the authored and generated tables in ``factors/crosswalks/`` and a compiled
keyword rule set. No database, no I/O beyond reading the shipped CSV files.

Every mapping row carries a :class:`Target`: at most one of ``defra_group`` (a canonical
to-2023 Defra group code such as ``62`` or ``42.1-2``) and ``exclude_reason`` (a reason from
``exclusions.csv``, e.g. ``staff`` or ``energy_own``) is set. ``if_included`` is the group to
use when an authority switches the exclusion off (always given for ``energy_own``). A row
with neither is a *review* row (a code that says nothing about what was bought, such as
ProClass 192100 "Retail"): it decides nothing. No row may name an artefact group
(:data:`ARTEFACT_GROUPS`).

Tables and loaders:

* ``proclass_c17_to_defra.csv`` — :func:`load_proclass_crosswalk` (586 ProClass C17.1 codes)
* ``mcc_to_defra.csv`` — :func:`load_mcc_crosswalk` (ISO 18245 merchant category codes)
* ``naics2017_to_sic_division.csv`` — :func:`load_naics_crosswalk`
* ``cpv_division_to_defra.csv`` — :func:`load_cpv_crosswalk`
* ``unspsc_segment_to_defra.csv`` — :func:`load_unspsc_crosswalk`
* ``exclusions.csv`` — :func:`load_exclusions`
* ``expense_type_rules.csv`` — :func:`load_default_rules` → :class:`RuleSet`
* ``policy_rules.csv`` — :func:`load_policy_rules` → :class:`RuleSet`: the group-wide
  policies (``docs/classification-policy.md`` §4) that outrank every code

Typical use::

    rules = load_default_rules()
    hit = rules.match("Agency staff provision", None, "HAYS SPECIALIST RECRUITMENT")
    hit.target.defra_group  # "78"

Rule patterns are applied to **normalised** text (:func:`normalise`): lower case, ``&``
read as ``and``, every other run of punctuation or whitespace collapsed to one space. A
``contains`` pattern must occur as whole words (``gas`` does not match ``vegas``); ``exact``
compares the whole normalised value; ``regex`` is searched in the normalised value.
A rule's ``field`` is ``expense_type``, ``description``, ``supplier`` or ``any``; ``any``
means either ledger text field (expense type or description) and never the supplier name,
because supplier names carry misleading words ("Legal & General", "British Gas Trading"):
supplier rules must say ``supplier``.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal

PACKAGE_DIR = Path(__file__).resolve().parent
CROSSWALK_DIR = PACKAGE_DIR / "crosswalks"
DEFRA_FACTORS = PACKAGE_DIR / "data" / "defra-uk-sic" / "to-2023" / "factors.csv"

Confidence = Literal["high", "medium", "low"]
RuleField = Literal["expense_type", "description", "supplier", "any"]
MatchKind = Literal["contains", "regex", "exact"]

CONFIDENCES: tuple[Confidence, ...] = ("high", "medium", "low")
RULE_FIELDS: tuple[RuleField, ...] = ("expense_type", "description", "supplier", "any")
MATCH_KINDS: tuple[MatchKind, ...] = ("contains", "regex", "exact")
SCOPE3_CATEGORIES = frozenset({1, 2})
TARGET_COLUMNS = (
    "defra_group",
    "scope3_category",
    "exclude_reason",
    "if_included",
    "confidence",
    "note",
)
EXCLUSION_COLUMNS = ("reason", "label", "description", "default_excluded")
RULE_COLUMNS = ("rule_id", "priority", "field", "pattern", "match", *TARGET_COLUMNS)
NAICS_COLUMNS = (
    "naics_code",
    "naics_title",
    "isic_classes",
    "sic_division",
    "candidates",
    *TARGET_COLUMNS,
)

_NON_WORD = re.compile(r"[^0-9a-z]+")
_RECORD_FIELDS: tuple[Literal["expense_type", "description", "supplier"], ...] = (
    "expense_type",
    "description",
    "supplier",
)


class ClassificationDataError(ValueError):
    """A classification table is malformed (names the file, line and problem)."""


def normalise(text: str) -> str:
    """Lower case, ``&`` → ``and``, punctuation and whitespace runs → one space."""
    lowered = text.casefold().replace("&", " and ")
    return _NON_WORD.sub(" ", lowered).strip()


@functools.cache
def defra_group_codes() -> frozenset[str]:
    """The canonical to-2023 Defra group codes (112), from the shipped factor table."""
    with DEFRA_FACTORS.open(encoding="utf-8", newline="") as fh:
        return frozenset(row["code"] for row in csv.DictReader(fh))


# --------------------------------------------------------------------------- artefact groups

#: Defra groups that are never used as a factor (docs/classification-policy.md §5 and §10).
#: 7, 24.4-5, 46 and 65.3 are artefacts of tiny UK final demand: their multipliers (46
#: wholesale 4.5-9.2 kg/£, 7 metal ores ~0, 24.4-5 0.02-0.6, 65.3 ~0.001) say nothing about
#: what a buyer's pound causes, and the reference method says never to map spend to them
#: (``../shared/docs/methodology.md`` §2.2). 47 (retail trade services) is the retailer's
#: margin service alone: Defra attributes trade margins to the margin sectors 45-47
#: (methodology §3, "Defra" bullet), so a purchase from a shop costed at 47 counts the
#: shop's service and leaves out the goods, which are what was bought (methodology §2.2:
#: "wholesale purchases should be mapped to the goods bought"). A wholesaler's or a
#: retailer's class goes to the goods through ``trade_sic_to_goods.csv``, or to review.
ARTEFACT_GROUPS = frozenset({"7", "24.4-5", "46", "47", "65.3"})
ARTEFACT_WHY: Mapping[str, str] = MappingProxyType(
    {
        "7": "metal ores: a multiplier of tiny UK final demand",
        "24.4-5": "other basic metals and casting: a multiplier of tiny UK final demand",
        "46": "wholesale says nothing about the goods bought, and its multiplier is one of "
        "tiny UK final demand",
        "47": "retail trade services: the retailer's margin alone, not the goods bought",
        "65.3": "pension funding: a multiplier of tiny UK final demand",
    }
)


def artefact_refusal(group: str | None) -> str | None:
    """Why ``group`` may not be used as a factor, or None when it may."""
    if group is None or group not in ARTEFACT_GROUPS:
        return None
    return (
        f"Defra group {group} is an artefact group ({ARTEFACT_WHY[group]}) and is never used "
        "as a factor (classification policy §5): name the group of what was bought"
    )


@functools.cache
def defra_group_names() -> Mapping[str, str]:
    """Defra group code → product group name, from the shipped to-2023 factor table. The
    table ships with the package, so it is read once per process (the review page asked
    for it on every view); read-only, as every caller shares it."""
    with DEFRA_FACTORS.open(encoding="utf-8", newline="") as fh:
        return MappingProxyType({row["code"]: row["name"] for row in csv.DictReader(fh)})


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True, slots=True)
class Target:
    """Where spend goes: a Defra group, or an exclusion with its would-be group."""

    defra_group: str | None
    scope3_category: int | None
    exclude_reason: str | None
    if_included: str | None
    confidence: Confidence
    note: str = ""
    made_by: str = ""  # who wrote the rule or default; empty for the shipped tables
    naics_code: str | None = None  # the EPA commodity a person's target names, if any

    @property
    def excluded(self) -> bool:
        return self.exclude_reason is not None

    @property
    def review(self) -> bool:
        """A review row: the code says nothing about what was bought (policy §5)."""
        return self.defra_group is None and self.exclude_reason is None

    def group(self, *, include: Iterable[str] = ()) -> str | None:
        """The Defra group, or ``if_included`` when this exclusion is switched off."""
        if self.exclude_reason is not None and self.exclude_reason in set(include):
            return self.if_included
        return self.defra_group


def parse_target(
    row: Mapping[str, str],
    where: str,
    *,
    groups: frozenset[str] | None = None,
    reasons: frozenset[str] | None = None,
) -> Target:
    """Validate and convert the target columns of one table row."""
    valid_groups = groups if groups is not None else defra_group_codes()
    group = row["defra_group"].strip() or None
    reason = row["exclude_reason"].strip() or None
    if_included = row["if_included"].strip() or None
    category_text = row["scope3_category"].strip()
    confidence = row["confidence"].strip()
    note = row["note"].strip()
    if group is None and reason is None:
        # A review row: the code says nothing about what was bought (policy §5); other
        # evidence on the line may decide, else the line waits in review.
        if if_included is not None or category_text or confidence:
            raise ClassificationDataError(
                f"{where}: a review row (no defra_group, no exclude_reason) leaves "
                "scope3_category, if_included and confidence empty"
            )
        if not note:
            raise ClassificationDataError(f"{where}: a review row needs a note saying why")
        return Target(None, None, None, None, "low", note=note)
    if group is not None and reason is not None:
        raise ClassificationDataError(f"{where}: exactly one of defra_group/exclude_reason")
    for named in (group, if_included):
        refused = artefact_refusal(named)
        if refused is not None:
            raise ClassificationDataError(f"{where}: {refused}")
    if group is not None and group not in valid_groups:
        raise ClassificationDataError(f"{where}: unknown Defra group {group!r}")
    if if_included is not None and if_included not in valid_groups:
        raise ClassificationDataError(f"{where}: unknown if_included group {if_included!r}")
    if reason is not None:
        if reasons is not None and reason not in reasons:
            raise ClassificationDataError(f"{where}: unknown exclusion reason {reason!r}")
        if reason in ("energy_own", "water_own") and if_included is None:
            raise ClassificationDataError(f"{where}: {reason} needs if_included")
    category: int | None = None
    if category_text:
        if not category_text.isdigit() or int(category_text) not in SCOPE3_CATEGORIES:
            raise ClassificationDataError(f"{where}: scope3_category {category_text!r}")
        category = int(category_text)
    if group is not None and category is None:
        raise ClassificationDataError(f"{where}: a mapped row needs scope3_category")
    if confidence not in CONFIDENCES:
        raise ClassificationDataError(f"{where}: confidence {confidence!r}")
    return Target(
        defra_group=group,
        scope3_category=category,
        exclude_reason=reason,
        if_included=if_included,
        confidence=confidence,
        note=note,
    )


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True, slots=True)
class Exclusion:
    reason: str
    label: str
    description: str
    default_excluded: bool


@dataclass(frozen=True, slots=True)
class CodeMapping:
    """One row of a code table (ProClass, MCC, CPV division)."""

    code: str
    title: str
    target: Target


@dataclass(frozen=True, slots=True)
class NaicsMapping:
    """A 2017 NAICS-6 code linked through ISIC Rev.4 to a SIC 2007 division."""

    code: str
    title: str
    isic_classes: tuple[str, ...]
    sic_division: str
    candidates: tuple[str, ...]
    target: Target


def read_rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != tuple(columns):
        raise ClassificationDataError(
            f"{path.name}: header {reader.fieldnames}, expected {columns}"
        )
    return [(n, row) for n, row in enumerate(reader, start=2)]


def load_exclusions(path: Path | None = None) -> dict[str, Exclusion]:
    """``reason`` → :class:`Exclusion` from ``exclusions.csv``."""
    path = path or CROSSWALK_DIR / "exclusions.csv"
    out: dict[str, Exclusion] = {}
    for n, row in read_rows(path, EXCLUSION_COLUMNS):
        flag = row["default_excluded"].strip()
        if flag not in {"true", "false"}:
            raise ClassificationDataError(f"{path.name} line {n}: default_excluded {flag!r}")
        if row["reason"] in out:
            raise ClassificationDataError(f"{path.name} line {n}: duplicate {row['reason']!r}")
        out[row["reason"]] = Exclusion(
            row["reason"], row["label"], row["description"], flag == "true"
        )
    return out


@functools.cache
def exclusion_reasons() -> Mapping[str, Exclusion]:
    """The shipped ``exclusions.csv``, read once: for pages and reports that explain a
    reason by its label and description."""
    return MappingProxyType(load_exclusions())


def _load_code_table(path: Path, code_column: str, title_column: str) -> dict[str, CodeMapping]:
    reasons = frozenset(load_exclusions())
    out: dict[str, CodeMapping] = {}
    for n, row in read_rows(path, (code_column, title_column, *TARGET_COLUMNS)):
        where = f"{path.name} line {n}"
        code = row[code_column].strip()
        if not code or code in out:
            raise ClassificationDataError(f"{where}: empty or duplicate code {code!r}")
        out[code] = CodeMapping(code, row[title_column], parse_target(row, where, reasons=reasons))
    return out


def load_proclass_crosswalk(path: Path | None = None) -> dict[str, CodeMapping]:
    """6-digit ProClass C17.1 code → mapping (586 rows)."""
    path = path or CROSSWALK_DIR / "proclass_c17_to_defra.csv"
    return _load_code_table(path, "proclass_code", "proclass_title")


def load_mcc_crosswalk(path: Path | None = None) -> dict[str, CodeMapping]:
    """4-digit ISO 18245 merchant category code → mapping."""
    path = path or CROSSWALK_DIR / "mcc_to_defra.csv"
    return _load_code_table(path, "mcc", "mcc_title")


def load_cpv_crosswalk(path: Path | None = None) -> dict[str, CodeMapping]:
    """2-digit CPV 2008 division → mapping."""
    path = path or CROSSWALK_DIR / "cpv_division_to_defra.csv"
    return _load_code_table(path, "cpv_division", "cpv_title")


def load_unspsc_crosswalk(path: Path | None = None) -> dict[str, CodeMapping]:
    """2-digit UNSPSC segment → mapping (57 segments)."""
    path = path or CROSSWALK_DIR / "unspsc_segment_to_defra.csv"
    return _load_code_table(path, "unspsc_segment", "unspsc_title")


def load_naics_crosswalk(path: Path | None = None) -> dict[str, NaicsMapping]:
    """2017 NAICS-6 code → ISIC classes, SIC division and chosen Defra group."""
    path = path or CROSSWALK_DIR / "naics2017_to_sic_division.csv"
    reasons = frozenset(load_exclusions())
    out: dict[str, NaicsMapping] = {}
    for n, row in read_rows(path, NAICS_COLUMNS):
        where = f"{path.name} line {n}"
        code = row["naics_code"].strip()
        if len(code) != 6 or not code.isdigit() or code in out:
            raise ClassificationDataError(f"{where}: bad or duplicate NAICS code {code!r}")
        out[code] = NaicsMapping(
            code=code,
            title=row["naics_title"],
            isic_classes=tuple(c for c in row["isic_classes"].split(";") if c),
            sic_division=row["sic_division"],
            candidates=tuple(c for c in row["candidates"].split(";") if c),
            target=parse_target(row, where, reasons=reasons),
        )
    return out


def lookup_mcc(table: Mapping[str, CodeMapping], raw: str | None) -> CodeMapping | None:
    """Find an MCC as it appears in card files (``5411``, ``5411.0``, ``742``)."""
    if raw is None:
        return None
    text = raw.strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        return None
    return table.get(text.zfill(4))


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class Rule:
    rule_id: str
    priority: int
    field: RuleField
    pattern: str
    match: MatchKind
    target: Target


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """The winning rule, the record field it matched and that field's normalised text."""

    rule: Rule
    field: str
    text: str

    @property
    def target(self) -> Target:
        return self.rule.target


def _compile(rule: Rule, where: str) -> re.Pattern[str]:
    return compile_pattern(rule.pattern, rule.match, where)


def compile_pattern(pattern: str, match: str, where: str) -> re.Pattern[str]:
    """The regular expression a rule's pattern is matched with; raises
    :class:`ClassificationDataError` for a pattern that cannot match anything as written
    (a bad regex, or a contains/exact pattern with no letter or digit, e.g. ``!!!``)."""
    if "\x00" in pattern:
        raise ClassificationDataError(f"{where}: the pattern holds a NUL character")
    if match == "regex":
        try:
            return re.compile(pattern)
        except re.error as exc:
            raise ClassificationDataError(
                f"{where}: invalid regular expression {pattern!r}: {exc}"
            ) from exc
    norm = normalise(pattern)
    if not norm:
        raise ClassificationDataError(
            f"{where}: empty pattern {pattern!r} (a {match} pattern is matched on words: "
            "give at least one letter or digit)"
        )
    if match == "exact":
        return re.compile(rf"^{re.escape(norm)}$")
    return re.compile(rf"(?:^| ){re.escape(norm)}(?: |$)")


class RuleSet:
    """Keyword rules compiled once; :meth:`match` returns the lowest-priority-number hit.

    Ties on priority are broken by the rules' order in the table, then by field order
    (expense type, description, supplier). Results are cached per (field, text), so a file
    with few distinct ledger values is classified at dictionary speed.
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        ordered = sorted(enumerate(rules), key=lambda ir: (ir[1].priority, ir[0]))
        self.rules: tuple[Rule, ...] = tuple(rule for _, rule in ordered)
        compiled = [(rule, _compile(rule, rule.rule_id)) for rule in self.rules]
        self._by_field: dict[str, tuple[tuple[int, Rule, re.Pattern[str]], ...]] = {
            fld: tuple(
                (rank, rule, rx)
                for rank, (rule, rx) in enumerate(compiled)
                if rule.field == fld or (rule.field == "any" and fld != "supplier")
            )
            for fld in _RECORD_FIELDS
        }
        self._cache: dict[tuple[str, str], tuple[int, Rule] | None] = {}

    def __len__(self) -> int:
        return len(self.rules)

    def _first(self, fld: str, text: str) -> tuple[int, Rule] | None:
        key = (fld, text)
        if key in self._cache:
            return self._cache[key]
        found: tuple[int, Rule] | None = None
        for rank, rule, rx in self._by_field[fld]:
            if rx.search(text):
                found = (rank, rule)
                break
        self._cache[key] = found
        return found

    def match(
        self, expense_type: str | None, description: str | None, supplier: str | None
    ) -> RuleMatch | None:
        best: tuple[int, RuleMatch] | None = None
        for fld, raw in zip(_RECORD_FIELDS, (expense_type, description, supplier), strict=True):
            if not raw:
                continue
            text = normalise(raw)
            if not text:
                continue
            hit = self._first(fld, text)
            if hit is not None and (best is None or hit[0] < best[0]):
                best = (hit[0], RuleMatch(hit[1], fld, text))
        return best[1] if best is not None else None


def load_rules(path: Path | None = None) -> list[Rule]:
    """The rows of a rule table (default: ``expense_type_rules.csv``), validated."""
    path = path or CROSSWALK_DIR / "expense_type_rules.csv"
    reasons = frozenset(load_exclusions())
    rules: list[Rule] = []
    seen: set[str] = set()
    for n, row in read_rows(path, RULE_COLUMNS):
        where = f"{path.name} line {n}"
        rule_id = row["rule_id"].strip()
        if not rule_id or rule_id in seen:
            raise ClassificationDataError(f"{where}: empty or duplicate rule_id {rule_id!r}")
        seen.add(rule_id)
        if not row["priority"].strip().isdigit():
            raise ClassificationDataError(f"{where}: priority {row['priority']!r}")
        fld, kind = row["field"].strip(), row["match"].strip()
        if fld not in RULE_FIELDS:
            raise ClassificationDataError(f"{where}: field {fld!r}")
        if kind not in MATCH_KINDS:
            raise ClassificationDataError(f"{where}: match {kind!r}")
        rule = Rule(
            rule_id=rule_id,
            priority=int(row["priority"]),
            field=fld,
            pattern=row["pattern"],
            match=kind,
            target=parse_target(row, where, reasons=reasons),
        )
        _compile(rule, where)
        rules.append(rule)
    return rules


def load_default_rules(path: Path | None = None) -> RuleSet:
    """The default rule library compiled into a :class:`RuleSet`."""
    return RuleSet(load_rules(path))


def load_policy_rules(path: Path | None = None) -> RuleSet:
    """The group-wide policy rules (``policy_rules.csv``), applied before any code.

    Strong evidence that a line is out of scope (transfers to public bodies, levies,
    precepts, taxes, payroll, own energy and water, property acquisition) or a payment
    every authority must treat alike (PFI unitary charges): docs/classification-policy.md
    §3 and §4.
    """
    return RuleSet(load_rules(path or CROSSWALK_DIR / "policy_rules.csv"))
