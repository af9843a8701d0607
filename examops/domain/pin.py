"""The chief proctor's PIN: stored only as a salted, deliberately slow scrypt hash."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

# scrypt cost: about 50 ms here, slow enough to make guessing a 6-digit PIN expensive offline.
_N, _R, _P = 2**14, 8, 1


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "scrypt$%d$%d$%d$%s$%s" % (_N, _R, _P, base64.b64encode(salt).decode(), base64.b64encode(digest).decode())


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    salt = base64.b64decode(salt_b64)
    expected = base64.b64decode(digest_b64)
    actual = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected))
    return hmac.compare_digest(actual, expected)


def pin_problem(pin: str) -> str | None:
    """Why a PIN is too weak to protect approvals, or None."""
    if len(pin) < 4:
        return "the PIN needs at least 4 characters"
    return None
