"""Resolve a contract party or a spend payee to a shared supplier.

One resolver per unit of work (an import, ``tracker suppliers identify``): it loads the
known suppliers and identifiers once, then resolves each name with the rules of
tracker.domain.supplier_identity, creating what is missing:

- a supplier with that identifier or (normalised) name → that supplier, learning an
  identifier it did not have;
- a similar name only → a new supplier and a merge candidate for the admin's review;
- nothing alike → a new supplier.

A supplier merged into another resolves to the survivor. The caller owns the session and
the transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from tracker.domain.supplier_identity import (
    Identifier,
    IdentityIndex,
    SupplierFacts,
    match_name,
    normalise_identifier,
)
from tracker.domain.suppliers import supplier_key
from tracker.models import (
    ContractParty,
    Supplier,
    SupplierIdentifier,
    SupplierMergeCandidate,
)
from tracker.services.suppliers.maintenance import merge_many

NAME_WIDTH = 300  # supplier.name and supplier.name_key
SAME_NAME = "same name once normalised"  # the reason of a reconciliation's merges
_SUPPLIER_TABLE = cast(Table, Supplier.__table__)
_INSERT_SUPPLIER = insert(_SUPPLIER_TABLE).returning(_SUPPLIER_TABLE.c.id)


@dataclass
class ResolutionCounts:
    """What a run of resolutions did, by verdict."""

    verdicts: Counter[str] = field(default_factory=Counter)
    suppliers_created: int = 0
    identifiers_learnt: int = 0
    merge_candidates: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "same": self.verdicts["same"],
            "doubtful": self.verdicts["doubtful"],
            "new": self.verdicts["new"],
            "suppliers_created": self.suppliers_created,
            "identifiers_learnt": self.identifiers_learnt,
            "merge_candidates": self.merge_candidates,
        }


def surviving_id(session: Session, supplier_id: int) -> int:
    """The supplier a (possibly merged) supplier now is."""
    merged_into = session.scalar(select(Supplier.merged_into_id).where(Supplier.id == supplier_id))
    return merged_into if merged_into is not None else supplier_id


class SupplierResolver:
    """Resolves names (and identifiers) to supplier ids within one session."""

    def __init__(self, session: Session, *, source: str) -> None:
        self.session = session
        self.source = source[:200]
        self.counts = ResolutionCounts()
        self._index = IdentityIndex()
        self._keys: set[str] = set()
        self._identifiers: dict[Identifier, int] = {}
        self._load()

    def _load(self) -> None:
        rows = self.session.execute(
            select(Supplier.id, Supplier.name, Supplier.name_key, Supplier.merged_into_id)
        ).all()
        idents: dict[int, set[Identifier]] = {}
        for sid, scheme, value in self.session.execute(
            select(
                SupplierIdentifier.supplier_id, SupplierIdentifier.scheme, SupplierIdentifier.value
            )
        ):
            ident = Identifier(scheme, value)
            idents.setdefault(sid, set()).add(ident)
            self._identifiers[ident] = sid
        # Survivors first, so that a merged supplier's spelling joins its survivor's facts.
        for sid, name, key, merged_into in sorted(rows, key=lambda r: r[3] is not None):
            target = merged_into if merged_into is not None else sid
            self._keys.add(key)
            self._index.add(target, SupplierFacts(name, frozenset(idents.get(sid, ()))))

    def resolve(
        self, name: str | None, scheme: str | None = None, identifier: str | None = None
    ) -> int | None:
        """The supplier id for a name and optional identifier (None without a name)."""
        name = " ".join((name or "").split())[:NAME_WIDTH]
        ident = normalise_identifier(scheme, identifier) if identifier else None
        if not name and ident is None:
            return None
        facts = SupplierFacts(name, frozenset([ident]) if ident else frozenset())
        result = self._index.resolve(facts)
        self.counts.verdicts[result.verdict] += 1
        if result.supplier_id is not None:
            sid = result.supplier_id
        else:
            label = name or (ident.label() if ident else "")
            sid = self._create(label, ident)
            if result.verdict == "doubtful" and result.candidate_id is not None:
                self.session.add(
                    SupplierMergeCandidate(
                        supplier_id=sid,
                        candidate_id=result.candidate_id,
                        score=result.score,
                        reasons=list(result.reasons),
                        status="pending",
                    )
                )
                self.counts.merge_candidates += 1
        if ident is not None and ident not in self._identifiers:
            self.session.add(
                SupplierIdentifier(
                    supplier_id=sid, scheme=ident.scheme, value=ident.value, source=self.source
                )
            )
            self._identifiers[ident] = sid
            self.counts.identifiers_learnt += 1
        self._index.add(sid, facts)
        return sid

    def _create(self, name: str, ident: Identifier | None) -> int:
        key = supplier_key(name)[:NAME_WIDTH] or (ident.value if ident else "unnamed")
        if key in self._keys:
            # Another company of the same name (told apart by its number).
            suffix = f" [{ident.scheme} {ident.value}]" if ident else " [2]"
            key = key[: NAME_WIDTH - len(suffix)] + suffix
            n = 2
            while key in self._keys:  # bounded by the number of suppliers
                n += 1
                key = key.rsplit(" [", 1)[0] + f" [{n}]"
        # A Core insert on the session's connection: one round trip, without the ORM's
        # bulk-insert machinery or an autoflush of the identifiers and merge candidates
        # added so far (they are flushed together, by the caller's flush). A file names
        # thousands of new suppliers.
        sid: int = (
            self.session.connection()
            .execute(_INSERT_SUPPLIER, {"name_key": key, "name": name})
            .scalar_one()
        )
        self._keys.add(key)
        self.counts.suppliers_created += 1
        return sid

    def resolve_party(self, party: ContractParty) -> int | None:
        """Resolve a contract party and record the supplier on it."""
        sid = self.resolve(party.name, party.scheme, party.identifier)
        party.supplier_id = sid
        return sid

    def resolve_payee(self, name: str) -> int | None:
        """Resolve a spend payee (spend files carry no identifiers)."""
        return self.resolve(name)


def resolve_contract_parties(
    session: Session, *, source: str, only_unresolved: bool = False
) -> ResolutionCounts:
    """Resolve the suppliers of every contract party (or those without one yet)."""
    resolver = SupplierResolver(session, source=source)
    stmt = select(ContractParty).order_by(ContractParty.id)
    if only_unresolved:
        stmt = stmt.where(ContractParty.supplier_id.is_(None))
    for party in session.scalars(stmt):
        resolver.resolve_party(party)
    session.flush()
    return resolver.counts


@dataclass
class Reconciled:
    """What :func:`reconcile_suppliers` did: suppliers merged, by reason."""

    merged: int = 0
    kept_apart: int = 0  # same name, different numbers in one registry

    def as_dict(self) -> dict[str, int]:
        return {"suppliers_merged": self.merged, "same_name_different_numbers": self.kept_apart}


def reconcile_suppliers(session: Session, *, actor: str) -> Reconciled:
    """Merge the suppliers that are one by the identity rules but were made apart (the
    spend import keys payees by ``supplier_key``, so "Ove Arup & Partners" and "Ove Arup
    and Partners Ltd" came in as two): every surviving supplier whose normalised name is
    another's is merged into the older one, unless their numbers differ. Doubtful names
    are left alone (they are queued as new names arrive through the resolver)."""
    survivors = session.execute(
        select(Supplier.id, Supplier.name)
        .where(Supplier.merged_into_id.is_(None))
        .order_by(Supplier.id)
    ).all()
    idents: dict[int, set[Identifier]] = {}
    for sid, scheme, value in session.execute(
        select(SupplierIdentifier.supplier_id, SupplierIdentifier.scheme, SupplierIdentifier.value)
    ):
        idents.setdefault(sid, set()).add(Identifier(scheme, value))
    groups: dict[str, list[int]] = {}
    for sid, name in survivors:
        key = match_name(name)
        if key:
            groups.setdefault(key, []).append(sid)
    result = Reconciled()
    pairs: list[tuple[int, int]] = []  # (keep, merge)
    for ids in groups.values():
        if len(ids) < 2:
            continue
        keep, *others = ids
        for other in others:
            keep_schemes = {i.scheme: i for i in idents.get(keep, set())}
            if any(
                i.scheme in keep_schemes and keep_schemes[i.scheme] != i
                for i in idents.get(other, set())
            ):
                result.kept_apart += 1
                continue
            pairs.append((keep, other))
            idents.setdefault(keep, set()).update(idents.pop(other, set()))
            result.merged += 1
    # All together: their spend lines move in two statements, not two per pair.
    merge_many(
        session,
        [
            (session.get_one(Supplier, keep), session.get_one(Supplier, other), SAME_NAME)
            for keep, other in pairs
        ],
        actor=actor,
    )
    return result
