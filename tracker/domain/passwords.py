"""Password hashing: salted scrypt (RFC 7914) from the standard library.

A hash is stored as ``scrypt$<n>$<r>$<p>$<salt b64>$<key b64>`` so that its parameters
travel with it: raising the cost later leaves old hashes verifiable, and
:func:`needs_rehash` says when one should be replaced at the next successful log-in.

The default cost (n = 2**15, r = 8, p = 1) takes 32 MiB and a few tens of milliseconds per
check, which is OWASP's recommended minimum for scrypt. Pure functions; no database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

SCHEME = "scrypt"
SALT_BYTES = 16
KEY_BYTES = 32
MIN_LENGTH = 10
MAX_LENGTH = 1024  # a bound on the work one log-in attempt can cause


@dataclass(frozen=True)
class ScryptParams:
    n: int = 2**15
    r: int = 8
    p: int = 1

    @property
    def maxmem(self) -> int:
        """Memory scrypt needs (128·n·r bytes) with room to spare."""
        return 256 * self.n * self.r * self.p + 1024 * 1024


DEFAULT = ScryptParams()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _derive(password: str, salt: bytes, params: ScryptParams) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=params.n,
        r=params.r,
        p=params.p,
        maxmem=params.maxmem,
        dklen=KEY_BYTES,
    )


def check_strength(password: str) -> str | None:
    """Why ``password`` is not acceptable as a new password, or None when it is."""
    if len(password) < MIN_LENGTH:
        return f"a password needs at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"a password may have at most {MAX_LENGTH} characters"
    if password.strip() != password:
        return "a password may not start or end with spaces"
    return None


def hash_password(password: str, params: ScryptParams = DEFAULT) -> str:
    """A new salted hash of ``password`` (a fresh random salt every time)."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, params)
    return f"{SCHEME}${params.n}${params.r}${params.p}${_b64(salt)}${_b64(key)}"


def _parse(encoded: str) -> tuple[ScryptParams, bytes, bytes] | None:
    parts = encoded.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return None
    try:
        params = ScryptParams(n=int(parts[1]), r=int(parts[2]), p=int(parts[3]))
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    if params.n < 2 or params.n & (params.n - 1) or params.r < 1 or params.p < 1:
        return None
    return params, salt, key


def verify_password(password: str, encoded: str) -> bool:
    """Whether ``password`` matches ``encoded``; compares in constant time. A malformed hash
    or an over-long password never matches."""
    parsed = _parse(encoded)
    if parsed is None or len(password) > MAX_LENGTH:
        return False
    params, salt, key = parsed
    return hmac.compare_digest(_derive(password, salt, params), key)


def needs_rehash(encoded: str, params: ScryptParams = DEFAULT) -> bool:
    parsed = _parse(encoded)
    return parsed is None or parsed[0] != params


# A hash of a random password, checked against when the e-mail is unknown so that an
# unknown address takes as long to refuse as a wrong password (no account enumeration).
_DUMMY: list[str] = []


def dummy_verify(password: str) -> None:
    if not _DUMMY:
        _DUMMY.append(hash_password(secrets.token_urlsafe(16)))
    verify_password(password, _DUMMY[0])
