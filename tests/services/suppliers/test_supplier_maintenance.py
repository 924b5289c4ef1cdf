"""The admin's merges, the review of doubtful merges, and PPN 006 (both databases)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from tracker.access import Viewer
from tracker.domain.supplier_kpis import not_assessed_sentence
from tracker.errors import TrackerError
from tracker.models import (
    AuditEntry,
    Contract,
    ContractFile,
    ContractParty,
    SpendLine,
    Supplier,
    SupplierMergeCandidate,
)
from tracker.services.authorities import add_authority
from tracker.services.imports import import_spend_file
from tracker.services.suppliers.kpis import (
    contracts_not_assessed,
    contracts_without_plan,
    not_assessed_contracts,
)
from tracker.services.suppliers.maintenance import (
    add_commitment,
    decide_merge,
    find_supplier,
    merge_many,
    merge_suppliers,
    pending_merges,
)
from tracker.services.suppliers.resolution import SupplierResolver

ADMIN = Viewer(user_id=None, email="admin", role="admin", authority_id=None)


def test_accepting_a_doubtful_merge_moves_everything_and_keeps_the_spelling(
    session: Session,
) -> None:
    tag = uuid.uuid4().hex[:6]
    resolver = SupplierResolver(session, source="test")
    number = f"SC{random.randrange(0, 999_999):06d}"
    known = resolver.resolve(f"Phoenix Software {tag} Ltd", "GB-COH", number)
    typo = resolver.resolve(f"Phonenix Software {tag} Ltd")
    assert known is not None and typo is not None and typo != known
    authority = add_authority(session, code="M" + tag.upper(), name="Merge Test")
    file = ContractFile(sha256="1" * 64, filename="c.csv", size_bytes=1, format="award-csv",
                        imported_by="test", report={})  # fmt: skip
    session.add(file)
    session.flush()
    contract = Contract(authority_id=authority.id, file_id=file.id, source_key=f"k-{tag}",
                        buyer_name="Merge Test", status="awarded")  # fmt: skip
    session.add(contract)
    session.flush()
    session.add(ContractParty(contract_id=contract.id, name="Phonenix", supplier_id=typo))
    session.flush()
    candidate = next(c for c in pending_merges(session) if c.supplier_id == typo)
    result = decide_merge(session, candidate.id, accept=True, actor="admin@example.gov.uk")
    assert result is not None
    assert (result.kept_id, result.merged_id, result.contract_parties) == (known, typo, 1)
    assert session.get_one(Supplier, typo).merged_into_id == known
    parties = select(ContractParty.supplier_id).where(ContractParty.contract_id == contract.id)
    assert session.scalars(parties).all() == [known]
    assert session.get_one(SupplierMergeCandidate, candidate.id).status == "accepted"
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "supplier-merge")).one()
    assert audit.actor == "admin@example.gov.uk" and "similar names" in (audit.reason or "")
    # The old spelling now finds the survivor, by name and through a new resolver.
    assert find_supplier(session, f"Phonenix Software {tag} Ltd").id == known
    assert (
        SupplierResolver(session, source="t").resolve(f"PHONENIX SOFTWARE {tag} LIMITED") == known
    )
    with pytest.raises(TrackerError, match="already accepted"):
        decide_merge(session, candidate.id, accept=False, actor="admin")


def test_two_company_numbers_are_never_merged(session: Session) -> None:
    tag = uuid.uuid4().hex[:6]
    resolver = SupplierResolver(session, source="test")
    n = random.randrange(1_000_000, 9_999_999)
    a = resolver.resolve(f"Civica {tag} UK Ltd", "GB-COH", str(n))
    b = resolver.resolve(f"Civica {tag} Election Services Ltd", "GB-COH", str(n + 1))
    with pytest.raises(TrackerError, match="different companies"):
        merge_suppliers(session, keep=session.get_one(Supplier, a),
                        merge=session.get_one(Supplier, b), actor="admin")  # fmt: skip


def test_rejecting_keeps_them_apart(session: Session) -> None:
    tag = uuid.uuid4().hex[:6]
    resolver = SupplierResolver(session, source="test")
    resolver.resolve(f"Allpay {tag} Ltd")
    group = resolver.resolve(f"Allpay {tag} Group")
    candidate = next(c for c in pending_merges(session) if c.supplier_id == group)
    assert decide_merge(session, candidate.id, accept=False, actor="admin") is None
    assert session.get_one(Supplier, group).merged_into_id is None


def test_contracts_above_ppn006_without_a_plan(session: Session) -> None:
    """PPN 006: over £5m a year including VAT. £20m over 1 Apr 2025 - 31 Mar 2029 (1,461
    days = 4.0 years) is £5m a year net, £6m with VAT: in. £15m over the same 4 years is
    £3.75m net, £4.5m with VAT: out. The planned supplier's contract is out; an ended
    contract is out."""
    tag = uuid.uuid4().hex[:6]
    authority = add_authority(session, code="P" + tag.upper(), name="PPN Test")
    file = ContractFile(sha256="2" * 64, filename="c.json", size_bytes=1,
                        format="ocds-release-package", imported_by="test", report={})  # fmt: skip
    session.add(file)
    session.flush()
    resolver = SupplierResolver(session, source="test")
    big, planned = resolver.resolve(f"Bigco {tag} Ltd"), resolver.resolve(f"Planco {tag} Ltd")
    add_commitment(session, supplier=session.get_one(Supplier, planned),
                   kind="carbon-reduction-plan", made_on=dt.date(2024, 1, 1),
                   source_url="https://example.org/plan", actor="admin")  # fmt: skip
    start, end = dt.date(2025, 4, 1), dt.date(2029, 3, 31)

    def contract(key: str, value: str, sid: int | None, end_date: dt.date | None = end,
                 start_date: dt.date | None = start) -> int:  # fmt: skip
        c = Contract(authority_id=authority.id, file_id=file.id, source_key=f"{key}-{tag}",
                     buyer_name="PPN Test", status="awarded", value_amount=Decimal(value),
                     currency="GBP", start_date=start_date, end_date=end_date,
                     title=key)  # fmt: skip
        session.add(c)
        session.flush()
        session.add(ContractParty(contract_id=c.id, name=key, supplier_id=sid))
        session.flush()
        return c.id

    wanted = contract("big", "20000000", big)
    contract("small", "15000000", big)
    contract("planned", "20000000", planned)
    contract("ended", "20000000", big, end_date=dt.date(2025, 12, 31))
    found = [
        c for c in contracts_without_plan(session, ADMIN, today=dt.date(2026, 6, 1))
        if c.authority_code == authority.code
    ]  # fmt: skip
    assert [(c.contract_id, c.value_a_year_incl_vat) for c in found] == [
        (wanted, Decimal("6000000.00"))
    ]
    officer = Viewer(user_id=None, email="o", role="officer", authority_id=authority.id + 10_000)
    assert contracts_without_plan(session, officer, today=dt.date(2026, 6, 1)) == []

    # Without both dates there is no value a year: not in the list, counted as not assessed
    # when the whole value incl. VAT is above £5m: £4.2m × 1.2 = £5.04m in; £4.1m × 1.2 =
    # £4.92m cannot be above £5m a year; a planned supplier's is not wanted; one ending
    # before it starts has no period either.
    contract("undated", "4200000", big, end_date=None, start_date=None)
    contract("no start", "30000000", big, start_date=None)
    contract("undated small", "4100000", big, end_date=None, start_date=None)
    contract("undated planned", "30000000", planned, end_date=None, start_date=None)
    contract("backwards", "30000000", big, start_date=dt.date(2030, 1, 1))
    today = dt.date(2026, 6, 1)
    assert [c.contract_id for c in contracts_without_plan(session, ADMIN, today=today)
            if c.authority_code == authority.code] == [wanted]  # fmt: skip
    assert not_assessed_contracts(session, [authority.id], today=today) == 3
    assert contracts_not_assessed(session, officer, today=today) == 0
    assert not_assessed_sentence(3) == (
        "3 contracts over £5m in total (incl. VAT) have no dates to annualise (a date missing, "
        "or ending before it starts): not assessed."
    )


def test_many_merges_move_their_spend_lines_in_two_statements(
    session: Session, tmp_path: Path
) -> None:
    """spend_line has no index on supplier_id (it would cost every import's insert), so a
    statement finding lines by supplier reads them all: many merges move their lines
    together, in one count and one update, and each merge still says how many it moved."""
    tag = uuid.uuid4().hex[:6]
    authority = add_authority(session, code="M" + tag.upper(), name="Merges")
    names = {"a": 1, "b": 2, "c": 3, "d": 1, "e": 4}  # supplier -> lines
    rows = [f"0{n}/05/2023,{s} {tag} Ltd,{10 * n}.00,T{s}{n}"
            for s, count in names.items() for n in range(1, count + 1)]  # fmt: skip
    path = tmp_path / "spend.csv"
    path.write_text("Date,Supplier,Amount,Transaction ID\n" + "\n".join(rows) + "\n")
    import_spend_file(session, authority=authority, path=path, data_dir=tmp_path / "s")
    ids = dict(
        session.execute(
            select(SpendLine.supplier_name, SpendLine.supplier_id)
            .where(SpendLine.authority_id == authority.id)
            .distinct()
        ).all()
    )
    s = {k: session.get_one(Supplier, ids[f"{k} {tag} Ltd"]) for k in names}
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "spend_line" in statement:
            statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        results = merge_many(
            session,
            [(s["a"], s["b"], "x"), (s["a"], s["c"], "y"), (s["d"], s["e"], None)],
            actor="admin",
        )
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) == 2  # one count, one update, for the three merges
    assert [(r.kept_id, r.merged_id, r.spend_lines) for r in results] == [
        (s["a"].id, s["b"].id, 2), (s["a"].id, s["c"].id, 3), (s["d"].id, s["e"].id, 4),
    ]  # fmt: skip
    by_supplier = dict(
        session.execute(
            select(SpendLine.supplier_id, func.count())
            .where(SpendLine.authority_id == authority.id)
            .group_by(SpendLine.supplier_id)
        ).all()
    )
    assert by_supplier == {s["a"].id: 1 + 2 + 3, s["d"].id: 1 + 4}
    audits = session.scalars(
        select(AuditEntry.details).where(
            AuditEntry.action == "supplier-merge",
            AuditEntry.details["kept"].as_integer().in_([s["a"].id, s["d"].id]),
        )
    ).all()
    assert sorted(a["spend_lines"] for a in audits) == [2, 3, 4]
    # one merge alone: its lines moved by one statement, counted from it
    f = session.get_one(Supplier, SupplierResolver(session, source="t").resolve(f"F {tag} Ltd"))
    statements.clear()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        alone = merge_suppliers(session, keep=f, merge=s["d"], actor="admin")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) == 1 and alone.spend_lines == 5
