"""Password hashing: salted scrypt (RFC 7914) from the standard library.

A hash is stored as ``scrypt$<n>$<r>$<p>$<salt b64>$<key b64>`` so that its parameters
travel with it: raising the cost later leaves old hashes verifiable, and
:func:`needs_rehash` says when one should be replaced at the next successful log-in.

The default cost (n = 2**15, r = 8, p = 1) takes 32 MiB and a few tens of milliseconds per
check, which is OWASP's recommended minimum for scrypt.

A new password (:func:`check_strength`, OWASP ASVS 2.1.1 and 2.1.7) has at least 12
characters and is not guessable: not one of the 30,000 most common passwords (the shipped
``tracker/data/common-passwords.txt``), nor one with only digits or symbols added before or
after; not a pattern repeated nor a run of the alphabet, digits or a keyboard row; and it
does not contain the user's e-mail address, the part before the ``@`` (when it has four or
more letters and digits) or the product's name. Pure functions; no database (the list is
read once from the package).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tracker import PRODUCT_NAME
from tracker.domain.strength import is_a_run, repeats_a_pattern

SCHEME = "scrypt"
SALT_BYTES = 16
KEY_BYTES = 32
MIN_LENGTH = 12
MAX_LENGTH = 1024  # a bound on the work one log-in attempt can cause
COMMON_PASSWORDS = "common-passwords.txt"  # in the tracker.data package
# Names of the product a user might build a password from, besides their own e-mail.
PRODUCT_WORDS = (PRODUCT_NAME, "netzero-tracker")
MIN_CONTEXT_CHARS = 4  # shorter parts of an e-mail are refused only as the whole password


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


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, in lower case."""
    text = resources.files("tracker.data").joinpath(COMMON_PASSWORDS).read_text("utf-8")
    return frozenset(ln for ln in text.splitlines() if ln and not ln.startswith("#"))


def _letters_and_digits(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _core(folded: str) -> str:
    """``folded`` without the digits, spaces and symbols before its first letter and after
    its last (``2024password!!`` → ``password``)."""
    letters = [i for i, c in enumerate(folded) if c.isalpha()]
    return folded[letters[0] : letters[-1] + 1] if letters else ""


def check_strength(password: str, *, email: str = "") -> str | None:
    """Why ``password`` is not acceptable as a new password of the user with ``email``, or
    None when it is."""
    if len(password) < MIN_LENGTH:
        return f"a password needs at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"a password may have at most {MAX_LENGTH} characters"
    if password.strip() != password:
        return "a password may not start or end with spaces"
    if repeats_a_pattern(password):
        return "it is one character or a short pattern repeated"
    if is_a_run(password):
        return "it is a run of the alphabet, the digits or a keyboard row"
    folded = password.casefold()
    common = common_passwords()
    if folded in common or _core(folded) in common:
        return "it is a commonly used password (adding digits or symbols does not change that)"
    return _context_problem(password, email)


def _context_problem(password: str, email: str) -> str | None:
    plain = _letters_and_digits(password)
    local = email.partition("@")[0]
    own: Iterable[tuple[str, str]] = (
        *((word, "the name of this product") for word in PRODUCT_WORDS),
        (email, "your e-mail address"),
        (local, "your e-mail address"),
    )
    for word, what in own:
        needle = _letters_and_digits(word)
        if needle and (plain == needle or (len(needle) >= MIN_CONTEXT_CHARS and needle in plain)):
            return f"it contains {what}"
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
