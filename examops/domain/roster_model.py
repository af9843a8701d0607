"""What roster parsing produces and reads: problems, entries, sheets, the header words it knows (pure Python)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

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


def N_(message: str) -> str:
    """Marks English words for the catalog (pybabel extracts `N_`); the edge says them in the site's language."""
    return message


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words with their values kept apart, so the edge can translate the words; str() is the English."""

    template: str
    params: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return self.template.format(**{key: english(value) for key, value in self.params}) if self.params else self.template


@dataclass(frozen=True, slots=True)
class Sentences:
    """Several phrases said one after the other (the edge joins them as its language does: a space, or none)."""

    parts: tuple[Phrase, ...]

    def __str__(self) -> str:
        return " ".join(str(p) for p in self.parts)


def english(value: object) -> str:
    """A phrase's value in English: a tuple is a list of values."""
    return ", ".join(english(v) for v in value) if isinstance(value, tuple) else str(value)


def said(template: str, **params: object) -> Phrase:
    """A phrase of `template` (marked with `N_`) with its values; a value may itself be a Phrase."""
    return Phrase(template, tuple(params.items()))


FIELD_LABELS = {
    "ticket": N_("ticket number (准考证号)"),
    "name": N_("name (姓名)"),
    "id_number": N_("ID number (身份证号)"),
    "room": N_("room (考场号)"),
    "seat": N_("seat (座位号)"),
    "session": N_("session (场次)"),
    "sex": N_("sex (性别)"),
    "site": N_("site (考点)"),
}


def field_label(field_name: str) -> Phrase:
    return Phrase(FIELD_LABELS[field_name])
FOOTER_PREFIXES = tuple(
    p.casefold()
    for p in ("合计", "总计", "小计", "制表人", "制表", "审核人", "审核", "填表人", "备注", "注:", "说明", "Total", "Preparedby")
)
INSTRUCTION_WORDS = ("填表说明", "填写说明", "使用说明", "说明", "注意事项", "instruction", "readme", "howtofill")

_HEADER_NOTE = re.compile(r"\(.*\)$")

FIX_NUMBER_CELL = N_("Format the column as Text and type the numbers again.")


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
    message_words: Phrase | Sentences | None = None
    fix_words: Phrase | None = None

    def __post_init__(self) -> None:
        """`message` and `fix` may be given as Phrases: they are kept as words and shown in English here."""
        for text_field, words_field in (("message", "message_words"), ("fix", "fix_words")):
            given = getattr(self, text_field)
            words = given if isinstance(given, (Phrase, Sentences)) else Phrase(given)
            object.__setattr__(self, words_field, words)
            object.__setattr__(self, text_field, str(words))

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__ if not name.endswith("_words")}

    @classmethod
    def worded(cls, severity: str, file: str, sheet: str | None, row: int | None, message: str | tuple[str, ...], fix: str,
               code: str, *, column: str | None = None, value: str | None = None, **params: object) -> Problem:
        """A problem whose sentences and fix are msgids (``N_``) filled with ``params`` (a tuple value is a list)."""
        values = tuple(params.items())
        sentences = (message,) if isinstance(message, str) else message
        words = Phrase(sentences[0], values) if len(sentences) == 1 else Sentences(tuple(Phrase(s, values) for s in sentences))
        return cls(severity, file, sheet, row, column, None, value, words, Phrase(fix, values), code)

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
        return f"{' · '.join(where)}: {self.message} — {self.fix}"


class RosterEntry(NamedTuple):
    """One candidate in one room and seat (for one session, or every session when None).

    A named tuple rather than a frozen dataclass: a 50k roster makes 50k of them, and a frozen dataclass's
    ``__init__`` (a guarded setattr per field) cost a third of parsing the plain sheet.
    """

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


def _where(row: RosterEntry | _Partial, seen_from: RosterEntry | _Partial) -> Phrase:
    if row.file == seen_from.file:
        return said(N_("sheet {sheet} row {row}"), sheet=row.sheet, row=row.row)
    return said(N_("sheet {sheet} row {row} of {file}"), sheet=row.sheet, row=row.row, file=row.file)


def _rows(count: int) -> Phrase:
    return said(N_("{count} row") if count == 1 else N_("{count} rows"), count=count)
