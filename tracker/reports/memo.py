"""A per-value cache for the large sheets' text columns, whose values repeat a lot."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(dict[K, V], Generic[K, V]):
    """``memo[key]`` is ``fn(key)``, worked out once per distinct key.

    A column of 200,000 lines holds a few hundred distinct file names, statuses or
    categories, so most look-ups are hits; the cache starts afresh past ``limit`` keys
    to stay small on columns of unique values.
    """

    def __init__(self, fn: Callable[[K], V], limit: int = 50_000) -> None:
        super().__init__()
        self.fn = fn
        self.limit = limit

    def __missing__(self, key: K) -> V:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.fn(key)
        return value
