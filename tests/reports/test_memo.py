"""The per-value cache of the large sheets' text columns (tracker.reports.memo)."""

from __future__ import annotations

from tracker.reports.memo import Memo


def test_each_key_is_worked_out_once_and_the_cache_stays_small() -> None:
    calls: list[str] = []

    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    memo: Memo[str, str] = Memo(upper, limit=2)
    assert [memo[k] for k in ("a", "b", "a", "b")] == ["A", "B", "A", "B"]
    assert calls == ["a", "b"]
    assert memo["c"] == "C" and len(memo) == 1  # full at two keys: started afresh
    assert memo["a"] == "A" and calls == ["a", "b", "c", "a"]
