"""The current run of a year (the latest, by id) and the lock of a year, on both databases."""

from __future__ import annotations

import pytest
from factories import Line, make_authority, make_factor_set, make_run
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Authority, InventoryRun, PeriodLock
from tracker.queries.current import current_run, current_run_ids, lock_of


def _runs(session: Session) -> tuple[Authority, Authority, list[InventoryRun]]:
    f = make_factor_set(session, factors={"62": ("Computer programming services", "0.1")})
    a = make_authority(session, code="AAA", name="Alpha Council")
    b = make_authority(session, code="BBB", name="Beta Council")
    line = [Line("Acme IT", "100.00", "10", f["62"])]
    runs = [
        make_run(session, authority=a, fy_year=2021, lines=line),  # superseded
        make_run(session, authority=a, fy_year=2021, lines=line),
        make_run(session, authority=a, fy_year=2022, lines=line),
        make_run(session, authority=b, fy_year=2021, lines=line),
    ]
    return a, b, runs


def test_the_current_run_is_the_latest_of_its_year(session: Session) -> None:
    a, b, runs = _runs(session)
    assert current_run(session, a.id, 2021) is runs[1]
    assert current_run(session, a.id, 2022) is runs[2]
    assert current_run(session, b.id, 2021) is runs[3]
    assert current_run(session, b.id, 2022) is None


@pytest.mark.parametrize(
    ("authorities", "year", "expected"),
    [
        (None, None, [1, 2, 3]),
        ("a", None, [1, 2]),
        ("a", 2021, [1]),
        (None, 2021, [1, 3]),
        ("", None, []),
    ],
)
def test_current_run_ids_are_scoped_by_authority_and_year(
    session: Session, authorities: str | None, year: int | None, expected: list[int]
) -> None:
    a, _, runs = _runs(session)
    ids = None if authorities is None else ([a.id] if authorities else [])
    got = sorted(session.scalars(current_run_ids(ids, year)))
    assert got == sorted(runs[i].id for i in expected)
    # As a subquery to join on (its column is run_id).
    latest = current_run_ids(ids, year).subquery()
    joined = session.scalars(
        select(InventoryRun.id).join(latest, latest.c.run_id == InventoryRun.id)
    )
    assert sorted(joined) == got


def test_lock_of_a_year(session: Session) -> None:
    a, b, runs = _runs(session)
    assert lock_of(session, a.id, 2021) is None
    lock = PeriodLock(authority_id=a.id, fy_year=2021, run_id=runs[1].id, locked_by="t", reason="r")
    session.add(lock)
    session.flush()
    assert lock_of(session, a.id, 2021) is lock
    assert lock_of(session, a.id, 2022) is None
    assert lock_of(session, b.id, 2021) is None
