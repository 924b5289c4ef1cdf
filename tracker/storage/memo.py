"""A small keyed memo: results kept in this process under a key that names everything they
were worked out from, so a changed input is a new key and never a stale answer.

The caller builds the key; it must hold the database (``database_key``) and every input the
value depends on. Entries are dropped least recently used first, beyond ``size``; the memo
is safe to share between the threads of a server worker.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

V = TypeVar("V")
S = TypeVar("S")


class Memo(Generic[V]):
    """A thread-safe, size-bounded map of keys to values, least recently used dropped first."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("a memo holds at least one entry")
        self.size = size
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def database_key(session: Session) -> str:
    """The database a session reads (its URL, password hidden), for a memo's key: two
    databases never share an entry."""
    return session.get_bind().engine.url.render_as_string(hide_password=True)


def drawn_once(
    memo: Memo[tuple[S, list[V]]],
    source: S,
    draw: Callable[[S], list[V]],
    *,
    also: Hashable = (),
) -> list[V]:
    """``draw(source)``, worked out once per ``source`` object (kept by its identity: for
    an answer that a memo hands out again, unchanged, while its inputs stand) and per
    ``also`` (anything else the drawing depends on). The memo holds the object, so its id
    is not reused while the entry lives; a copy of the list is returned."""
    key = (id(source), also)
    kept = memo.get(key)
    if kept is not None and kept[0] is source:
        return list(kept[1])
    value = draw(source)
    memo.put(key, (source, value))
    return list(value)
