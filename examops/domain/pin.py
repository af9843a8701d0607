"""The chief proctor's PIN: stored only as a salted, deliberately slow scrypt hash; weak PINs refused; guesses slowed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

# scrypt cost: about 50 ms here, slow enough to make guessing a 6-digit PIN expensive offline.
_N, _R, _P = 2**14, 8, 1

FREE_GUESSES = 5
"""Wrong PINs in a row before each further try must wait."""
MAX_DELAY_SECONDS = 15 * 60


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


def digest_for(pin: str, salted: str) -> str | None:
    """The base64 digest of `pin` under a stored hash's `scrypt$N$r$p$salt` (a lane that may not read the hash sends it)."""
    try:
        scheme, n, r, p, salt_b64 = salted.split("$")
    except (AttributeError, ValueError):
        return None
    if scheme != "scrypt":
        return None
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=base64.b64decode(salt_b64), n=int(n), r=int(r), p=int(p), dklen=32)
    return base64.b64encode(digest).decode()


def _runs_by_one(digits: str) -> bool:
    steps = {int(b) - int(a) for a, b in zip(digits, digits[1:])}
    return steps in ({1}, {-1})


def pin_problem(pin: str) -> str | None:
    """A code saying why a PIN is too easy to guess to protect approvals, or None.

    Codes: "short" (fewer than 4 characters), "repeated" (one character over and over),
    "sequence" (digits counting up or down, 1234, 9876), "common" (a PIN everyone tries).
    """
    if len(pin) < 4:
        return "short"
    if len(set(pin)) == 1:
        return "repeated"
    if pin.isdigit() and _runs_by_one(pin):
        return "sequence"
    if pin in COMMON_PINS:
        return "common"
    return None


COMMON_PINS = frozenset({"1212", "1122", "1313", "2580", "0852", "1004", "2000", "6969", "1010", "2468", "1379", "0007",
                         "123123", "112233", "121212", "520520", "5201314", "147258", "159357", "888666"})


def delay_after(refused_in_row: int) -> int:
    """Seconds a try must wait after `refused_in_row` wrong PINs: none for the first few, then doubling."""
    if refused_in_row < FREE_GUESSES:
        return 0
    return min(MAX_DELAY_SECONDS, 2 ** (refused_in_row - FREE_GUESSES + 1))
