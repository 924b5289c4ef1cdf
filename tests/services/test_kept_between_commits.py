"""Kept answers and commits by other sessions (other server workers): each kept answer is
checked against the database on every call, so a change committed elsewhere is read at
once; and an answer read while another session commits is never kept under a key that
names a state it was not read from. PostgreSQL reads each statement at its own snapshot
(READ COMMITTED), so there a commit can fall between a memo's reading of its key and of
its value; SQLite's transaction reads one snapshot throughout. Each test commits on a
database of its own (``private_db_url``), on factories.seed_group."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from factories import GroupSeed, Line, make_run, seed_group
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bench.dashboard_bench import forget_kept
from tests.services.test_compare import ADMIN, viewer_of
from tracker import migrate
from tracker.db import make_engine, make_session_factory
from tracker.models import Authority, ImportBatch
from tracker.services import collaboration as c
from tracker.services import compare as compare_service
from tracker.services import compare_memo, completeness
from tracker.services.authorities import set_sharing
from tracker.services.batches import delete_batch
from tracker.services.compare import compare


@pytest.fixture
def factory(private_db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(private_db_url)
    migrate.upgrade(engine)
    forget_kept()
    try:
        yield make_session_factory(engine)
    finally:
        forget_kept()
        engine.dispose()


@pytest.fixture
def seed(factory: sessionmaker[Session]) -> GroupSeed:
    with factory() as writer:
        seeded = seed_group(writer)
        writer.commit()
    return seeded


def _once_after(
    monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, then: Callable[[], None]
) -> None:
    """``owner.name`` runs ``then`` (a commit by another session) right after its first
    call, as a commit by another worker may fall."""
    real = getattr(owner, name)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        out = real(*args, **kwargs)
        monkeypatch.setattr(owner, name, real)
        then()
        return out

    monkeypatch.setattr(owner, name, wrapped)


def _run_for_c(
    factory: sessionmaker[Session], seed: GroupSeed, year: int = 2023
) -> Callable[[], None]:
    """A commit of a new run of C for ``year``, with its batch, buying only from C Parks
    (in 2023: its £5,000 with Shared Coaches goes)."""

    def commit() -> None:
        with factory() as writer:
            authority = writer.get_one(Authority, seed.c.id)
            make_run(
                writer, authority=authority, fy_year=year, lines=[Line("C Parks", "700.00", "70")]
            )
            writer.commit()

    return commit


def _coaches(answer: c.Collaboration) -> tuple[int, Decimal]:
    coaches = next(s for s in answer.engagement if s.name == "Shared Coaches")
    return coaches.authorities, coaches.spend


def test_collaboration_tallies_are_not_kept_for_a_run_committed_while_reading(
    factory: sessionmaker[Session], seed: GroupSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new run of C committed after collaboration read the year's runs but before it
    read their tallies' key: the tallies read from the old run must not be kept under the
    new run, or every later visit shows C's old suppliers beside its new total."""
    _once_after(monkeypatch, c.gq, "current_run_rows", _run_for_c(factory, seed))
    with factory() as reader:
        c.collaboration(reader, ADMIN, year=2023, top=50)
    with factory() as reader:
        later = c.collaboration(reader, ADMIN, year=2023, top=50)
    # A's £9,000 and B's £1,000 with Shared Coaches; C's new run has none
    assert _coaches(later) == (2, Decimal("10000"))
    assert later.group_kgco2e == Decimal(2300 + 600 + 70)
    forget_kept()
    with factory() as reader:
        assert later.as_dict() == c.collaboration(reader, ADMIN, year=2023, top=50).as_dict()


def test_covered_months_are_not_kept_with_a_batch_committed_while_reading(
    factory: sessionmaker[Session], seed: GroupSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch of C's (June 2024) committed after covered_months read C's live batches
    but before it read their months, then deleted: C's months are June 2023 again, not
    the months read with the deleted batch under the key of the batches without it."""

    _once_after(monkeypatch, completeness, "_live_batches", _run_for_c(factory, seed, 2024))
    with factory() as reader:
        completeness.covered_months(reader, [seed.c.id])
    with factory() as writer:
        authority = writer.get_one(Authority, seed.c.id)
        batch = writer.scalars(
            select(ImportBatch).where(
                ImportBatch.authority_id == seed.c.id, ImportBatch.file_name == "spend-2024.csv"
            )
        ).one()
        delete_batch(writer, authority, batch, "wrong file")
        writer.commit()
    with factory() as reader:
        assert completeness.covered_months(reader, [seed.c.id]) == {seed.c.id: [(2023, 6)]}


def test_a_change_committed_by_another_worker_is_read_at_once(
    factory: sessionmaker[Session], seed: GroupSeed
) -> None:
    """Every memo's key is read from the database on each call: answers kept by this
    worker follow commits made through another engine (another worker's connections)."""
    officer_a = viewer_of(seed.a.id, "officer")
    with factory() as reader:
        before = compare_memo.remembered_compare(reader, officer_a, 2023)
        assert {b.code for b in before.authorities} == {seed.a.code, seed.b.code}
        assert seed.b.code in c.collaboration(reader, officer_a, year=2023, top=50).authorities
        assert completeness.covered_months(reader, [seed.c.id]) == {seed.c.id: [(2023, 6)]}
    other = make_engine(str(factory.kw["bind"].url.render_as_string(hide_password=False)))
    try:
        with make_session_factory(other)() as writer:
            b = writer.get_one(Authority, seed.b.id)
            set_sharing(writer, b, share=False, actor="test")
            writer.get_one(Authority, seed.a.id).population = 200_000
            c_council = writer.get_one(Authority, seed.c.id)
            make_run(
                writer, authority=c_council, fy_year=2024, lines=[Line("C Parks", "9.00", "1")]
            )
            writer.commit()
    finally:
        other.dispose()
    _run_for_c(factory, seed)()
    with factory() as reader:
        after = compare_memo.remembered_compare(reader, officer_a, 2023)
        assert [b.code for b in after.authorities] == [seed.a.code]
        # A: 2,300 kgCO2e over 200,000 residents
        assert after.authorities[0].kg_per_resident == Decimal("0.0115")
        assert after.as_dict() == compare(reader, officer_a, year=2023).as_dict()
        assert c.collaboration(reader, officer_a, year=2023, top=50).authorities == (seed.a.code,)
        assert _coaches(c.collaboration(reader, ADMIN, year=2023, top=50)) == (2, Decimal("10000"))
        # C's batch of 2024 (its lines in June 2024) beside those of 2023
        months = completeness.covered_months(reader, [seed.c.id])[seed.c.id]
        assert sorted(months) == [(2023, 6), (2024, 6)]


def _set_sharing_of(factory: sessionmaker[Session], authority_id: int, share: bool) -> None:
    with factory() as writer:
        set_sharing(writer, writer.get_one(Authority, authority_id), share=share, actor="test")
        writer.commit()


def test_collaboration_keeps_no_authority_outside_its_key(
    factory: sessionmaker[Session], seed: GroupSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """C opts in to sharing while A's officer's collaboration is read (after it read the
    authorities A's officer may see: A and B) and opts out again afterwards: the answer kept
    under A and B must not hold C's figures (its payees treated differently), which A's
    officer would be served once C has left."""
    with factory() as writer:
        # C's 2023 again, leaving out its £5,000 with Shared Coaches, which A and B cost
        # as land transport: a payee C treats differently
        make_run(
            writer,
            authority=writer.get_one(Authority, seed.c.id),
            fy_year=2023,
            supplier_ids=dict(seed.suppliers),
            lines=[Line("Shared Coaches", "5000.00", excluded=True)],
        )
        writer.commit()
    officer_a = viewer_of(seed.a.id, "officer")
    _once_after(
        monkeypatch, c, "aggregate_access_ids", lambda: _set_sharing_of(factory, seed.c.id, True)
    )
    with factory() as reader:
        c.collaboration(reader, officer_a, year=2023, top=50)
    _set_sharing_of(factory, seed.c.id, False)
    with factory() as reader:
        seen = c.collaboration(reader, officer_a, year=2023, top=50)
    assert seen.authorities == (seed.a.code, seed.b.code)
    assert seed.c.code not in str(seen.as_dict())


def test_compare_keeps_no_authority_outside_its_key(
    factory: sessionmaker[Session], seed: GroupSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """C opts in while A's officer's comparison is read (after the key named A and B) and
    out again before it is kept: the comparison kept under A and B must not hold C."""
    officer_a = viewer_of(seed.a.id, "officer")
    _once_after(
        monkeypatch,
        compare_memo,
        "aggregate_access_ids",
        lambda: _set_sharing_of(factory, seed.c.id, True),
    )
    _once_after(  # while the comparison is worked out
        monkeypatch,
        compare_service,
        "completeness_by_id",
        lambda: _set_sharing_of(factory, seed.c.id, False),
    )
    with factory() as reader:
        compare_memo.remembered_compare(reader, officer_a, 2023)
    with factory() as reader:
        seen = compare_memo.remembered_compare(reader, officer_a, 2023)
    assert [b.code for b in seen.authorities] == [seed.a.code, seed.b.code]
    assert seed.c.code not in str(seen.as_dict())
