"""A data sheet whose every row is in its plainest form, checked column by column (pure Python).

The usual roster (50k rows typed by one export tool) has nothing to word: each cell passes the fast paths of
``roster._Parser.parse_rows``. Here each column is checked at once, with one regex pass over the joined column
and tables of its distinct values, instead of Python code per cell. Any cell that is not plain (and any footer,
blank or hidden row) makes ``plain_entries`` return None, and the sheet is read row by row as before: the
entries made here are the ones the row-by-row path makes (a test holds the two to agreement).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from itertools import repeat
from operator import itemgetter

from examops.domain import idnumber
from examops.domain.roster_model import REQUIRED_FIELDS, RosterEntry, _Layout
from examops.domain.roster_values import _SEX_WORDS, _id_date_ok, _is_blank, canonical_room, clean_name, clean_text, value_text

# One cell per line: a value holding a line break is caught by counting the breaks.
_TICKETS = re.compile(r"[0-9]{6,24}(?:\n[0-9]{6,24})*")
_IDS = re.compile(r"[0-9]{17}[0-9X](?:\n[0-9]{17}[0-9X])*")
_CHECK = "0123456789X"
_MONTH_DAYS = {"01": "31", "02": "29", "03": "31", "04": "30", "05": "31", "06": "30", "07": "31", "08": "31", "09": "30",
               "10": "31", "11": "30", "12": "31"}  # 29 February is checked against the year
_SEX_OF_DIGIT = {digit: "M" if int(digit) % 2 else "F" for digit in "0123456789"}


def _joined(column: list, pattern: re.Pattern[str], *, upper: bool = False) -> str | None:
    """The column's cells joined by line breaks when every cell is ASCII text matching ``pattern``."""
    text = "\n".join(column)  # TypeError when a cell is not text
    if not text.isascii() or text.count("\n") != len(column) - 1:
        return None
    if upper:
        text = text.upper()
    return text if pattern.fullmatch(text) else None


def _names(column: list) -> bool:
    """Every name is text that ``clean_name`` keeps as it is: printable, NFKC already, no whitespace."""
    if set(map(type, column)) != {str}:
        return False
    text = "".join(column)
    # Normal forms hold per cell when they hold for the whole (a cell's odd character stays odd beside others).
    return all(column) and text.isprintable() and len(text.split()) == 1 and (
        text.isascii() or unicodedata.is_normalized("NFKC", text))


def _ids_valid(ids: list[str], today_digits: str, date_cache: dict[str, bool]) -> bool:
    """``roster_values._plainly_valid_id`` for every number of the column: area, birth date, check character."""
    if not {number[:2] for number in ids} <= idnumber.PROVINCE_PREFIXES:
        return False
    born = {number[6:14] for number in ids}
    if max(born) > today_digits or min(born) < "0001" or not all("01" <= day[6:] <= _MONTH_DAYS.get(day[4:6], "") for day in born):
        return False
    if not all(_id_date_ok(day, date_cache) for day in born if day[4:] == "0229"):
        return False
    due = [_CHECK[(1 - 2 * int(number[:17], 13)) % 11] for number in ids]
    return due == [number[17] for number in ids]


def _by_distinct(column: list, value_of: Callable[[object], object]) -> list | None:
    """``value_of`` each cell through a table of the distinct text/None cells; None when a cell is anything else
    (1, 1.0 and True are one key to a dict but not one value to the parser) or when ``value_of`` refuses one."""
    distinct = set(column)
    if not all(cell is None or cell.__class__ is str for cell in distinct):
        return None
    table = {}
    for cell in distinct:
        value = value_of(cell)
        if value is _REFUSED:
            return None
        table[cell] = value
    return list(map(table.__getitem__, column))


_REFUSED = object()


def plain_entries(rows: list[list[object]], layout: _Layout, file: str, sheet: str, hidden_rows: frozenset[int],
                  today_digits: str, date_cache: dict[str, bool],
                  session_spelling: Callable[[str], str | None]) -> list[RosterEntry] | None:
    """The entries of every row under the header when each row is plain, else None (read the rows one by one)."""
    start = layout.header_row
    block = rows[start:]
    cols = layout.columns
    if not block or min(map(len, block)) < max(cols.values()) + 1:
        return None
    if hidden_rows and any(start < row_no <= len(rows) for row_no in hidden_rows):
        return None
    # A footer line (合计, 制表人 …) starts with text that is not a digit: here column A may hold no such cell.
    first = list(map(itemgetter(0), block))
    kinds = set(map(type, first))
    if type(None) in kinds or (str in kinds and not all(cell[:1].isdigit() for cell in first if cell.__class__ is str)):
        return None
    c_ticket, c_name, c_id, c_room, c_seat = (cols[f] for f in REQUIRED_FIELDS)
    try:
        tickets = _joined(list(map(itemgetter(c_ticket), block)), _TICKETS)
        ids = _joined(list(map(itemgetter(c_id), block)), _IDS, upper=True)
    except TypeError:
        return None
    names = list(map(itemgetter(c_name), block))
    if tickets is None or ids is None or not _names(names):
        return None
    ids_list = ids.split("\n")
    if not _ids_valid(ids_list, today_digits, date_cache):
        return None
    seats = list(map(itemgetter(c_seat), block))
    kinds = set(map(type, seats))
    distinct_seats = set(seats)  # a few dozen: 1 and 1.0 are one here, and both plain
    if not kinds <= {int, float} or not all(s.__class__ is int or s.is_integer() for s in distinct_seats):
        return None
    if min(distinct_seats) < 1:
        return None
    seats = list(map(int, seats)) if float in kinds else seats
    room_cells = list(map(itemgetter(c_room), block))
    if not set(map(type, room_cells)) <= {str, int}:
        return None
    room_of: dict[object, str] = {}
    for cell in set(room_cells):
        try:
            room_of[cell] = canonical_room(cell)
        except ValueError:
            return None
    rooms = list(map(room_of.__getitem__, room_cells))
    sexes = list(map(_SEX_OF_DIGIT.__getitem__, ids[16::19]))  # each number's 17th character: 18 and a line break
    c_sex = cols.get("sex")
    if c_sex is not None:
        cells = list(map(itemgetter(c_sex), block))
        stated_of = {cell: None if cell is None else _SEX_WORDS.get(cell, _REFUSED) for cell in set(cells)}
        stated = list(map(stated_of.__getitem__, cells))
        if stated != sexes and (None not in stated_of.values()
                                or any(said is not None and said != sex for said, sex in zip(stated, sexes))):
            return None
    sessions = _sessions(block, cols.get("session"), session_spelling)
    sites = _sites(block, cols.get("site"))
    if sessions is None or sites is None:
        return None
    count = len(block)
    # tuple.__new__ as `_make` calls it, without a Python frame per entry (a third of the cost of 50k of them)
    return list(map(tuple.__new__, repeat(RosterEntry, count),
                    zip(tickets.split("\n"), names, ids_list, sexes, rooms, seats, sessions, sites, repeat(file, count),
                        repeat(sheet, count), range(start + 1, start + 1 + count), repeat(layout.letters, count))))


def _sessions(block: list[list[object]], column: int | None, spelling: Callable[[str], str | None]) -> list | None:
    if column is None:
        return [None] * len(block)

    def session(cell: object) -> object:
        if cell is None or _is_blank(cell):
            return None
        known = spelling(clean_text(cell))
        return _REFUSED if known is None else known

    return _by_distinct(list(map(itemgetter(column), block)), session)


def _sites(block: list[list[object]], column: int | None) -> list | None:
    if column is None:
        return [None] * len(block)
    cells = list(map(itemgetter(column), block))
    by_text = _by_distinct(cells, lambda cell: None if cell is None or _is_blank(cell) else clean_name(cell))
    if by_text is not None:
        return by_text
    return [None if cell is None or _is_blank(cell) else clean_name(value_text(cell)) for cell in cells]
