"""Writes handed to a thread (tracker.reports.background)."""

from __future__ import annotations

import pytest

from tracker.reports.background import background_writes


def test_every_write_is_done_in_order_by_the_end_of_the_block() -> None:
    written: list[bytes] = []
    with background_writes(written.append, depth=1) as write:
        for i in range(50):
            write(b"%d," % i)
    assert b"".join(written) == b",".join(b"%d" % i for i in range(50)) + b","


def test_a_failed_write_is_raised_in_the_caller() -> None:
    def fail_at_three(data: bytes) -> None:
        if data == b"3":
            raise OSError("disk full")

    with (
        pytest.raises(OSError, match="disk full"),
        background_writes(fail_at_three, depth=1) as write,
    ):
        for i in range(1000):
            write(b"%d" % i)
