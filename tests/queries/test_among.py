"""``among``: an id filter whose statement is compiled once and reused with other ids, on
both databases (one array parameter on PostgreSQL, ``IN`` elsewhere)."""

from __future__ import annotations

from factories import make_authority
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tracker.models import Authority
from tracker.queries.sql import among


def _codes(session: Session, ids: list[int]) -> list[str]:
    stmt = select(Authority.code).where(among(Authority.id, ids)).order_by(Authority.code)
    return list(session.scalars(stmt))


def test_each_call_filters_by_its_own_ids(session: Session) -> None:
    ids = {c: make_authority(session, code=c, name=f"{c} Council").id for c in "ABCD"}
    session.flush()
    # the same statement shape four times: a cached compilation must take each call's ids
    assert _codes(session, [ids["A"], ids["C"]]) == ["A", "C"]
    assert _codes(session, [ids["B"]]) == ["B"]
    assert _codes(session, [ids["D"], ids["B"], ids["A"]]) == ["A", "B", "D"]
    assert _codes(session, []) == []
    assert _codes(session, list(ids.values())) == ["A", "B", "C", "D"]


def test_the_statement_text_does_not_grow_with_the_ids_on_postgresql(session: Session) -> None:
    ids = [make_authority(session, code=f"X{i}", name=f"X{i}").id for i in range(30)]
    session.flush()
    sent: list[str] = []

    def keep(conn: object, cursor: object, statement: str, *args: object) -> None:
        sent.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", keep)
    try:
        assert len(_codes(session, ids[:2])) == 2
        assert len(_codes(session, ids)) == 30
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    if engine.dialect.name == "postgresql":
        assert sent[0] == sent[1]
        assert "ANY" in sent[0]
    else:
        assert len(sent[1]) > len(sent[0])  # IN (?, ?, …): one placeholder per id
