"""The admin's upkeep of shared suppliers: merges (and the review of doubtful ones),
commitments and disclosures. Maintained once, used by every authority.

Every change is recorded in the audit log (``audit_entry`` with no authority: suppliers
belong to no one authority). The caller checks the admin role and owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, case, func, select, update
from sqlalchemy.orm import Session

from tracker.domain.supplier_identity import match_name, normalise_identifier
from tracker.domain.supplier_kpis import disclosure_intensity
from tracker.domain.suppliers import supplier_key
from tracker.errors import NotFoundError, TrackerError
from tracker.models import (
    AuditEntry,
    ContractParty,
    SpendLine,
    Supplier,
    SupplierCommitment,
    SupplierDefault,
    SupplierDisclosure,
    SupplierFactor,
    SupplierIdentifier,
    SupplierMergeCandidate,
)
from tracker.models.base import utcnow
from tracker.models.suppliers import COMMITMENT_KINDS
from tracker.services.inventory.supplier_factors import set_supplier_factor


def find_supplier(session: Session, ref: str) -> Supplier:
    """A surviving supplier by id (``#12`` or ``12``), identifier (``GB-COH:01628868``)
    or name (its normalised name; refused when several suppliers have it)."""
    text = ref.strip()
    found: Supplier | None = None
    if text.lstrip("#").isdigit() and (text.startswith("#") or len(text) < 8):
        found = session.get(Supplier, int(text.lstrip("#")))
    elif ":" in text and text.split(":", 1)[0].upper().startswith("GB-"):
        scheme, raw = text.split(":", 1)
        ident = normalise_identifier(scheme, raw)
        if ident is not None:
            found = session.scalar(
                select(Supplier)
                .join(SupplierIdentifier, SupplierIdentifier.supplier_id == Supplier.id)
                .where(SupplierIdentifier.scheme == ident.scheme)
                .where(SupplierIdentifier.value == ident.value)
            )
    else:
        found = session.scalar(select(Supplier).where(Supplier.name_key == supplier_key(text)))
        if found is None:
            wanted = match_name(text)
            first = wanted.split()[0] if wanted else ""
            alike = [
                s
                for s in session.scalars(
                    select(Supplier)
                    .where(Supplier.name_key.startswith(first, autoescape=True))
                    .limit(5000)
                )
                if match_name(s.name) == wanted
            ]
            survivors = {s.merged_into_id or s.id for s in alike}
            if len(survivors) > 1:
                raise TrackerError(
                    f"Several suppliers are named {text!r} (ids "
                    f"{', '.join(str(i) for i in sorted(survivors))}); give the id as #ID."
                )
            found = alike[0] if alike else None
    if found is None:
        raise NotFoundError(f"No supplier {text!r} (give a name, #ID or GB-COH:NUMBER).")
    if found.merged_into_id is not None:
        found = session.get_one(Supplier, found.merged_into_id)
    return found


def _audit(
    session: Session, actor: str, action: str, reason: str | None, **details: object
) -> None:
    session.add(
        AuditEntry(actor=actor, action=action, authority_id=None, reason=reason, details=details)
    )


@dataclass(frozen=True)
class MergeResult:
    kept_id: int
    merged_id: int
    spend_lines: int
    contract_parties: int
    dropped: tuple[str, ...]  # what the survivor already had and was not moved

    def as_dict(self) -> dict[str, object]:
        return {
            "kept_id": self.kept_id,
            "merged_id": self.merged_id,
            "spend_lines": self.spend_lines,
            "contract_parties": self.contract_parties,
            "dropped": list(self.dropped),
        }


def merge_suppliers(
    session: Session, *, keep: Supplier, merge: Supplier, actor: str, reason: str | None = None
) -> MergeResult:
    """Make ``merge`` part of ``keep``: its spend lines, contract parties, identifiers,
    commitments, disclosures and factors move to ``keep``; its row stays, pointing at
    ``keep``, so its spelling resolves to ``keep`` from now on. Refused when the two have
    different numbers in the same registry (they are different companies)."""
    return merge_many(session, [(keep, merge, reason)], actor=actor)[0]


def merge_many(
    session: Session, merges: Sequence[tuple[Supplier, Supplier, str | None]], *, actor: str
) -> list[MergeResult]:
    """Each ``(keep, merge, reason)`` as :func:`merge_suppliers` does it, the spend lines
    of them all moved together: spend_line has no index on its supplier (one would cost
    every import's insert), so each statement reading lines by supplier reads them all,
    and a reconciliation of many pairs takes two such statements per
    :data:`MOVE_CHUNK` pairs (one for a single pair), not two per pair. Each pair is
    checked as the suppliers stand before any of them is merged: a caller merging several
    into one supplier checks their numbers against each other's (as
    ``resolution.reconcile_suppliers`` does)."""
    for keep, merge, _ in merges:
        _check_mergeable(session, keep, merge)
    merged = [merge.id for _, merge, _ in merges]
    if len(set(merged)) != len(merged) or set(merged) & {keep.id for keep, _, _ in merges}:
        raise TrackerError("Each supplier is merged once, into a supplier that stays.")
    lines = _move_lines(session, {merge.id: keep.id for keep, merge, _ in merges})
    return [
        _merge_records(session, keep, merge, actor, reason, lines.get(merge.id, 0))
        for keep, merge, reason in merges
    ]


#: Pairs whose spend lines one statement moves.
MOVE_CHUNK = 500


def _move_lines(session: Session, into: dict[int, int]) -> dict[int, int]:
    """Point the spend lines of each supplier in ``into`` at the one it maps to; how many
    lines each had."""
    moved: dict[int, int] = {}
    ids = list(into)
    for start in range(0, len(ids), MOVE_CHUNK):
        chunk = ids[start : start + MOVE_CHUNK]
        if len(chunk) > 1:
            moved.update(
                (int(sid or 0), int(n))
                for sid, n in session.execute(
                    select(SpendLine.supplier_id, func.count())
                    .where(SpendLine.supplier_id.in_(chunk))
                    .group_by(SpendLine.supplier_id)
                )
            )
            if not any(moved.get(i) for i in chunk):
                continue
        done = session.execute(
            update(SpendLine)
            .where(SpendLine.supplier_id.in_(chunk))
            .values(supplier_id=case({i: into[i] for i in chunk}, value=SpendLine.supplier_id))
            .execution_options(synchronize_session=False)
        )
        if len(chunk) == 1:
            moved[chunk[0]] = int(cast(CursorResult[Any], done).rowcount or 0)
    return moved


def _check_mergeable(session: Session, keep: Supplier, merge: Supplier) -> None:
    if keep.id == merge.id:
        raise TrackerError("A supplier cannot be merged into itself.")
    if keep.merged_into_id is not None or merge.merged_into_id is not None:
        raise TrackerError("Merge surviving suppliers (this one was already merged).")
    idents = session.execute(
        select(SupplierIdentifier.supplier_id, SupplierIdentifier.scheme, SupplierIdentifier.value)
        .where(SupplierIdentifier.supplier_id.in_([keep.id, merge.id]))
    ).all()  # fmt: skip
    kept_schemes = {s: v for sid, s, v in idents if sid == keep.id}
    for sid, scheme, value in idents:
        if sid == merge.id and scheme in kept_schemes and kept_schemes[scheme] != value:
            raise TrackerError(
                f"Suppliers #{keep.id} and #{merge.id} have different {scheme} numbers "
                f"({kept_schemes[scheme]} and {value}): they are different companies."
            )


def _merge_records(
    session: Session, keep: Supplier, merge: Supplier, actor: str, reason: str | None, lines: int
) -> MergeResult:
    """Everything of a merge but the spend lines (moved already: ``lines`` of them)."""
    dropped: list[str] = []
    parties = (
        session.scalar(
            select(func.count())
            .select_from(ContractParty)
            .where(ContractParty.supplier_id == merge.id)
        )
        or 0
    )
    session.execute(
        update(ContractParty)
        .where(ContractParty.supplier_id == merge.id)
        .values(supplier_id=keep.id)
    )
    session.execute(
        update(SupplierIdentifier)
        .where(SupplierIdentifier.supplier_id == merge.id)
        .values(supplier_id=keep.id)
    )
    for c in session.scalars(
        select(SupplierCommitment).where(SupplierCommitment.supplier_id == merge.id)
    ):
        clash = session.scalar(
            select(SupplierCommitment.id).where(
                SupplierCommitment.supplier_id == keep.id,
                SupplierCommitment.kind == c.kind,
                SupplierCommitment.made_on == c.made_on,
            )
        )
        if clash is None:
            c.supplier_id = keep.id
        else:
            dropped.append(f"commitment {c.kind} of {c.made_on.isoformat()} (already on record)")
            session.delete(c)
    for d in session.scalars(
        select(SupplierDisclosure).where(SupplierDisclosure.supplier_id == merge.id)
    ):
        if session.scalar(select(SupplierDisclosure.id).where(
            SupplierDisclosure.supplier_id == keep.id, SupplierDisclosure.year == d.year
        )) is None:  # fmt: skip
            d.supplier_id = keep.id
        else:
            dropped.append(f"disclosure for {d.year} (the kept supplier has one)")
            session.delete(d)
    for f in session.scalars(select(SupplierFactor).where(SupplierFactor.supplier_id == merge.id)):
        if session.scalar(select(SupplierFactor.id).where(
            SupplierFactor.supplier_id == keep.id, SupplierFactor.year == f.year,
            SupplierFactor.authority_id.is_(None) if f.authority_id is None
            else SupplierFactor.authority_id == f.authority_id,
        )) is None:  # fmt: skip
            f.supplier_id = keep.id
        else:
            dropped.append(f"supplier factor for {f.year} (the kept supplier has one)")
            session.delete(f)
    for default in session.scalars(
        select(SupplierDefault).where(SupplierDefault.supplier_id == merge.id)
    ):
        if session.scalar(select(SupplierDefault.id).where(
            SupplierDefault.supplier_id == keep.id,
            SupplierDefault.authority_id == default.authority_id,
        )) is None:  # fmt: skip
            default.supplier_id = keep.id
        else:
            dropped.append("an authority's supplier default (the kept supplier has one)")
            session.delete(default)
    session.execute(
        update(Supplier).where(Supplier.merged_into_id == merge.id).values(merged_into_id=keep.id)
    )
    merge.merged_into_id = keep.id
    session.flush()
    _audit(session, actor, "supplier-merge", reason, kept=keep.id, merged=merge.id,
           spend_lines=lines, contract_parties=parties, dropped=dropped)  # fmt: skip
    return MergeResult(keep.id, merge.id, lines, parties, tuple(dropped))


def pending_merges(session: Session, limit: int = 200) -> list[SupplierMergeCandidate]:
    """Doubtful merges waiting for the admin, most alike first."""
    return list(
        session.scalars(
            select(SupplierMergeCandidate)
            .where(SupplierMergeCandidate.status == "pending")
            .order_by(SupplierMergeCandidate.score.desc(), SupplierMergeCandidate.id)
            .limit(limit)
        )
    )


def decide_merge(
    session: Session, candidate_id: int, *, accept: bool, actor: str
) -> MergeResult | None:
    """Accept (merge the later supplier into the known one) or reject a doubtful merge."""
    candidate = session.get(SupplierMergeCandidate, candidate_id)
    if candidate is None:
        raise NotFoundError(f"No merge candidate {candidate_id}.")
    if candidate.status != "pending":
        raise TrackerError(f"Merge candidate {candidate_id} was already {candidate.status}.")
    candidate.status = "accepted" if accept else "rejected"
    candidate.decided_by = actor
    candidate.decided_at = utcnow()
    if not accept:
        _audit(session, actor, "supplier-merge-rejected", None,
               supplier=candidate.supplier_id, candidate=candidate.candidate_id)  # fmt: skip
        session.flush()
        return None
    keep = find_supplier(session, f"#{candidate.candidate_id}")
    merge = find_supplier(session, f"#{candidate.supplier_id}")
    if keep.id == merge.id:
        session.flush()
        return MergeResult(keep.id, merge.id, 0, 0, ("already one supplier",))
    reason = f"merge candidate {candidate_id}: " + "; ".join(candidate.reasons)
    return merge_suppliers(session, keep=keep, merge=merge, actor=actor, reason=reason)


def add_commitment(
    session: Session,
    *,
    supplier: Supplier,
    kind: str,
    made_on: dt.date,
    source_url: str,
    actor: str,
    ended_on: dt.date | None = None,
    note: str | None = None,
) -> SupplierCommitment:
    """Record a Carbon Reduction Plan, net-zero commitment or science-based target (the
    same kind and date again updates the record)."""
    if kind not in COMMITMENT_KINDS:
        raise TrackerError(
            f"Unknown commitment kind {kind!r}; use one of {', '.join(COMMITMENT_KINDS)}."
        )
    if not source_url.strip():
        raise TrackerError("Give the source of the commitment (the published plan's URL).")
    if ended_on is not None and ended_on < made_on:
        raise TrackerError("A commitment cannot end before it was made.")
    if made_on > dt.datetime.now(dt.UTC).date():
        raise TrackerError(f"A commitment dated {made_on.isoformat()} is in the future.")
    row = session.scalar(
        select(SupplierCommitment).where(
            SupplierCommitment.supplier_id == supplier.id,
            SupplierCommitment.kind == kind,
            SupplierCommitment.made_on == made_on,
        )
    )
    if row is None:
        row = SupplierCommitment(supplier_id=supplier.id, kind=kind, made_on=made_on)
        session.add(row)
    row.ended_on = ended_on
    row.source_url = source_url.strip()
    row.note = note
    row.recorded_by = actor
    session.flush()
    _audit(session, actor, "supplier-commitment", None, supplier=supplier.id, kind=kind,
           made_on=made_on.isoformat(), source_url=row.source_url)  # fmt: skip
    return row


def add_disclosure(
    session: Session,
    *,
    supplier: Supplier,
    year: int,
    scope1_t: Decimal,
    scope2_t: Decimal,
    scope3_t: Decimal | None,
    revenue: Decimal,
    currency: str,
    source_url: str,
    actor: str,
) -> SupplierDisclosure:
    """Record a supplier's reported emissions and revenue for a year, and the shared
    supplier-specific factor it gives (through the one path,
    tracker.services.inventory.supplier_factors.set_supplier_factor)."""
    try:
        intensity = disclosure_intensity(scope1_t, scope2_t, scope3_t, revenue)
    except ValueError as exc:
        raise TrackerError(f"Disclosure for {year}: {exc}.") from exc
    scopes = "scopes 1, 2 and 3" if scope3_t is not None else "scopes 1 and 2 only (understates)"
    factor = set_supplier_factor(
        session,
        supplier_id=supplier.id,
        kgco2e_per_unit=intensity,
        year=year,
        currency=currency,
        evidence_url=source_url,
        note=f"From the supplier's disclosure for {year}: {scopes} over revenue",
    )
    row = session.scalar(
        select(SupplierDisclosure).where(
            SupplierDisclosure.supplier_id == supplier.id, SupplierDisclosure.year == year
        )
    )
    if row is None:
        row = SupplierDisclosure(supplier_id=supplier.id, year=year)
        session.add(row)
    row.scope1_tco2e, row.scope2_tco2e, row.scope3_tco2e = scope1_t, scope2_t, scope3_t
    row.revenue, row.currency = revenue, currency.upper()
    row.source_url, row.recorded_by = source_url.strip(), actor
    row.supplier_factor_id = factor.id
    session.flush()
    _audit(session, actor, "supplier-disclosure", None, supplier=supplier.id, year=year,
           kgco2e_per_unit=str(intensity))  # fmt: skip
    return row
