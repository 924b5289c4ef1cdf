"""Hand a stream's writes to a thread, so that compressing and writing the large sheet
(zlib and file writes release the GIL) overlap with building its XML."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from queue import Queue


@contextmanager
def background_writes(
    write: Callable[[bytes], object], *, depth: int = 4
) -> Iterator[Callable[[bytes], None]]:
    """A function that queues ``data`` for ``write`` in a thread (at most ``depth`` waiting).

    Every queued write is done, in order, before the block ends; an error in ``write``
    is raised in the caller, at its next write or at the end of the block.
    """
    queue: Queue[bytes | None] = Queue(maxsize=depth)
    failures: list[BaseException] = []

    def drain() -> None:
        while (data := queue.get()) is not None:
            if failures:
                continue  # keep emptying the queue so that the caller never blocks
            try:
                write(data)
            except BaseException as exc:  # handed to the caller
                failures.append(exc)

    def put(data: bytes) -> None:
        if failures:
            raise failures[0]
        queue.put(data)

    thread = threading.Thread(target=drain, name="background-writes", daemon=True)
    thread.start()
    try:
        yield put
    finally:
        queue.put(None)
        thread.join()
    if failures:
        raise failures[0]
