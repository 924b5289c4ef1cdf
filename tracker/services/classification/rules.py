"""An authority's own classification rules and supplier defaults: add, list, share as CSV.

The CSV layout is the shipped rule library's (factors/crosswalks/expense_type_rules.csv),
so a rule can move between an authority, the shared set and the library unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from factors.classification import (
    RULE_COLUMNS,
    ClassificationDataError,
    artefact_refusal,
    compile_pattern,
    defra_group_codes,
    load_exclusions,
    load_naics_crosswalk,
)
from factors.naics import epa_naics_codes
from tracker.domain.suppliers import supplier_key
from tracker.errors import NotFoundError, TrackerError
from tracker.models import Authority, ClassificationRule, Supplier, SupplierDefault
from tracker.reports.safe import safe_text

FIELDS = ("expense_type", "description", "supplier", "any")
MATCHES = ("contains", "regex", "exact")


def check_target(
    where: str, group: str | None, reason: str | None, if_included: str | None
) -> None:
    if (group is None) == (reason is None):
        raise TrackerError(f"{where}: give exactly one of a Defra group or an exclusion reason.")
    groups = defra_group_codes()
    if group is not None and group not in groups:
        raise TrackerError(f"{where}: {group!r} is not a Defra product group code.")
    if if_included is not None and if_included not in groups:
        raise TrackerError(f"{where}: if_included {if_included!r} is not a Defra group code.")
    for named in (group, if_included):
        refused = artefact_refusal(named)
        if refused is not None:
            raise TrackerError(f"{where}: {refused}.")
    if reason is not None and reason not in load_exclusions():
        known = ", ".join(sorted(load_exclusions()))
        raise TrackerError(f"{where}: unknown exclusion reason {reason!r} (known: {known}).")


NAICS_FAMILY = "epa-useeio-naics"


def naics_target(
    where: str, naics: str, authority: Authority | None, exclude_reason: str | None
) -> tuple[str, str]:
    """(NAICS-6 code, the Defra group it files under) for a target that names an EPA
    commodity: for a US authority (costed with the EPA NAICS factors) or a shared target,
    which then serves both families (a UK authority is costed with the group)."""
    if exclude_reason is not None:
        raise TrackerError(f"{where}: give a NAICS code or an exclusion reason, not both.")
    if authority is not None and authority.default_factor_family != NAICS_FAMILY:
        raise TrackerError(
            f"{where}: {authority.code} is costed with {authority.default_factor_family}, "
            "not the EPA NAICS factors: give a Defra group."
        )
    code = naics.strip()
    if len(code) != 6 or not code.isdigit() or code not in epa_naics_codes():
        raise TrackerError(f"{where}: {naics!r} is not a NAICS-6 code with an EPA factor.")
    mapping = load_naics_crosswalk().get(code)
    group = mapping.target.defra_group if mapping is not None else None
    if group is None:
        # A review row of the crosswalk says why (an artefact group, goods not named).
        why = f" ({mapping.target.note})" if mapping is not None and mapping.target.note else ""
        raise TrackerError(f"{where}: NAICS {code} files under no Defra group{why}.")
    return code, group


def resolve_target(
    where: str,
    defra_group: str | None,
    naics: str | None,
    authority: Authority | None,
    exclude_reason: str | None,
) -> tuple[str | None, str | None]:
    """(Defra group, NAICS-6 code) of a target: a named NAICS code is checked
    (``naics_target``) and gives the group; a group given with it must be that group."""
    if naics is None:
        return defra_group, None
    code, group = naics_target(where, naics, authority, exclude_reason)
    if defra_group is not None and defra_group != group:
        raise TrackerError(f"{where}: NAICS {code} files under group {group}, not {defra_group}.")
    return group, code


def add_rule(
    session: Session,
    *,
    authority: Authority | None,
    rule_id: str,
    pattern: str,
    field: str = "any",
    match: str = "contains",
    priority: int = 50,
    defra_group: str | None = None,
    exclude_reason: str | None = None,
    if_included: str | None = None,
    scope3_category: int | None = None,
    note: str | None = None,
    actor: str,
    origin: str = "rule",
    naics: str | None = None,
) -> ClassificationRule:
    where = f"rule {rule_id}"
    if field not in FIELDS:
        raise TrackerError(f"{where}: field must be one of {', '.join(FIELDS)}.")
    if match not in MATCHES:
        raise TrackerError(f"{where}: match must be one of {', '.join(MATCHES)}.")
    try:
        compile_pattern(pattern, match, where)
    except ClassificationDataError as exc:
        raise TrackerError(f"{exc}.") from None
    if scope3_category not in (None, 1, 2):
        raise TrackerError(f"{where}: scope3_category must be 1 or 2.")
    defra_group, naics_code = resolve_target(where, defra_group, naics, authority, exclude_reason)
    check_target(where, defra_group, exclude_reason, if_included)
    authority_id = None if authority is None else authority.id
    rule = _find_rule(session, authority_id, rule_id)
    if rule is None:
        rule = ClassificationRule(authority_id=authority_id, rule_id=rule_id, created_by=actor)
        session.add(rule)
    rule.priority, rule.field, rule.pattern, rule.match = priority, field, pattern, match
    rule.defra_group, rule.exclude_reason, rule.if_included = (
        defra_group,
        exclude_reason,
        if_included,
    )
    rule.scope3_category, rule.note, rule.origin = scope3_category, note, origin
    rule.naics_code = naics_code
    session.flush()
    return rule


def delete_rule(session: Session, *, authority: Authority | None, rule_id: str) -> None:
    """Delete one rule of the authority (or a shared one); the inventories drop it when
    next computed."""
    rule = _find_rule(session, None if authority is None else authority.id, rule_id)
    if rule is None:
        owner = "shared" if authority is None else f"of {authority.code}"
        raise NotFoundError(f"No rule {rule_id!r} {owner}.")
    session.delete(rule)
    session.flush()


def _find_rule(
    session: Session, authority_id: int | None, rule_id: str
) -> ClassificationRule | None:
    return session.scalar(
        select(ClassificationRule).where(
            ClassificationRule.rule_id == rule_id,
            ClassificationRule.authority_id.is_(None)
            if authority_id is None
            else ClassificationRule.authority_id == authority_id,
        )
    )


def list_rules(session: Session, authority: Authority | None) -> list[ClassificationRule]:
    stmt = select(ClassificationRule).order_by(
        ClassificationRule.priority, ClassificationRule.rule_id
    )
    if authority is None:
        stmt = stmt.where(ClassificationRule.authority_id.is_(None))
    else:
        stmt = stmt.where(ClassificationRule.authority_id == authority.id)
    return list(session.scalars(stmt))


def export_rules(rules: list[ClassificationRule]) -> str:
    """The rules in the library layout; a ``naics_code`` column is added when a rule names
    an EPA commodity (a US authority's or a shared rule), so that it moves unchanged."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    naics = any(r.naics_code for r in rules)
    writer.writerow([*RULE_COLUMNS, *(["naics_code"] if naics else [])])
    for r in rules:
        writer.writerow(
            [
                r.rule_id,
                r.priority,
                r.field,
                r.pattern,
                r.match,
                r.defra_group or "",
                r.scope3_category or "",
                r.exclude_reason or "",
                r.if_included or "",
                "high",
                r.note or "",
                *([r.naics_code or ""] if naics else []),
            ]
        )
    return out.getvalue()


def import_rules(session: Session, *, authority: Authority | None, path: Path, actor: str) -> int:
    """Add or update every rule of a CSV in the rule-library layout; all or nothing."""
    reader = _read_csv(path, RULE_COLUMNS)
    count = 0
    for number, row in enumerate(reader, start=2):

        def cell(name: str, row: dict[str, str] = row) -> str | None:
            return (row.get(name) or "").strip() or None

        priority = cell("priority") or "50"
        category = cell("scope3_category")
        if not priority.isdigit() or (category is not None and category not in ("1", "2")):
            raise TrackerError(f"{path.name}: row {number}: priority or scope3_category invalid.")
        try:
            add_rule(
                session,
                authority=authority,
                rule_id=cell("rule_id") or f"row{number}",
                pattern=row.get("pattern") or "",
                field=cell("field") or "any",
                match=cell("match") or "contains",
                priority=int(priority),
                defra_group=cell("defra_group"),
                exclude_reason=cell("exclude_reason"),
                if_included=cell("if_included"),
                scope3_category=int(category) if category else None,
                note=cell("note"),
                actor=actor,
                naics=cell("naics_code"),
            )
        except TrackerError as exc:
            raise TrackerError(f"{path.name}: row {number}: {exc}") from None
        count += 1
    return count


def set_supplier_default(
    session: Session,
    *,
    authority: Authority | None,
    supplier_name: str,
    defra_group: str | None,
    exclude_reason: str | None,
    scope3_category: int | None,
    actor: str,
    note: str | None = None,
    create_supplier: bool = False,
    naics: str | None = None,
) -> SupplierDefault:
    """Set the default category of a supplier's spend. The supplier must have been seen in
    imported spend, unless ``create_supplier`` (a default shared from another authority,
    for a supplier this database has not seen yet)."""
    where = f"supplier default for {supplier_name!r}"
    defra_group, naics_code = resolve_target(where, defra_group, naics, authority, exclude_reason)
    check_target(where, defra_group, exclude_reason, None)
    key = supplier_key(supplier_name)
    supplier = session.scalar(select(Supplier).where(Supplier.name_key == key))
    if supplier is None and create_supplier and key:
        supplier = Supplier(name_key=key, name=supplier_name.strip()[:300])
        session.add(supplier)
        session.flush()
    if supplier is None:
        raise NotFoundError(f"No supplier named {supplier_name!r} in any imported spend.")
    authority_id = None if authority is None else authority.id
    default = session.scalar(
        select(SupplierDefault).where(
            SupplierDefault.supplier_id == supplier.id,
            SupplierDefault.authority_id.is_(None)
            if authority_id is None
            else SupplierDefault.authority_id == authority_id,
        )
    )
    if default is None:
        default = SupplierDefault(
            authority_id=authority_id, supplier_id=supplier.id, created_by=actor
        )
        session.add(default)
    default.defra_group, default.exclude_reason = defra_group, exclude_reason
    default.naics_code = naics_code
    default.scope3_category, default.note = scope3_category, note
    session.flush()
    return default


SUPPLIER_DEFAULT_COLUMNS = ("supplier", "defra_group", "exclude_reason", "scope3_category", "note")


def list_supplier_defaults(
    session: Session, authority: Authority | None
) -> list[tuple[str, SupplierDefault]]:
    """(supplier name, default) of the authority, or the shared ones, by supplier name."""
    stmt = (
        select(Supplier.name, SupplierDefault)
        .join(Supplier, Supplier.id == SupplierDefault.supplier_id)
        .order_by(Supplier.name)
    )
    if authority is None:
        stmt = stmt.where(SupplierDefault.authority_id.is_(None))
    else:
        stmt = stmt.where(SupplierDefault.authority_id == authority.id)
    return [(name, d) for name, d in session.execute(stmt)]


def export_supplier_defaults(rows: list[tuple[str, SupplierDefault]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    naics = any(d.naics_code for _, d in rows)
    writer.writerow([*SUPPLIER_DEFAULT_COLUMNS, *(["naics_code"] if naics else [])])
    for name, d in rows:
        # Names and notes come from uploaded files: neutralised for spreadsheets (the
        # leading quote does not change the supplier's name key on import).
        writer.writerow(
            [safe_text(name), d.defra_group or "", d.exclude_reason or "",
             d.scope3_category or "", safe_text(d.note) or "",
             *([d.naics_code or ""] if naics else [])]
        )  # fmt: skip
    return out.getvalue()


def import_supplier_defaults(
    session: Session, *, authority: Authority | None, path: Path, actor: str
) -> int:
    """Add or update every supplier default of a CSV (export layout); all or nothing."""
    reader = _read_csv(path, SUPPLIER_DEFAULT_COLUMNS[:2])
    count = 0
    for number, row in enumerate(reader, start=2):
        category = (row.get("scope3_category") or "").strip()
        if category not in ("", "1", "2"):
            raise TrackerError(f"{path.name}: row {number}: scope3_category must be 1 or 2.")
        try:
            set_supplier_default(
                session,
                authority=authority,
                supplier_name=(row.get("supplier") or "").strip(),
                defra_group=(row.get("defra_group") or "").strip() or None,
                exclude_reason=(row.get("exclude_reason") or "").strip() or None,
                scope3_category=int(category) if category else None,
                actor=actor,
                note=(row.get("note") or "").strip() or None,
                create_supplier=True,
                naics=(row.get("naics_code") or "").strip() or None,
            )
        except TrackerError as exc:
            raise TrackerError(f"{path.name}: row {number}: {exc}") from None
        count += 1
    return count


def _read_csv(path: Path, required: Sequence[str]) -> csv.DictReader[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TrackerError(f"{path.name}: cannot read the file ({exc}).") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise TrackerError(f"{path.name}: missing column(s) {', '.join(missing)}.")
    return reader
