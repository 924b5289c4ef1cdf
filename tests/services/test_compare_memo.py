"""compare kept between calls (tracker.services.compare_memo): the same answer as compare,
kept while nothing it reads changes, a fresh one as soon as anything does, and never one
viewer's answer for another who sees other authorities. On factories.seed_group."""

from __future__ import annotations

from decimal import Decimal

import pytest
from factories import GroupSeed, Line, make_authority, make_run, seed_group
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tracker import migrate
from tracker.access import Viewer
from tracker.db import make_engine, make_session_factory
from tracker.domain.benchmark import mix_shares
from tracker.domain.categories import broad_group
from tracker.models import (
    Authority,
    FactorSet,
    LineEmission,
    RunCompareFigures,
    SpendLine,
    Target,
    YearConfirmation,
)
from tracker.services import compare as compare_service
from tracker.services.compare import Comparison, compare
from tracker.services.compare_memo import remembered_compare, same_snapshot, snapshot_mark

ZERO = Decimal(0)
ADMIN = Viewer(user_id=None, email="admin@example.org", role="admin", authority_id=None)


def viewer_of(authority_id: int) -> Viewer:
    return Viewer(user_id=None, email="v@example.org", role="viewer", authority_id=authority_id)


@pytest.fixture
def seed(session: Session) -> GroupSeed:
    return seed_group(session)


def fresh(session: Session, viewer: Viewer = ADMIN) -> Comparison:
    """The remembered answer, checked against a fresh compare."""
    kept = remembered_compare(session, viewer, 2023)
    assert kept.as_dict() == compare(session, viewer, year=2023).as_dict()
    return kept


def test_kept_while_nothing_changes(session: Session, seed: GroupSeed) -> None:
    first = fresh(session)
    assert remembered_compare(session, ADMIN, 2023) is first
    assert remembered_compare(session, ADMIN, 2022) is not first  # another year


def test_each_change_compare_reads_gives_a_fresh_answer(session: Session, seed: GroupSeed) -> None:
    seen = [fresh(session)]

    def changed() -> None:
        session.flush()
        answer = fresh(session)
        assert all(answer is not earlier for earlier in seen)
        seen.append(answer)

    seed.a.population = 200_000  # per resident, without a new run
    changed()
    target = session.scalars(select(Target).where(Target.authority_id == seed.a.id)).one()
    target.reduction_pct = Decimal("40")  # progress
    changed()
    confirmation = session.get(YearConfirmation, (seed.c.id, 2023))
    assert confirmation is not None
    session.delete(confirmation)  # C's 2023 is a part year again
    changed()
    make_run(session, authority=seed.c, fy_year=2023, lines=[Line("C Parks", "700.00", "70")])
    changed()  # a new current run (and batch)
    assert {b.code: b.run.total_spend for b in seen[-1].authorities}[seed.c.code] == Decimal(700)


def test_viewers_who_see_other_authorities_never_share(session: Session, seed: GroupSeed) -> None:
    admin = fresh(session)
    of_a, of_c = fresh(session, viewer_of(seed.a.id)), fresh(session, viewer_of(seed.c.id))
    codes = [{b.code for b in r.authorities} & {seed.a.code, seed.b.code, seed.c.code}
             for r in (admin, of_a, of_c)]  # fmt: skip
    assert codes == [
        {seed.a.code, seed.b.code, seed.c.code},
        {seed.a.code, seed.b.code},  # B shares its figures; C does not
        {seed.b.code, seed.c.code},
    ]


def test_run_figures_equal_the_lines(session: Session, seed: GroupSeed) -> None:
    """compare reads each run's mix, methods and factor sets from its one row of figures
    (run_compare_figures): they equal the same figures worked out here from the year's
    line emissions (kgCO2e of classified lines per broad group, classified spend per
    method, factor sets of the lines), after a new run for C too; and a comparison with the
    rows missing (summed from the category rows instead) is the same answer."""
    make_run(session, authority=seed.c, fy_year=2023, lines=[Line("C Parks", "700.00", "70")])
    session.flush()
    answer = compare(session, ADMIN, year=2023)
    assert answer.authorities
    for b in answer.authorities:
        le, sl = LineEmission, SpendLine
        lines = session.execute(
            select(le.status, le.category_code, le.method, le.factor_set_id, sl.amount, le.kgco2e)
            .join(sl, sl.id == le.spend_line_id)
            .where(le.run_id == b.run.run_id)
        ).all()
        kg: dict[str, Decimal] = {}
        spend: dict[str, Decimal] = {}
        for status, code, method, _, amount, kgco2e in lines:
            if status == "mapped":
                spend[method or "unknown"] = spend.get(method or "unknown", ZERO) + amount
                if code is not None:
                    kg[broad_group(code)] = kg.get(broad_group(code), ZERO) + kgco2e
        total = sum(spend.values(), ZERO)
        methods = sorted(((m, s / total) for m, s in spend.items()), key=lambda i: (-i[1], i[0]))
        sets = {session.get(FactorSet, i) for *_, i, _, _ in lines if i is not None}
        assert b.mix == mix_shares(kg)
        assert b.methods == tuple(methods)
        assert b.factor_sets == tuple(
            sorted((f.family, f.edition, f.data_year) for f in sets if f is not None)
        )
    mix = {b.code: b.mix for b in answer.authorities}
    assert mix[seed.c.code] == ()  # C Parks has no category: nothing classified
    session.execute(delete(RunCompareFigures))
    assert compare(session, ADMIN, year=2023).as_dict() == answer.as_dict()  # kept by run
    compare_service._RUN_FIGURES.clear()
    assert compare(session, ADMIN, year=2023).as_dict() == answer.as_dict()  # category rows


def test_run_figures_kept_by_run_give_the_fresh_answer(session: Session, seed: GroupSeed) -> None:
    """compare keeps each run's mix, methods and factor sets (compare._RUN_FIGURES): after a
    new run for C, A's and B's come from the memo, C's from its new row of figures."""
    compare(session, ADMIN, year=2023)
    make_run(session, authority=seed.c, fy_year=2023, lines=[Line("C Parks", "700.00", "70")])
    session.flush()
    kept = compare(session, ADMIN, year=2023).as_dict()
    compare_service._RUN_FIGURES.clear()
    assert kept == compare(session, ADMIN, year=2023).as_dict()
    mix = {a["authority"]: a["category_mix"] for a in kept["authorities"]}
    assert mix[seed.c.code] == []  # C Parks has no category: nothing classified


def test_snapshot_mark_tells_whether_reads_saw_one_state(private_db_url: str) -> None:
    """remembered_compare keeps an answer without reading its key again only when its
    reads shared one snapshot: on SQLite one transaction sees one state even while another
    session commits; on PostgreSQL each read sees the latest commits, and a commit in
    between is told by the server's snapshot."""
    engine = make_engine(private_db_url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    with factory() as writer:
        code = make_authority(writer, population=1_000).code
        writer.commit()
    population = select(Authority.population).where(Authority.code == code)
    try:
        with factory() as reader:
            mark = snapshot_mark(reader)
            assert mark is not None
            assert reader.scalar(population) == 1_000
            with factory() as writer:
                writer.execute(
                    update(Authority).where(Authority.code == code).values(population=2_000)
                )
                writer.commit()
            if engine.dialect.name == "sqlite":  # the same transaction: the state first read
                assert reader.scalar(population) == 1_000
                assert same_snapshot(reader, mark)
                reader.commit()  # a new transaction: not the one marked
                assert reader.scalar(population) == 2_000
                assert not same_snapshot(reader, mark)
            else:  # a later read sees the commit, and the snapshot tells it
                assert reader.scalar(population) == 2_000
                assert not same_snapshot(reader, mark)
    finally:
        engine.dispose()
