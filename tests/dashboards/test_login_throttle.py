"""The log-in limit holds for tries made at the same moment (issue 15, finding 6): threads
sign in through ``dashboards.data.users.login`` against a real database (committed sessions, one
connection each), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, func, select

from dashboards.data import sessions
from dashboards.data.users import login
from tracker.db import make_session_factory
from tracker.models.users import LoginAttempt
from tracker.services.users import MAX_FAILURES_PER_EMAIL, LoginThrottled

THREADS = 12


@pytest.fixture
def committed_data(engine: Engine) -> Iterator[None]:
    previous = sessions._factory
    sessions.configure(make_session_factory(engine))
    yield
    sessions._factory = previous


def test_parallel_wrong_tries_cannot_exceed_the_limit(engine: Engine, committed_data: None) -> None:
    """Before, every try read the failure count before any had written its own, so 10-12 of
    12 parallel wrong tries had their password checked instead of 5."""
    email = f"target-{uuid.uuid4().hex[:8]}@example.org"
    start = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def try_once(i: int) -> None:
        start.wait()
        try:
            result = login(email, f"wrong guess number {i}", f"10.7.0.{i}")
            outcome = "checked" if result is None else "signed in"
        except LoginThrottled:
            outcome = "throttled"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=try_once, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert Counter(outcomes) == {
            "checked": MAX_FAILURES_PER_EMAIL,
            "throttled": THREADS - MAX_FAILURES_PER_EMAIL,
        }
        with engine.connect() as conn:
            recorded = conn.scalar(select(func.count()).where(LoginAttempt.email == email))
        assert recorded == MAX_FAILURES_PER_EMAIL
    finally:
        with engine.begin() as conn:
            conn.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
