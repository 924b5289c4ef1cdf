"""The key that signs session cookies.

``TRACKER_SECRET_KEY`` when set (production: the same value for every server process).
Otherwise a random key is generated once and kept in ``secret_key`` in the data home
(``TRACKER_HOME``), readable by its owner only (mode 0600), so that sessions survive a
restart of ``tracker serve`` or ``make demo``.

Whoever knows or guesses the key can sign a session cookie for any user, so a key must be
hard to guess, not only long (:func:`weakness`): at least 32 characters; not a pattern
repeated nor a run of the alphabet, digits or a keyboard row; no placeholder word such as
``secret`` or ``changeme`` and not a common password; and at least
:data:`MIN_ENTROPY_BITS` bits by the Shannon estimate of its own characters, which a key of
few, often repeated characters (``secret-key-xxxx…``) does not reach while every key made
by ``secrets.token_urlsafe(24)`` or longer does (32 random hexadecimal digits come to
about 116 bits, and fewer than 91 in none of 200,000 tries).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from tracker.domain.passwords import common_passwords
from tracker.domain.strength import is_a_run, repeats_a_pattern, shannon_bits
from tracker.errors import TrackerError

KEY_FILE = "secret_key"
MIN_LENGTH = 32
MIN_ENTROPY_BITS = 80
# Words of keys copied from examples and templates rather than generated.
PLACEHOLDER_WORDS = ("secret", "changeme", "change-me", "password", "example", "default")
HOW_TO_MAKE_ONE = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"


class WeakSecretKey(TrackerError, ValueError):
    """``TRACKER_SECRET_KEY`` is too easy to guess."""


def weakness(key: str) -> str | None:
    """Why ``key`` is too easy to guess to sign sessions with, or None when it is not."""
    if len(key) < MIN_LENGTH:
        return f"it must have at least {MIN_LENGTH} characters"
    if repeats_a_pattern(key) or is_a_run(key):
        return "it is a pattern repeated or a run of characters"
    folded = key.casefold()
    placeholder = next((word for word in PLACEHOLDER_WORDS if word in folded), None)
    if placeholder is not None:
        return f"it contains the placeholder word {placeholder!r}"
    if folded in common_passwords():
        return "it is a common password"
    bits = shannon_bits(key)
    if bits < MIN_ENTROPY_BITS:
        return (
            f"its characters carry about {bits:.0f} bits, fewer than {MIN_ENTROPY_BITS}: too "
            "few different characters, too often repeated"
        )
    return None


def check_secret_key(key: str) -> str:
    """``key``, or :class:`WeakSecretKey` saying why it may not sign sessions."""
    problem = weakness(key)
    if problem:
        raise WeakSecretKey(
            f"TRACKER_SECRET_KEY is too easy to guess: {problem}. Make one with {HOW_TO_MAKE_ONE}"
        )
    return key


def load_secret_key(home: Path, env_value: str | None) -> str:
    if env_value:
        return check_secret_key(env_value)
    path = home / KEY_FILE
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if weakness(key) is None:
            return key
        path.unlink()
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key
