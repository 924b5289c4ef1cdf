"""Suggestion evidence kept per run (tracker.services.classification.evidence), on both databases.

Authority A's file, hand-worked with the shipped tables: Road Co's two lines carry SIC
42110 (Defra group 42.1-2), Ashcombe Solicitors' line is "Legal fees" (library rule
R075, group 69.1), Zed Markings' line is unclassified and so is no evidence.

- Supplier keys: "road co" |1,000| + |−100| = 1,100 in 42.1-2; "ashcombe solicitors" 500
  in 69.1. Expense types: "road works" 1,100 in 42.1-2; "legal fees" 500 in 69.1.
- Texts and their words (stop words such as "fees" and two-letter words left out):
  "road co" {road}; "ashcombe solicitors" {ashcombe, solicitors}; "road works" {road,
  works}; "legal fees" {legal}; descriptions "resurfacing" {resurfacing}, "resurfacing
  credit" {resurfacing, credit}, "conveyancing" {conveyancing}: 7 distinct texts, each
  wholly in one group, so each gives its words one vote: road 2, resurfacing 2, the rest
  1, all for the text's group.

Authority B adds Road Co again (300, SIC 42110, "Road works", "resurfacing"): its run has
3 texts ("road co", "road works", "resurfacing"), so over both runs "road co" is 1,400,
"road" has 4 votes, "resurfacing" 3, and the model has learned from 7 + 3 = 10 texts.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from factories import set_emission_fields
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tracker.models import Authority, InventoryRun, LineEmission, RunEvidence, SpendLine
from tracker.services.authorities import add_authority, set_sharing
from tracker.services.classification import evidence
from tracker.services.classification.review import review_queue
from tracker.services.imports import import_spend_file
from tracker.services.inventory.runs import ensure_inventory
from tracker.services.reference import load_shipped_reference_data

HEADER = "Date,Supplier,Amount,SIC,Expense Type,Description\n"
SPEND_A = (
    HEADER + "15/05/2023,Road Co,1000.00,42110,Road works,resurfacing\n"
    "16/05/2023,Road Co,-100.00,42110,Road works,resurfacing credit\n"
    "17/05/2023,Ashcombe Solicitors,500.00,,Legal fees,conveyancing\n"
    "19/05/2023,Zed Markings,400.00,,Zebra crossings paint,paint\n"
)
SPEND_B = HEADER + "20/05/2023,Road Co,300.00,42110,Road works,resurfacing\n"
ROAD, LEGAL = "42.1-2", "69.1"
UK = "defra-uk-sic"  # the factor family of UK authorities' runs
NOBODY = 0  # no authority has this id


def _authority(session: Session, tmp_path: Path, spend: str, *, share: bool = False) -> Authority:
    code = "E" + uuid.uuid4().hex[:6].upper()
    authority = add_authority(session, code=code, name="Evidence", fy_start_month=1)
    set_sharing(session, authority, share=share, actor="test")
    path = tmp_path / f"{code}.csv"
    path.write_text(spend, encoding="utf-8")
    import_spend_file(session, authority=authority, path=path, data_dir=tmp_path)
    return authority


def _stored(
    session: Session, run_id: int, kinds: tuple[str, ...] = ("supplier", "expense_type", "word")
) -> set[tuple[str, str, str, Decimal]]:
    """The run's evidence rows of ``kinds`` (by default what suggestions learn from)."""
    rows = session.execute(
        select(RunEvidence.kind, RunEvidence.key, RunEvidence.defra_group, RunEvidence.weight)
        .where(RunEvidence.run_id == run_id, RunEvidence.kind.in_(kinds))
    )  # fmt: skip
    return {(k, key, g, Decimal(str(w))) for k, key, g, w in rows}


def _forget(session: Session, run_id: int) -> None:
    """Make ``run_id`` look like a run computed before its evidence was kept."""
    session.execute(delete(RunEvidence).where(RunEvidence.run_id == run_id))
    session.execute(
        update(InventoryRun).where(InventoryRun.id == run_id).values(evidence_texts=None)
    )


def _mark(session: Session, run_id: int, a: Authority, supplier: str, **values: Any) -> None:
    """Set ``values`` on the emissions of ``run_id`` of the lines of ``supplier``."""
    lines = select(SpendLine.id).where(
        SpendLine.authority_id == a.id, SpendLine.supplier_name == supplier
    )
    set_emission_fields(
        session,
        (LineEmission.run_id == run_id) & LineEmission.spend_line_id.in_(lines),
        **values,
    )


def _get(evidence_by_key: dict[str, dict[str, Any]], key: str, group: str) -> Any:
    return evidence_by_key.get(key, {}).get(group, 0)


def test_evidence_is_learned_once_per_run_and_summed(session: Session, tmp_path: Path) -> None:
    """Other tests' committed runs may share the database: sums are compared with what
    was there before (learned by an authority id no authority has: what every authority
    may learn from, the runs of authorities that share). A does not share and B does:
    A's review learns from both."""
    load_shipped_reference_data(session)
    evidence.gather_evidence(session)
    suppliers0, expense_types0, model0 = evidence.evidence_of(session, UK, NOBODY)
    a = _authority(session, tmp_path, SPEND_A)
    run_a = ensure_inventory(session, authority=a, year=2023)  # learns the run's evidence
    session.refresh(run_a)
    assert run_a.evidence_texts == 7
    one = Decimal("1.000000")
    learned = _stored(session, run_a.id)
    assert learned == {
        ("supplier", "road co", ROAD, Decimal("1100.00")),
        ("supplier", "ashcombe solicitors", LEGAL, Decimal("500.00")),
        ("expense_type", "road works", ROAD, Decimal("1100.00")),
        ("expense_type", "legal fees", LEGAL, Decimal("500.00")),
        ("word", "road", ROAD, 2 * one),
        ("word", "works", ROAD, one),
        ("word", "resurfacing", ROAD, 2 * one),
        ("word", "credit", ROAD, one),
        ("word", "ashcombe", LEGAL, one),
        ("word", "solicitors", LEGAL, one),
        ("word", "legal", LEGAL, one),
        ("word", "conveyancing", LEGAL, one),
    }
    assert evidence.gather_evidence(session) == 0  # nothing new: nothing learned again

    # A run computed before the evidence was kept: the review (or `db upgrade`) learns it.
    _forget(session, run_a.id)
    assert evidence.gather_evidence(session) == 1
    assert _stored(session, run_a.id) == learned

    b = _authority(session, tmp_path, SPEND_B, share=True)
    run_b = ensure_inventory(session, authority=b, year=2023)
    suppliers, expense_types, model = evidence.evidence_of(session, UK, a.id)
    session.refresh(run_b)
    assert run_b.evidence_texts == 3
    assert model.n_texts == model0.n_texts + 7 + 3
    assert _get(suppliers, "road co", ROAD) == _get(suppliers0, "road co", ROAD) + 1400
    assert _get(expense_types, "legal fees", LEGAL) == (
        _get(expense_types0, "legal fees", LEGAL) + 500
    )
    for word, votes in (("road", 4), ("resurfacing", 3), ("conveyancing", 1)):
        group = LEGAL if word == "conveyancing" else ROAD
        assert model.votes[word][group] == _get(model0.votes, word, group) + votes  # type: ignore[arg-type]
        assert model.texts[word] == model0.texts.get(word, 0) + votes


def test_only_current_runs_count(session: Session, tmp_path: Path) -> None:
    """A recomputed year replaces its run's evidence in the sums; the old run keeps its
    rows (they go with it), and lines classified by an accepted suggestion are left out
    so suggestions do not feed on themselves."""
    load_shipped_reference_data(session)
    a = _authority(session, tmp_path, SPEND_A)
    old = ensure_inventory(session, authority=a, year=2023)
    with_old = evidence.supplier_evidence(session, UK, a.id)

    new = ensure_inventory(session, authority=a, year=2023, force=True)
    assert new.id != old.id
    # As if the Ashcombe line had been classified by an accepted suggestion in this run.
    _mark(session, new.id, a, "Ashcombe Solicitors", method="suggestion")
    _forget(session, new.id)  # and learn the new run's evidence again
    assert evidence.gather_evidence(session) == 1
    with_new = evidence.supplier_evidence(session, UK, a.id)
    assert _get(with_new, "ashcombe solicitors", LEGAL) == (
        _get(with_old, "ashcombe solicitors", LEGAL) - 500
    )
    assert _get(with_new, "road co", ROAD) == _get(with_old, "road co", ROAD)
    session.refresh(new)
    assert new.evidence_texts == 4  # road co, road works, resurfacing, resurfacing credit
    assert ("word", "conveyancing", LEGAL, Decimal("1.000000")) not in _stored(session, new.id)
    assert _stored(session, old.id)  # the old run's rows stay with it


def test_evidence_stays_within_a_factor_family(session: Session, tmp_path: Path) -> None:
    """A US authority's lines are classified to NAICS codes: a UK review must never be
    offered one. Acme Consulting, classified by NAICS 541611 in the US run, is no
    evidence for the UK authority's unclassified Acme Consulting, and the other way
    round the UK run's Defra groups are no evidence for US reviews."""
    load_shipped_reference_data(session)
    us = add_authority(
        session, code="U" + uuid.uuid4().hex[:6].upper(), name="Evidence City",
        country="US", currency="USD", fy_start_month=1,
    )  # fmt: skip
    path = tmp_path / "us.csv"
    path.write_text("Date,Vendor,Amount,NAICS\n05/05/2022,Acme Consulting,1000,541611\n")
    import_spend_file(session, authority=us, path=path, data_dir=tmp_path)
    us_run = ensure_inventory(session, authority=us, year=2022)
    assert us_run.factor_family != UK
    assert evidence.supplier_evidence(session, us_run.factor_family, us.id)["acme consulting"] == {
        "541611": Decimal("1000.00")
    }
    assert "acme consulting" not in evidence.supplier_evidence(session, UK, us.id)
    uk = _authority(session, tmp_path, HEADER + "15/05/2023,Acme Consulting,500.00,,,\n")
    ensure_inventory(session, authority=uk, year=2023)  # reviews only read the run
    _run, items = review_queue(session, authority=uk, year=2023)
    (item,) = [i for i in items if i.group.supplier == "Acme Consulting"]
    assert item.suggestion is None or item.suggestion.defra_group != "541611"


def test_low_confidence_lines_are_no_evidence_and_rows_say_lines_and_basis(
    session: Session, tmp_path: Path
) -> None:
    """Road Co's two lines (SIC 42110) are stored as 2 lines decided by "sic 42110", and
    Ashcombe's one line as 1 line decided by library rule R075 ("Legal fees"). Once
    Road Co's lines are marked low confidence, its evidence is gone: a doubtful decision
    must not become a suggestion for others."""
    load_shipped_reference_data(session)
    a = _authority(session, tmp_path, SPEND_A)
    run = ensure_inventory(session, authority=a, year=2023)
    rows = session.execute(
        select(RunEvidence.key, RunEvidence.lines, RunEvidence.basis).where(
            RunEvidence.run_id == run.id, RunEvidence.kind == "supplier"
        )
    ).all()
    assert sorted(rows) == [("ashcombe solicitors", 1, "library R075"), ("road co", 2, "sic 42110")]
    _mark(session, run.id, a, "Road Co", confidence="low")
    _forget(session, run.id)
    assert evidence.gather_evidence(session) == 1
    keys = {key for _, key, _, _ in _stored(session, run.id)}
    assert "road co" not in keys and "road works" not in keys
    assert "ashcombe solicitors" in keys
    # How each payee was treated is kept whatever the confidence (tracker.services.treatments).
    assert _stored(session, run.id, ("treat_supplier",)) == {
        ("treat_supplier", "road co", ROAD, Decimal("1100.00")),
        ("treat_supplier", "ashcombe solicitors", LEGAL, Decimal("500.00")),
    }


def _fresh(session: Session, learner: int) -> tuple[Any, Any, Any]:
    return (
        evidence.supplier_evidence(session, UK, learner),
        evidence.expense_type_evidence(session, UK, learner),
        evidence.word_model(session, UK, learner),
    )


def test_kept_evidence_is_a_fresh_read_of_the_runs_it_may_learn_from(
    session: Session, tmp_path: Path
) -> None:
    """evidence_of keeps its answer while the runs it learns from are the same: always
    equal to reading the sums afresh, and an authority that stops sharing is left out of
    the next review at once (security review finding 10), as is a new run read anew."""
    load_shipped_reference_data(session)
    a = _authority(session, tmp_path, SPEND_A)
    ensure_inventory(session, authority=a, year=2023)
    b = _authority(session, tmp_path, SPEND_B, share=True)
    ensure_inventory(session, authority=b, year=2023)
    first = evidence.evidence_of(session, UK, a.id)
    assert first == _fresh(session, a.id)
    assert evidence.evidence_of(session, UK, a.id) is first  # kept
    # B's review learns from A only if A shares: A does not, so B's answer is its own.
    assert evidence.evidence_of(session, UK, b.id) == _fresh(session, b.id) != first

    set_sharing(session, b, share=False, actor="test")
    alone = evidence.evidence_of(session, UK, a.id)
    assert alone == _fresh(session, a.id)
    # B's 300 of Road Co, its three texts and their words are gone from A's evidence.
    assert _get(alone[0], "road co", ROAD) == _get(first[0], "road co", ROAD) - 300
    assert alone[2].n_texts == first[2].n_texts - 3

    # A recalculated year is a new run (same lines, so the same sums), read anew.
    ensure_inventory(session, authority=a, year=2023, force=True)
    again = evidence.evidence_of(session, UK, a.id)
    assert again is not alone and again == alone == _fresh(session, a.id)
