"""Password hashing: scrypt with a salt, parameters stored in the hash, constant-time check."""

from __future__ import annotations

import base64
import hashlib

from tracker.domain import passwords
from tracker.domain.passwords import ScryptParams

FAST = ScryptParams(n=2**10, r=8, p=1)


def test_hash_verifies_and_wrong_password_does_not() -> None:
    encoded = passwords.hash_password("correct horse battery", FAST)
    assert passwords.verify_password("correct horse battery", encoded)
    assert not passwords.verify_password("correct horse batterY", encoded)
    assert not passwords.verify_password("", encoded)


def test_hash_is_salted_and_carries_its_parameters() -> None:
    a = passwords.hash_password("same password", FAST)
    b = passwords.hash_password("same password", FAST)
    assert a != b  # a fresh salt each time
    scheme, n, r, p, salt, key = a.split("$")
    assert (scheme, n, r, p) == ("scrypt", "1024", "8", "1")
    assert len(base64.b64decode(salt)) == 16
    # The stored key is RFC 7914 scrypt of the password with that salt and those parameters.
    expected = hashlib.scrypt(
        b"same password", salt=base64.b64decode(salt), n=1024, r=8, p=1, dklen=32
    )
    assert base64.b64decode(key) == expected


def test_default_cost_meets_the_owasp_minimum() -> None:
    # OWASP Password Storage Cheat Sheet: scrypt with N=2^15 (or more), r=8, p=1.
    assert ScryptParams(n=2**15, r=8, p=1) == passwords.DEFAULT
    encoded = passwords.hash_password("a default-cost password")
    assert encoded.startswith("scrypt$32768$8$1$")
    assert passwords.verify_password("a default-cost password", encoded)
    assert not passwords.needs_rehash(encoded)
    assert passwords.needs_rehash(passwords.hash_password("x" * 12, FAST))


def test_malformed_hashes_never_match() -> None:
    for bad in ("", "plain", "scrypt$3$8$1$AAAA$AAAA", "bcrypt$1$2$3$4$5", "scrypt$x$8$1$a$b"):
        assert not passwords.verify_password("anything", bad)
        assert passwords.needs_rehash(bad)


def test_over_long_passwords_are_refused_without_hashing() -> None:
    encoded = passwords.hash_password("p" * 20, FAST)
    assert not passwords.verify_password("p" * (passwords.MAX_LENGTH + 1), encoded)


def test_strength_rules() -> None:
    assert passwords.check_strength("short") is not None
    assert passwords.check_strength(" padded password ") is not None
    assert passwords.check_strength("long enough password") is None
