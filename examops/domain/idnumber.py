"""Chinese resident identity numbers (GB 11643-1999): normalise, check, upgrade, mask.

Semantics follow python-stdnum's ``stdnum.cn.ric`` (format, birth date, check
character) but without its per-call cost, and an unknown area code is only a
warning: area codes change over the years and a table is no proof.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
from dataclasses import dataclass
from enum import Enum

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

# Province-level prefixes (first two digits) in use since 1984; a full county
# table is deliberately not shipped, see module docstring.
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)

_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


class IdError(Enum):
    """Why a number is not a valid resident ID; values are stable machine names."""

    FORMAT = "invalid-format"
    BIRTH_DATE = "invalid-component"
    CHECKSUM = "invalid-checksum"


@dataclass(frozen=True, slots=True)
class IdCheck:
    """Outcome of checking one number: the normalised 18-char form, or an error."""

    number: str
    error: IdError | None = None
    unknown_region: bool = False
    upgraded_from_15: bool = False

    @property
    def valid(self) -> bool:
        return self.error is None


def clean(raw: str) -> str:
    """NFKC, drop every kind of whitespace and zero-width character, upper-case x."""
    text = unicodedata.normalize("NFKC", raw)
    return "".join(ch for ch in text if not ch.isspace() and ch not in _INVISIBLE).upper()


def check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


def upgrade15(number15: str) -> str:
    """A 15-digit (GB 11643-1989) number as its 18-character form."""
    body = number15[:6] + "19" + number15[6:]
    return body + check_char(body)


def _birth_date_ok(yyyymmdd: str, today: _dt.date | None) -> bool:
    try:
        born = _dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return today is None or born <= today


def check(raw: str, today: _dt.date | None = None) -> IdCheck:
    """Check a number as a clerk typed or a scanner read it."""
    number = clean(raw)
    upgraded = False
    if not number.isascii():  # str.isdigit() accepts other scripts' digits
        return IdCheck(number, IdError.FORMAT)
    if len(number) == 15 and number.isdigit():
        number = upgrade15(number)
        upgraded = True
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return IdCheck(number, IdError.FORMAT)
    if not _birth_date_ok(number[6:14], today):
        return IdCheck(number, IdError.BIRTH_DATE, upgraded_from_15=upgraded)
    if check_char(number[:17]) != number[17]:
        return IdCheck(number, IdError.CHECKSUM, upgraded_from_15=upgraded)
    return IdCheck(
        number,
        None,
        unknown_region=number[:2] not in PROVINCE_PREFIXES,
        upgraded_from_15=upgraded,
    )


def looks_like_id(text: str) -> bool:
    """True when text has the shape of an 18-char ID (17 digits + digit/X)."""
    return len(text) == 18 and text[:17].isdigit() and text[17] in "0123456789X"


def sex_of(number: str) -> str | None:
    """'M' or 'F' from the sequence digit of an 18-char number, else None."""
    if len(number) == 18 and number[16].isdigit():
        return "M" if int(number[16]) % 2 else "F"
    return None


def mask(number: str | None) -> str:
    """Mask for screens and bureau reports: first 6 and last 4 kept."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
