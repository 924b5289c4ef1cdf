"""Resolving contract parties and payees to shared suppliers (both databases).

Spellings are file 3's, with a tag and made-up company numbers so that suppliers other
tests stored on the shared PostgreSQL database are not found instead.
"""

from __future__ import annotations

import random
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Supplier, SupplierIdentifier, SupplierMergeCandidate
from tracker.services.suppliers.resolution import SupplierResolver, reconcile_suppliers


def _supplier(session: Session, sid: int | None) -> Supplier:
    assert sid is not None
    return session.get_one(Supplier, sid)


def test_spellings_and_numbers_resolve_to_one_supplier(session: Session) -> None:
    """File 3's spellings of Civica UK (01628868): with the number, without it, unpadded."""
    tag, n = uuid.uuid4().hex[:6], random.randrange(1_000_000, 9_999_999)
    resolver = SupplierResolver(session, source="test")
    civica = resolver.resolve(f"CIVICA {tag} UK LIMITED", "GB-COH", f"0{n}")
    assert resolver.resolve(f"Civica {tag} UK Ltd.") == civica
    assert resolver.resolve(f"Civica {tag} UK Limited", "GB-COH", str(n)) == civica
    # A company of the same name with another number is another supplier.
    other = resolver.resolve(f"Civica {tag} UK Ltd", "GB-COH", f"SC{n % 1_000_000:06d}")
    assert other != civica
    assert _supplier(session, other).name_key == (
        f"civica {tag} uk ltd [GB-COH SC{n % 1_000_000:06d}]"
    )
    numbers = session.execute(
        select(SupplierIdentifier.value, SupplierIdentifier.supplier_id)
        .where(SupplierIdentifier.supplier_id.in_([civica, other]))
        .order_by(SupplierIdentifier.value)
    ).all()
    assert [tuple(r) for r in numbers] == [(f"0{n}", civica), (f"SC{n % 1_000_000:06d}", other)]
    assert resolver.counts.as_dict() == {
        "same": 2,
        "doubtful": 0,
        "new": 2,
        "suppliers_created": 2,
        "identifiers_learnt": 2,
        "merge_candidates": 0,
    }


def test_a_doubtful_name_is_a_new_supplier_and_a_merge_to_review(session: Session) -> None:
    tag = uuid.uuid4().hex[:6]
    resolver = SupplierResolver(session, source="test")
    phoenix = resolver.resolve(f"Phoenix Software {tag} Ltd")
    typo = resolver.resolve(f"Phonenix Software {tag} Ltd")
    assert typo != phoenix
    candidate = session.scalars(
        select(SupplierMergeCandidate).where(SupplierMergeCandidate.supplier_id == typo)
    ).one()
    assert (candidate.supplier_id, candidate.candidate_id, candidate.status) == (
        typo,
        phoenix,
        "pending",
    )
    assert "similar names" in candidate.reasons[0]


def test_a_spend_payee_joins_the_supplier_the_spend_import_made(session: Session) -> None:
    """A supplier made by the spend import (name key only) is found by a contract party
    spelt another way, and learns its number."""
    tag, n = uuid.uuid4().hex[:6], random.randrange(1_000_000, 9_999_999)
    made = Supplier(
        name_key=f"ove arup & {tag} partners ltd", name=f"Ove Arup & {tag} Partners Ltd"
    )
    session.add(made)
    session.flush()
    resolver = SupplierResolver(session, source="contract file 1")
    assert resolver.resolve(f"OVE ARUP &amp; {tag} PARTNERS LIMITED", "GB-COH", str(n)) == made.id
    assert resolver.resolve_payee(f"Ove Arup and {tag} Partners") == made.id
    ident = session.scalars(
        select(SupplierIdentifier).where(SupplierIdentifier.supplier_id == made.id)
    ).one()
    assert (ident.value, ident.source) == (f"0{n}", "contract file 1")


def test_a_merged_supplier_resolves_to_its_survivor(session: Session) -> None:
    tag = uuid.uuid4().hex[:6]
    keep = Supplier(name_key=f"allpay {tag} ltd", name=f"ALLPAY {tag} LIMITED")
    session.add(keep)
    session.flush()
    session.add(Supplier(name_key=f"allpay {tag} group", name=f"ALLPAY {tag} GROUP",
                         merged_into_id=keep.id))  # fmt: skip
    session.flush()
    resolver = SupplierResolver(session, source="test")
    assert resolver.resolve(f"Allpay {tag} Group") == keep.id
    assert resolver.resolve("") is None


def test_reconcile_merges_payees_spelt_two_ways(session: Session) -> None:
    """The spend import keys payees by supplier_key, so "Ove Arup & Partners Ltd" and
    "Ove Arup and Partners Limited" came in as two suppliers; they are one by name. Two
    "Civica" of different numbers stay apart; "Phoenix"/"Phonenix" are only doubtful."""
    tag, n = uuid.uuid4().hex[:6], random.randrange(1_000_000, 9_999_999)
    names = [
        f"Ove Arup & {tag} Partners Ltd", f"Ove Arup and {tag} Partners Limited",
        f"Civica {tag} UK Ltd", f"CIVICA {tag} UK LIMITED (2)",
        f"Phoenix {tag} Software", f"Phonenix {tag} Software",
    ]  # fmt: skip
    rows = [Supplier(name_key=f"k{i} {tag}", name=name) for i, name in enumerate(names)]
    rows[3].name = f"CIVICA {tag} UK LIMITED"
    session.add_all(rows)
    session.flush()
    session.add_all([
        SupplierIdentifier(supplier_id=rows[2].id, scheme="GB-COH", value=f"0{n}", source="t"),
        SupplierIdentifier(supplier_id=rows[3].id, scheme="GB-COH", value=f"0{n + 1}", source="t"),
    ])  # fmt: skip
    session.flush()
    result = reconcile_suppliers(session, actor="admin")
    # At least these (PostgreSQL may hold other tests' committed suppliers).
    assert result.merged >= 1 and result.kept_apart >= 1
    for row in rows:
        session.refresh(row)
    assert [r.merged_into_id for r in rows] == [None, rows[0].id, None, None, None, None]
