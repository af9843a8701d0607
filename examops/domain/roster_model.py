"""What roster parsing produces and reads: problems, entries, sheets, the header words it knows (pure Python)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from examops.domain.roster_values import (
    clean_text,
)

HEADER_SEARCH_ROWS = 30
MIN_HEADER_FIELDS = 3
PROBLEMS_SHEET = "错误清单 Problems"

HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "ticket": ("准考证号", "准考证", "准考证编号", "准考证号码", "准考号", "考号", "考生号", "ticket", "ticket no", "ticket number", "admission ticket", "admission ticket no"),
    "name": ("姓名", "考生姓名", "名字", "name", "candidate name"),
    "id_number": ("身份证号", "身份证号码", "证件号码", "证件号", "身份证", "公民身份号码", "身份证件号码", "id number", "id no", "id", "id card", "id card no", "id card number"),
    "room": ("考场号", "考场", "考场编号", "试室号", "试室", "room", "room no"),
    "seat": ("座位号", "座位", "座号", "座位编号", "seat", "seat no"),
    "session": ("场次", "科目", "试卷", "考试场次", "session"),
    "sex": ("性别", "sex", "gender"),
    "site": ("考点", "考点名称", "site"),
}
REQUIRED_FIELDS = ("ticket", "name", "id_number", "room", "seat")
FIELD_LABELS = {
    "ticket": "ticket number (准考证号)",
    "name": "name (姓名)",
    "id_number": "ID number (身份证号)",
    "room": "room (考场号)",
    "seat": "seat (座位号)",
    "session": "session (场次)",
    "sex": "sex (性别)",
    "site": "site (考点)",
}
FOOTER_PREFIXES = tuple(
    p.casefold()
    for p in ("合计", "总计", "小计", "制表人", "制表", "审核人", "审核", "填表人", "备注", "注:", "说明", "Total", "Preparedby")
)
INSTRUCTION_WORDS = ("填表说明", "填写说明", "使用说明", "说明", "注意事项", "instruction", "readme", "howtofill")

_HEADER_NOTE = re.compile(r"\(.*\)$")

FIX_NUMBER_CELL = "Format the column as Text and type the numbers again."


def N_(message: str) -> str:
    """Marks a catalog msgid in the pure domain; ``examops.i18n.roster_words`` translates it at the edge."""
    return message


@dataclass(frozen=True, slots=True)
class Words:
    """A problem's message and fix as catalog msgids and their parameters (a tuple parameter is a list)."""

    message: tuple[str, ...]  # sentences
    fix: str
    params: tuple[tuple[str, object], ...]

    def render(self, sentences: Sequence[str], fix: str, separator: str, joiner: str) -> tuple[str, str]:
        """The sentences and the fix (these msgids, or their translations) filled in; lists joined by ``separator``,
        sentences by ``joiner``."""
        values = {k: separator.join(v) if isinstance(v, tuple) else v for k, v in self.params}
        return joiner.join(s.format(**values) for s in sentences), fix.format(**values)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a roster, located to the cell when there is one."""

    severity: str
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    header: str | None
    value: str | None
    message: str
    fix: str
    code: str
    words: Words | None = None  # the msgids behind message and fix, where the edge translates them

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__ if name != "words"}

    @classmethod
    def worded(cls, severity: str, file: str, sheet: str | None, row: int | None, message: str | tuple[str, ...], fix: str,
               code: str, *, column: str | None = None, value: str | None = None, **params: object) -> Problem:
        """A problem whose English is msgids (one or more sentences, and a fix) filled with ``params``; the edge may
        translate it (``examops.i18n.roster_words``)."""
        sentences = (message,) if isinstance(message, str) else message
        words = Words(sentences, fix, tuple(params.items()))
        text, fix_text = words.render(sentences, fix, ", ", " ")
        return cls(severity, file, sheet, row, column, None, value, text, fix_text, code, words)

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(self.sheet)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column} ({self.header})" if self.header else f"column {self.column}")
        if self.value is not None:
            shown = self.value if len(self.value) <= 40 else self.value[:39] + "…"
            where.append(f"'{shown}'")
        return f"{' · '.join(where)}: {self.message} — {self.fix}" if self.fix else f"{' · '.join(where)}: {self.message}"


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One candidate in one room and seat (for one session, or every session when None)."""

    ticket: str
    name: str
    id_number: str
    sex: str | None
    room: str
    seat: int
    session: str | None
    site: str | None
    file: str
    sheet: str
    row: int
    columns: dict[str, str]


@dataclass
class ParsedRoster:
    """Entries whose own row is clean, and every problem found.

    When ``errors`` is not empty the roster as a whole must not be imported.
    """

    entries: list[RosterEntry]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass(frozen=True)
class SheetInput:
    """What the domain needs from a read sheet; merged is (r1, c1, r2, c2), 1-based."""

    name: str
    hidden: bool
    rows: list[list[object]]
    hidden_rows: frozenset[int] = frozenset()
    merged: Sequence[tuple[int, int, int, int]] = ()


# ---------------------------------------------------------------- normalising


def _header_key(text: str) -> str:
    """A header as compared with the synonyms: no spaces, case, (notes), '*' marks or separators."""
    key = clean_text(text).casefold().replace("-", "").replace("_", "")
    if key.endswith(")"):
        key = _HEADER_NOTE.sub("", key)
    return key.strip("*:#.")


def _synonym_index() -> dict[str, str]:
    index = {}
    for name, synonyms in HEADER_SYNONYMS.items():
        for synonym in synonyms:
            index[_header_key(synonym)] = name
    return index


# ---------------------------------------------------------------- ID numbers


# ---------------------------------------------------------------- parsing


@dataclass
class _Layout:
    """Where a data sheet keeps each field."""

    header_row: int
    columns: dict[str, int]
    headers: dict[str, str]
    letters: dict[str, str]


@dataclass(slots=True)
class _Partial:
    """A row with errors whose ticket or ID still takes part in the uniqueness checks."""

    ticket: str | None
    name: str | None
    id_number: str | None
    room: str | None
    seat: int | None
    session: str | None
    file: str
    sheet: str
    row: int
    columns: dict[str, str]


def _where(row: RosterEntry | _Partial, seen_from: RosterEntry | _Partial) -> str:
    place = f"sheet {row.sheet} row {row.row}"
    return place if row.file == seen_from.file else f"{place} of {row.file}"


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"
