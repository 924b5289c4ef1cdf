"""Classify an authority's spend lines, one row per distinct set of inputs.

Lines carry ``class_key``, a digest of the fields classification reads
(tracker.domain.classify.class_key). The classifier runs once per distinct key and the
results go to ``line_class``; every line reaches its classification by joining on the
key. So a rule change reclassifies every matching line at once: the authority's
``line_class`` rows are replaced in one set-based delete and insert, whatever the number
of lines, and the next inventory computation picks the new classes up.

Line overrides (``line_override``) are kept apart and outrank all of this; the inventory
applies them line by line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, exists, func, insert, select, update
from sqlalchemy.orm import Session

from tracker.access import Viewer
from tracker.domain.capital import capital_cost_centre
from tracker.domain.classify import CLASS_FIELDS, Classification, Classifier, LineInputs, class_key
from tracker.domain.periods import fy_of
from tracker.domain.suppliers import supplier_key
from tracker.errors import TrackerError
from tracker.models import Authority, LineClass, LineOverride, SpendLine
from tracker.services.classification.builder import build_classifier
from tracker.services.classification.rules import check_target, resolve_target
from tracker.storage.bulk import bulk_insert

CHUNK = 5000
_FIELDS = tuple(getattr(SpendLine, f) for f in CLASS_FIELDS)
# What a key's row reads: its fields and one of its lines' cost centres. Every line of a
# key agrees on whether its cost centre is a capital one (class_key digests that), so any
# of them tells.
_READ = ("class_key", *CLASS_FIELDS, "cost_centre")
_KEY_ROW = (SpendLine.class_key, *_FIELDS, func.min(SpendLine.cost_centre))
# What a row decides: rows equal in these share a ``decision`` number.
DECIDED = (
    "status", "defra_group", "naics_code", "method", "rule_ref", "confidence",
    "scope3_category", "exclude_reason", "decided_by", "overruled",
)  # fmt: skip


@dataclass(frozen=True)
class ClassifyResult:
    fingerprint: str
    full: bool  # every key reclassified (the rules changed), or only new keys
    keys: int  # distinct keys classified now
    backfilled: int  # lines that had no class_key yet (imported before keys existed)


def classify_lines(
    session: Session,
    authority: Authority,
    *,
    classifier: Classifier | None = None,
    fingerprint: str | None = None,
    full: bool = False,
) -> ClassifyResult:
    """Bring the authority's ``line_class`` rows up to date with its current rules.

    When the rule set's fingerprint differs from the one the rows were computed with (or
    ``full``), every key is reclassified; otherwise only keys no row covers yet.
    """
    if classifier is None or fingerprint is None:
        classifier, fingerprint = build_classifier(session, authority)
    backfilled = _backfill_keys(session, authority.id)
    # Every row of an authority carries the same fingerprint (a change replaces them all,
    # new keys are added with the current one), so one row tells.
    held = session.scalar(
        select(LineClass.fingerprint).where(LineClass.authority_id == authority.id).limit(1)
    )
    stale = full or (held is not None and held != fingerprint)
    if stale:
        session.execute(delete(LineClass).where(LineClass.authority_id == authority.id))
    # With no rows (a rule change, or the first classification) every key is pending.
    fresh = stale or held is None
    found = _pending(session, authority.id, everything=fresh)
    rows = [
        _row(authority.id, dict(zip(_READ, v, strict=True)), classifier, fingerprint) for v in found
    ]
    _number(session, authority.id, rows, fresh=fresh)
    keys = bulk_insert(session, cast(Table, LineClass.__table__), rows)
    session.flush()
    return ClassifyResult(fingerprint, stale, keys, backfilled)


def _pending(session: Session, authority_id: int, *, everything: bool) -> list[Any]:
    """(class_key, *CLASS_FIELDS) of each key that has no line_class row, read in full
    before anything is written on the connection.

    When every key is pending, one pass reads them. Otherwise the keys
    are found first from the (authority_id, class_key) index alone, which is all a
    recomputation with nothing new costs, and only the new keys' fields are read.
    """
    in_authority = SpendLine.authority_id == authority_id
    by_key = (SpendLine.class_key, *_FIELDS)
    if everything:
        return list(session.execute(select(*_KEY_ROW).where(in_authority).group_by(*by_key)))
    classified = exists().where(
        LineClass.authority_id == SpendLine.authority_id,
        LineClass.class_key == SpendLine.class_key,
    )
    keys = list(
        session.scalars(select(SpendLine.class_key).where(in_authority, ~classified).distinct())
    )
    found: list[Any] = []
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        found += session.execute(
            select(*_KEY_ROW).where(in_authority, SpendLine.class_key.in_(chunk)).group_by(*by_key)
        ).all()
    return found


def _row(
    authority_id: int, row: dict[str, Any], classifier: Classifier, fingerprint: str
) -> dict[str, Any]:
    name = row["supplier_name"]
    c: Classification = classifier.classify(
        LineInputs(
            sic=row["sic"],
            naics=row["naics"],
            proclass=row["proclass"],
            mcc=row["mcc"],
            cpv=row["cpv"],
            unspsc=row["unspsc"],
            expense_type=row["expense_type"],
            description=row["description"],
            supplier=name,
            supplier_key=supplier_key(name) if name else None,
            capital_or_revenue=row["capital_or_revenue"],
            cost_centre_capital=capital_cost_centre(row["cost_centre"]),
        )
    )
    return {
        "authority_id": authority_id,
        "class_key": row["class_key"],
        "status": c.status,
        "defra_group": c.category_code,
        "naics_code": c.naics,
        "method": c.method,
        "rule_ref": (c.rule_ref or "")[:100],
        "confidence": c.confidence,
        "scope3_category": c.scope3_category,
        "exclude_reason": c.excluded_reason,
        "decided_by": (c.decided_by or "")[:200] or None,
        "overruled": c.overruled,
        "fingerprint": fingerprint,
    }


def _number(
    session: Session, authority_id: int, rows: list[dict[str, Any]], *, fresh: bool
) -> None:
    """Give each row its ``decision``: the number the authority's rows already give an
    equal decision (none when ``fresh``: the authority has no rows), else the next unused."""
    if not rows:
        return
    numbers: dict[tuple[Any, ...], int] = {}
    if not fresh:
        held = select(LineClass.decision, *(getattr(LineClass, f) for f in DECIDED))
        for number, *values in session.execute(
            held.where(LineClass.authority_id == authority_id).distinct()
        ):
            numbers[tuple(values)] = number
    last = max(numbers.values(), default=0)
    for row in rows:
        decided = tuple(row[f] for f in DECIDED)
        found = numbers.get(decided)
        if found is None:
            last += 1
            found = numbers[decided] = last
        row["decision"] = found


def _backfill_keys(session: Session, authority_id: int) -> int:
    """Give lines stored without a class_key (before keys existed) their key."""
    todo = session.execute(
        select(SpendLine.id, *_FIELDS, SpendLine.cost_centre).where(
            SpendLine.authority_id == authority_id, SpendLine.class_key.is_(None)
        )
    ).all()
    for chunk in _chunks(todo):
        session.execute(
            update(SpendLine),
            [
                {"id": v[0], "class_key": class_key(dict(zip(_READ[1:], v[1:], strict=True)))}
                for v in chunk
            ],
        )
    return len(todo)


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


# ---- line overrides ---------------------------------------------------------------------


@dataclass(frozen=True)
class OverrideResult:
    lines: int
    years: list[int]


def set_overrides(
    session: Session,
    *,
    authority: Authority,
    line_ids: list[int],
    note: str,
    actor: Viewer | str,
    defra_group: str | None = None,
    exclude_reason: str | None = None,
    scope3_category: int | None = None,
    naics: str | None = None,
) -> OverrideResult:
    """Record an officer's decision for each line (replacing an earlier override). A US
    authority's officer may name the EPA NAICS-6 commodity (``naics``) instead of a group."""
    defra_group, naics_code = resolve_target(
        "override", defra_group, naics, authority, exclude_reason
    )
    check_target("override", defra_group, exclude_reason, None)
    if not note.strip():
        raise TrackerError("An override needs a note saying why.")
    if scope3_category not in (None, 1, 2):
        raise TrackerError("Scope 3 category must be 1 or 2.")
    who = actor if isinstance(actor, str) else actor.email
    if not isinstance(actor, str):
        actor.require_edit(authority.id)
    found = session.execute(
        select(SpendLine.id, SpendLine.transaction_date).where(
            SpendLine.authority_id == authority.id, SpendLine.id.in_(line_ids)
        )
    ).all()
    missing = sorted(set(line_ids) - {i for i, _ in found})
    if missing:
        raise TrackerError(
            f"{authority.code} has no spend line {', '.join(map(str, missing[:10]))}."
        )
    session.execute(delete(LineOverride).where(LineOverride.spend_line_id.in_(line_ids)))
    now = dt.datetime.now(dt.UTC)
    session.execute(
        insert(LineOverride),
        [
            {
                "spend_line_id": i,
                "authority_id": authority.id,
                "defra_group": defra_group,
                "naics_code": naics_code,
                "exclude_reason": exclude_reason,
                "scope3_category": scope3_category,
                "note": note.strip(),
                "created_by": who,
                "created_at": now,
            }
            for i, _ in found
        ],
    )
    session.flush()

    years = sorted({fy_of(d, authority.fy_start_month) for _, d in found})
    return OverrideResult(len(found), years)


def clear_overrides(
    session: Session, *, authority: Authority, line_ids: list[int]
) -> OverrideResult:
    """Remove the overrides of these lines of the authority (others' lines are untouched)."""
    scope = (LineOverride.authority_id == authority.id, LineOverride.spend_line_id.in_(line_ids))
    days = session.scalars(
        select(SpendLine.transaction_date)
        .join(LineOverride, LineOverride.spend_line_id == SpendLine.id)
        .where(*scope)
    ).all()
    session.execute(delete(LineOverride).where(*scope))
    years = sorted({fy_of(d, authority.fy_start_month) for d in days})
    return OverrideResult(len(days), years)


def line_ids_for_rows(
    session: Session, authority: Authority, rows: list[tuple[int, int]]
) -> list[int]:
    """The ids of the lines stored from (batch id, row of the uploaded file) pairs."""
    found: dict[tuple[int, int], int] = {}
    for batch in {b for b, _ in rows}:
        wanted = [r for b, r in rows if b == batch]
        for line_id, row in session.execute(
            select(SpendLine.id, SpendLine.source_row).where(
                SpendLine.authority_id == authority.id,
                SpendLine.batch_id == batch,
                SpendLine.source_row.in_(wanted),
            )
        ):
            found[(batch, row)] = line_id
    missing = [f"{b}:{r}" for b, r in rows if (b, r) not in found]
    if missing:
        raise TrackerError(f"{authority.code} has no stored line at {', '.join(missing[:10])}.")
    return [found[p] for p in rows]
