"""tracker.storage.memo.drawn_once: a drawing kept per source object, by identity."""

from __future__ import annotations

from tracker.storage.memo import Memo, drawn_once


class Answer:
    """An answer that compares equal to any other: only identity may pick a kept drawing."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Answer)

    __hash__ = object.__hash__


def test_drawn_once_per_object_and_never_for_an_equal_other() -> None:
    memo: Memo[tuple[Answer, list[str]]] = Memo(size=4)
    calls: list[Answer] = []

    def draw(answer: Answer) -> list[str]:
        calls.append(answer)
        return [f"drawing {len(calls)}"]

    first, other = Answer(), Answer()
    assert drawn_once(memo, first, draw) == ["drawing 1"]
    assert drawn_once(memo, first, draw) == ["drawing 1"]
    assert drawn_once(memo, other, draw) == ["drawing 2"]
    assert calls == [first, other] and calls[0] is first and calls[1] is other
    # a copy of the list each time: a caller changing it changes nothing kept
    drawn_once(memo, first, draw).append("changed")
    assert drawn_once(memo, first, draw) == ["drawing 1"]
