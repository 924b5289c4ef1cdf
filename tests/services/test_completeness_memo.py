"""The covered months kept between calls (tracker.services.completeness._MONTHS): the same
answer as a fresh scan, a new or deleted batch seen at once, and no entry shared between
databases. Hand-worked: make_run dates every line in June of its financial year, so each
run covers one calendar month, (year, 6)."""

from __future__ import annotations

from pathlib import Path

from factories import Line, make_authority, make_run
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tracker.models import ImportBatch
from tracker.services import completeness
from tracker.services.batches import delete_batch
from tracker.storage.memo import Memo, database_key


def _months(session: Session, authority_id: int) -> list[tuple[int, int]]:
    return sorted(completeness.covered_months(session, [authority_id])[authority_id])


def test_kept_months_follow_new_and_deleted_batches(session: Session) -> None:
    authority = make_authority(session)
    other = make_authority(session)
    make_run(session, authority=authority, fy_year=2022, lines=[Line("A", "10")])
    make_run(session, authority=other, fy_year=2020, lines=[Line("B", "10")])
    assert _months(session, authority.id) == [(2022, 6)]
    assert _months(session, authority.id) == [(2022, 6)]  # kept: the same answer

    make_run(session, authority=authority, fy_year=2023, lines=[Line("A", "10")])
    assert _months(session, authority.id) == [(2022, 6), (2023, 6)]  # a new batch: scanned

    batch = session.scalars(
        select(ImportBatch).where(
            ImportBatch.authority_id == authority.id, ImportBatch.file_name == "spend-2023.csv"
        )
    ).one()
    delete_batch(session, authority, batch, "wrong file")
    assert _months(session, authority.id) == [(2022, 6)]  # a deleted batch: scanned again

    both = completeness.covered_months(session, [authority.id, other.id])
    assert both == {authority.id: [(2022, 6)], other.id: [(2020, 6)]}


def test_a_caller_changing_the_answer_does_not_change_what_is_kept(session: Session) -> None:
    authority = make_authority(session)
    make_run(session, authority=authority, fy_year=2022, lines=[Line("A", "10")])
    completeness.covered_months(session, [authority.id])[authority.id].append((1999, 1))
    assert _months(session, authority.id) == [(2022, 6)]


def test_databases_never_share_an_entry(tmp_path: Path) -> None:
    first = Session(create_engine(f"sqlite:///{tmp_path / 'a.db'}"))
    second = Session(create_engine(f"sqlite:///{tmp_path / 'b.db'}"))
    assert database_key(first) != database_key(second)


def test_memo_drops_the_least_recently_used() -> None:
    memo: Memo[str] = Memo(size=2)
    memo.put("a", "1")
    memo.put("b", "2")
    assert memo.get("a") == "1"  # a is now the most recently used
    memo.put("c", "3")
    assert memo.get("b") is None
    assert (memo.get("a"), memo.get("c"), len(memo)) == ("1", "3", 2)
