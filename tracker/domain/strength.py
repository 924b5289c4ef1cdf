"""Tests of how guessable a secret is, shared by the password policy and the check of the
key that signs session cookies. Pure functions.

They find what a length rule lets through: one character or a short pattern repeated
(``aaaaaaaaaaaa``, ``abcabcabcabc``) and runs along the alphabet, the digits or a keyboard
row (``abcdefghijkl``, ``123456789012``, ``qwertyuiopas``), in either direction.
"""

from __future__ import annotations

import math
from collections import Counter

# Runs a person types without thinking: the alphabet, the digits and the rows of a QWERTY
# keyboard, each read round and round (…890123…) and backwards too.
RUNS = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiopasdfghjklzxcvbnm",  # row after row
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
)


def repeats_a_pattern(text: str) -> bool:
    """Whether ``text`` is a shorter piece said at least twice (the last time perhaps cut
    short): ``aaaa``, ``abab``, ``abcabcab``."""
    for size in range(1, len(text) // 2 + 1):
        unit = text[:size]
        if (unit * (len(text) // size + 1))[: len(text)] == text:
            return True
    return False


def is_a_run(text: str) -> bool:
    """Whether ``text`` (ignoring case) is a stretch of one of :data:`RUNS`, forwards or
    backwards, going round the end as often as needed."""
    folded = text.casefold()
    if len(folded) < 2:
        return False
    for run in RUNS:
        for direction in (run, run[::-1]):
            laps = direction * (len(folded) // len(direction) + 2)
            if folded in laps:
                return True
    return False


def shannon_bits(text: str) -> float:
    """The Shannon entropy of ``text``'s own character frequencies times its length: an
    upper bound on its information that is low for text of few, often repeated characters
    (``aaaa…`` has 0 bits; 32 random hexadecimal digits about 116)."""
    if not text:
        return 0.0
    n = len(text)
    return -sum(c * math.log2(c / n) for c in Counter(text).values())
