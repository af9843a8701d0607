"""Roster cell values: cleaning, rooms, seats, ID shapes (pure Python, used by the roster parser).

Clerks type the same value many ways (full-width digits, stray and invisible
spaces, 第1考场 for room 001); these functions give the one spelling the store
keeps, cheaply enough to run on 200k rows.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from functools import lru_cache

from examops.domain import idnumber

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u180e"
_DROP_INVISIBLE = dict.fromkeys(
    [ord(c) for c in _ZERO_WIDTH] + [c for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if not chr(c).isspace()]
)
_BLANKS = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000" + _ZERO_WIDTH
_CJK_CLASS = r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"


@lru_cache(maxsize=1)
def _cjk() -> re.Pattern[str]:
    """Compiled on first use: its astral range takes re ~5 ms to compile, paid otherwise by every process that parses
    a plan (a one-shot `examops check` among them) though only a roster's names need it."""
    return re.compile(_CJK_CLASS)


def __getattr__(name: str) -> object:
    if name == "_CJK":  # for a module that imports it by name (domain.roster): compiled then
        return _cjk()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d*)?E[+-]?\d+", re.IGNORECASE)
_ROOM_WORDS = ("考场", "试室", "考室", "第", "号")
_ROOM_DECORATED = re.compile(r"^第?(.+?)号?(?:考场|试室|考室)$|^(?:考场|试室|考室)(.+?)号?$")
_NUMBER_LIKE = re.compile(r"\d{6,}X?")
_SEAT_DECORATED = re.compile(r"^第?(\d+)(?:号|座|号座)?$")
_SEX_WORDS = {"男": "M", "m": "M", "male": "M", "1": "M", "女": "F", "f": "F", "female": "F", "2": "F"}
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ID_CHECK_DIGITS = "0123456789X"


def clean_text(raw: str) -> str:
    """NFKC; every kind of whitespace, zero-width and control character removed."""
    if not raw.isascii():
        raw = unicodedata.normalize("NFKC", raw)
    if not raw.isprintable():
        raw = raw.translate(_DROP_INVISIBLE)
    return "".join(raw.split())


def clean_name(raw: str) -> str:
    """A person's or place's name: CJK without spaces, Latin with single spaces."""
    if not raw.isascii() and not unicodedata.is_normalized("NFKC", raw):
        raw = unicodedata.normalize("NFKC", raw)
    if not raw.isprintable():
        raw = raw.translate(_DROP_INVISIBLE)
    parts = raw.split()
    if len(parts) < 2:
        return parts[0] if parts else ""
    return ("" if _cjk().search(raw) else " ").join(parts)


def _is_blank(value: object) -> bool:
    return value is None or (value.__class__ is str and not value.strip(_BLANKS))


def _cn_number(text: str) -> int | None:
    """Small Chinese numerals (一 … 九百九十九) as an int, else None."""
    total, digit = 0, None
    for unit_char, unit in (("百", 100), ("十", 10)):
        if unit_char in text:
            head, _, text = text.partition(unit_char)
            if head == "":
                value = 1
            elif len(head) == 1 and head in _CN_DIGITS:
                value = _CN_DIGITS[head]
            else:
                return None
            total += value * unit
    if text:
        text = text.lstrip("零〇")
        if len(text) > 1 or (text and text not in _CN_DIGITS):
            return None
        digit = _CN_DIGITS.get(text, 0)
    return total + (digit or 0) if (total or digit is not None) else None


@lru_cache(maxsize=4096)
def _canonical_room_text(text: str) -> str:
    text = clean_text(text)
    if not text:
        raise ValueError("empty room")
    if text in _ROOM_WORDS:
        raise ValueError("a room word without a room")
    match = _ROOM_DECORATED.match(text)
    if match:
        text = match.group(1) or match.group(2)
    if text.isdigit() and text.isascii():
        return str(int(text)).zfill(3)
    number = _cn_number(text)
    if number is not None:
        return str(number).zfill(3)
    return text.upper()


def canonical_room(raw: object) -> str:
    """The one spelling of a room: 1, 1.0, "01", "第1考场" -> "001"; others upper-cased."""
    cls = raw.__class__
    if cls is int and raw >= 0:
        return str(raw).zfill(3)
    if cls is float and raw >= 0:
        return str(int(raw)).zfill(3) if raw.is_integer() else repr(raw)
    if cls is str:
        return _canonical_room_text(raw)
    raise ValueError(f"not a room: {raw!r}")


def value_text(raw: object) -> str | None:
    """A cell value as the clerk would read it in Excel."""
    if raw is None:
        return None
    cls = raw.__class__
    if cls is str:
        return raw
    if cls is bool:
        return "TRUE" if raw else "FALSE"
    if cls is float:
        if raw.is_integer() and abs(raw) < 1e11:
            return str(int(raw))
        if abs(raw) >= 1e11:
            mantissa, _, exponent = f"{raw:.5E}".partition("E")
            return f"{mantissa.rstrip('0').rstrip('.')}E{exponent}"
        return repr(raw)
    if isinstance(raw, (_dt.date, _dt.time)):
        return raw.isoformat()
    return str(raw)


def _column_letter(index: int) -> str:
    """0-based column index -> Excel letters."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _id_date_ok(yyyymmdd: str, cache: dict[str, bool]) -> bool:
    ok = cache.get(yyyymmdd)
    if ok is None:
        try:
            _dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
            ok = True
        except ValueError:
            ok = False
        cache[yyyymmdd] = ok
    return ok


def _plainly_valid_id(number: str, today_digits: str, date_cache: dict[str, bool]) -> bool:
    """True when an upper-cased 18-char number passes every check with no warning.

    Mirrors ``idnumber.check`` (a test holds them to agreement) without its
    per-call cost; any other number goes through ``idnumber.check`` itself.
    """
    if len(number) != 18 or not number.isascii() or not number[:17].isdigit():
        return False
    born = number[6:14]
    return (
        number[:2] in idnumber.PROVINCE_PREFIXES
        and born <= today_digits
        and (date_cache.get(born) or _id_date_ok(born, date_cache))
        and _ID_CHECK_DIGITS[(1 - 2 * int(number[:17], 13)) % 11] == number[17]
    )


def _digits_like(value: object) -> bool:
    """A cell that could be a ticket or ID number (so the row is a candidate, not a footer line)."""
    if value.__class__ in (int, float):
        return True
    return value.__class__ is str and _NUMBER_LIKE.fullmatch(clean_text(value).upper()) is not None


def _seat_number(raw: object) -> int | None:
    cls = raw.__class__
    if cls is int:
        return raw if raw >= 1 else None
    if cls is float:
        return int(raw) if raw.is_integer() and raw >= 1 else None
    if cls is str:
        match = _SEAT_DECORATED.match(clean_text(raw))
        if match and match.group(1).isascii():
            number = int(match.group(1))
            return number if number >= 1 else None
    return None
