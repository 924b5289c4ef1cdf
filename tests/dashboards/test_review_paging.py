"""The review queue in pages: "showing N of M", Previous and Next, and the same groups in
the same order whether read whole or a page at a time (issue 16, review and forms)."""

from __future__ import annotations

import pytest
from dash_seed_data import SeedUsers
from dash_tree import text
from factories import DashSeed
from sqlalchemy.orm import Session

from dashboards import ids
from dashboards.callbacks.review import queue_page, turn_page
from dashboards.data import review as review_data
from tracker.services.reference import load_shipped_reference_data


@pytest.fixture(autouse=True)
def _shipped_factors(session: Session) -> None:
    load_shipped_reference_data(session)


def _key(r: review_data.ReviewRow) -> tuple[object, ...]:
    return (r.supplier, r.expense_type, r.status, r.spend)


@pytest.mark.parametrize("rank", ["spend", "tonnes"])
def test_pages_add_up_to_the_whole_queue(
    dash_seed: DashSeed, users: SeedUsers, monkeypatch: pytest.MonkeyPatch, rank: str
) -> None:
    officer = users.viewer(users.alpha_officer)
    alpha = dash_seed.alpha.code
    whole = review_data.review_queue(officer, alpha, 2023, rank)
    total = len(whole.rows)
    assert total >= 3, "the seed needs at least three review groups to page"
    assert whole.total == total and whole.showing() == f"Showing all {total} groups"

    monkeypatch.setattr(review_data, "QUEUE_LIMIT", 2)
    pages = []
    for page in range((total + 1) // 2):
        queue = review_data.review_queue(officer, alpha, 2023, rank, page)
        assert queue.total == total and queue.page == page
        first, last = 2 * page + 1, 2 * page + len(queue.rows)
        assert queue.showing() == f"Showing {first}–{last} of {total} groups"
        assert queue.has_next == (last < total)
        pages.extend(queue.rows)
    assert [_key(r) for r in pages] == [_key(r) for r in whole.rows]

    # a page past the end (the queue shrank since it was read) shows the last page
    beyond = review_data.review_queue(officer, alpha, 2023, rank, 99)
    assert beyond.rows and not beyond.has_next and beyond.page == (total - 1) // 2
    # what the browser may send instead of a page number reads as the first page
    for bogus in (-1, "2", [1], None, True):
        assert review_data.review_queue(officer, alpha, 2023, rank, bogus).page == 0


def test_queue_page_says_what_is_shown_and_which_buttons_work(
    dash_seed: DashSeed, users: SeedUsers, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = users.viewer(users.alpha_officer)
    alpha = dash_seed.alpha.code
    monkeypatch.setattr(review_data, "QUEUE_LIMIT", 2)
    table, page, prev_off, next_off = queue_page(officer, alpha, 2023, "spend", 0)
    assert page == 0 and prev_off and not next_off
    assert "Showing 1–2 of" in text(table)
    _table, page, prev_off, next_off = queue_page(officer, alpha, 2023, "spend", 1)
    assert page == 1 and not prev_off
    _msg, page, prev_off, next_off = queue_page(officer, None, 2023)
    assert (page, prev_off, next_off) == (0, True, True)


@pytest.mark.parametrize(
    ("trigger", "page", "expected"),
    [
        (ids.REVIEW_NEXT, 0, 1),
        (ids.REVIEW_NEXT, 3, 4),
        (ids.REVIEW_PREV, 3, 2),
        (ids.REVIEW_PREV, 0, 0),
        (ids.REVIEW_REFRESH, 3, 3),  # after accepting or adding a rule: stay
        (ids.YEAR_PICKER, 3, 0),  # a new year, authority or order starts again
        (ids.REVIEW_RANK, 3, 0),
        (ids.REVIEW_NEXT, "7", 1),  # not a page number: from the first
        (ids.REVIEW_PREV, None, 0),
    ],
)
def test_turn_page(trigger: str, page: object, expected: int) -> None:
    assert turn_page(trigger, page) == expected
