"""Roster sheets -> validated entries and precise problems (pure Python).

Sheets arrive as typed cell grids (see ``SheetInput``); this module finds the
header under any title rows, skips instruction and empty sheets, normalises the
values clerks type and reports every problem with its file, sheet, Excel row,
column letter and header, what is wrong and how to fix it.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from examops.domain import idnumber
from examops.domain.idnumber import IdError
from examops.domain.roster_values import (  # noqa: F401 - clean_text, clean_name, canonical_room, value_text are public here too
    _BLANKS,
    _CJK,
    _CN_DIGITS,
    _DROP_INVISIBLE,
    _ID_CHECK_DIGITS,
    _NUMBER_LIKE,
    _ROOM_DECORATED,
    _ROOM_WORDS,
    _SCIENTIFIC,
    _SEAT_DECORATED,
    _SEX_WORDS,
    _ZERO_WIDTH,
    _canonical_room_text,
    _cn_number,
    _column_letter,
    _digits_like,
    _id_date_ok,
    _is_blank,
    _plainly_valid_id,
    _seat_number,
    canonical_room,
    clean_name,
    clean_text,
    value_text,
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

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}

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


class _Cell:
    """One row of one sheet: reports the unusual cells of that row and reads them if it can."""

    __slots__ = ("parser", "layout", "file", "sheet", "row")

    def __init__(self, parser: _Parser, layout: _Layout, file: str, sheet: str, row: int) -> None:
        self.parser, self.layout, self.file, self.sheet, self.row = parser, layout, file, sheet, row

    def problem(self, severity: str, code: str, field_name: str, raw: object, message: str, fix: str) -> None:
        layout = self.layout
        self.parser.problems.append(
            Problem(severity, self.file, self.sheet, self.row, layout.letters[field_name], layout.headers[field_name],
                    value_text(raw), message, fix, code)
        )

    def empty(self, field_name: str) -> None:
        label = FIELD_LABELS[field_name]
        self.problem("error", "empty-cell", field_name, None, f"The {label} is empty.",
                     f"Fill in the {label} in {self.layout.letters[field_name]}{self.row}, or delete the row if it is not a candidate.")

    def number_cell(self, field_name: str, raw: object) -> None:
        cell = f"{self.layout.letters[field_name]}{self.row}"
        if raw.__class__ is str:
            shown = f"the text {clean_text(raw)}, Excel's scientific notation"
        else:
            shown = f"the number {value_text(raw)}"
            if raw.__class__ is float and raw.is_integer():
                shown += f", digits as stored {int(raw)}"
        self.problem(
            "error", "number-cell", field_name, raw,
            f"The {FIELD_LABELS[field_name]} in {cell} is stored as a number ({shown}): Excel keeps only 15 significant digits and drops leading zeros, so the digits read back are wrong even when they pass a check.",
            FIX_NUMBER_CELL,
        )

    def ticket(self, raw: object) -> str | None:
        if _is_blank(raw):
            return self.empty("ticket")
        if raw.__class__ in (int, float):
            return self.number_cell("ticket", raw)
        text = clean_text(raw) if raw.__class__ is str else None
        if text is not None and text.isdigit() and text.isascii() and 6 <= len(text) <= 24:
            return text
        if text is not None and _SCIENTIFIC.fullmatch(text):
            return self.number_cell("ticket", raw)
        detail = "is not text" if text is None else f"has {len(text)} characters{'' if text.isdigit() else ' including non-digits'}"
        self.problem("error", "ticket-format", "ticket", raw,
                     f"A ticket number is 6 to 24 digits; this one {detail}.",
                     "Correct the ticket number as printed on the admission ticket, in a Text-formatted cell.")
        return None

    def name(self, raw: object) -> None:
        if _is_blank(raw):
            return self.empty("name")
        self.problem("error", "name-format", "name", raw, "The name is not text.", "Type the candidate's name as on the ID card.")
        return None

    def id_number(self, raw: object) -> str | None:
        if _is_blank(raw):
            return self.empty("id_number")
        if raw.__class__ in (int, float):
            return self.number_cell("id_number", raw)
        if raw.__class__ is not str:
            self.problem("error", "id-format", "id_number", raw, "The ID number is not text.",
                         "Type the 18-character ID number in a Text-formatted cell.")
            return None
        text = clean_text(raw).upper()
        if _SCIENTIFIC.fullmatch(text):
            return self.number_cell("id_number", raw)
        parser = self.parser
        if _plainly_valid_id(text, parser.today_digits, parser.date_cache):
            return text
        verdict = idnumber.check(text, parser.today)
        number = verdict.number
        if verdict.error is IdError.FORMAT or not number.isascii():
            detail = "" if number[:-1].isdigit() and number.isascii() else " including characters other than the digits 0–9 and X"
            self.problem("error", "id-format", "id_number", raw,
                         f"An ID number is 18 characters (17 digits and a digit or X) or a legacy 15-digit number; this one has {len(number)} characters{detail}.",
                         "Copy the ID number again from the candidate's ID card.")
            return None
        if verdict.error is IdError.BIRTH_DATE:
            born = number[6:14]
            self.problem("error", "id-birth-date", "id_number", raw,
                         f"The ID number holds the birth date {born[:4]}-{born[4:6]}-{born[6:]}, which is not a real date or lies in the future.",
                         "Copy the ID number again from the candidate's ID card; the birth date is characters 7–14.")
            return None
        if verdict.error is IdError.CHECKSUM:
            self.problem("error", "id-checksum", "id_number", raw,
                         f"The ID number's check character is wrong (the first 17 characters call for {idnumber.check_char(number[:17])}, not {number[17]}): a character was mistyped.",
                         "Copy the ID number again from the candidate's ID card.")
            return None
        if verdict.upgraded_from_15:
            self.problem("note", "id-15-digit", "id_number", raw,
                         f"The legacy 15-digit ID number was upgraded to {number}.",
                         "No action is needed; the candidate may carry the 18-character card.")
        if verdict.unknown_region:
            self.problem("warning", "id-region", "id_number", raw,
                         f"The ID number's area code {number[:6]} is not in a known province; the number may still be real, as area codes change.",
                         "Check the ID number against the candidate's ID card.")
        return number

    def room(self, raw: object) -> None:
        if _is_blank(raw):
            return self.empty("room")
        self.problem("error", "room-format", "room", raw, "The room is neither a number nor a room name.",
                     "Type the room as on the seating plan, e.g. 001.")
        return None

    def seat(self, raw: object) -> int | None:
        if _is_blank(raw):
            return self.empty("seat")
        seat = _seat_number(raw)
        if seat is None:
            self.problem("error", "seat-format", "seat", raw, "A seat is a whole number from 1 up.", "Type the seat number, e.g. 1 or 01.")
        return seat

    def session(self, raw: object) -> str | None:
        text = clean_text(value_text(raw))
        session = self.parser.session_spelling(text)
        if session is None:
            known = ", ".join(self.parser.session_names or ()) or "none"
            self.problem("error", "unknown-session", "session", raw,
                         f"The session '{text}' is not in the exam plan (known: {known}).",
                         "Type one of the plan's session ids or names, or leave the cell empty if the candidate sits every session.")
        return session

    def sex(self, raw: object, from_id: str | None) -> str | None:
        """The sex to record when the cell is unusual or disagrees with the ID number."""
        if _is_blank(raw):
            return from_id
        stated = _SEX_WORDS.get(clean_text(value_text(raw)).casefold())
        if stated is None:
            self.problem("warning", "sex-value", "sex", raw,
                         "The sex is not 男/女 (M/F)" + ("; the sex encoded in the ID number was used." if from_id else " and was left out."),
                         "Type 男 or 女.")
            return from_id
        if from_id is not None and stated != from_id:
            self.problem("warning", "sex-mismatch", "sex", raw,
                         f"The sex says {'男' if stated == 'M' else '女'} but the ID number belongs to a {'man' if from_id == 'M' else 'woman'}; the sex from the ID number was used.",
                         "Check the ID number and the sex against the candidate's ID card and correct the wrong one.")
            return from_id
        return stated


class _Parser:
    def __init__(self, sessions: Mapping[str, str] | None, today: _dt.date) -> None:
        self.sessions = None if sessions is None else {clean_text(k).casefold(): v for k, v in sessions.items()}
        self.session_names = None if sessions is None else sorted(set(sessions))
        self.today = today
        self.today_digits = f"{today.year:04d}{today.month:02d}{today.day:02d}"
        self.date_cache: dict[str, bool] = {}
        self.synonyms = _synonym_index()
        self.entries: list[RosterEntry] = []
        self.problems: list[Problem] = []
        self.keyed: list[RosterEntry | _Partial] = []
        self.headers: dict[tuple[str, str], dict[str, str]] = {}

    # -- sheets

    def parse_file(self, file: str, sheets: Sequence[SheetInput]) -> None:
        data_sheets = 0
        for sheet in sheets:
            data_sheets += self.parse_sheet(file, sheet)
        if not data_sheets:
            self.problems.append(
                Problem(
                    "error", file, None, None, None, None, None,
                    "No sheet in the file has a header row naming the ticket, name, ID number, room and seat columns, so no candidate was read.",
                    f"Check that this is the candidate roster; its header row (准考证号, 姓名, 身份证号, 考场号, 座位号) must be within the first {HEADER_SEARCH_ROWS} rows of a sheet.",
                    "no-data",
                )
            )

    def note(self, file: str, sheet: str, code: str, message: str, fix: str, severity: str = "note", row: int | None = None) -> None:
        self.problems.append(Problem(severity, file, sheet, row, None, None, None, message, fix, code))

    def parse_sheet(self, file: str, sheet: SheetInput) -> int:
        """Parse one sheet; returns 1 when it is a data sheet (has a header)."""
        name = sheet.name
        rows = sheet.rows
        hidden_word = "hidden " if sheet.hidden else ""
        if name == PROBLEMS_SHEET:
            self.note(file, name, "problems-sheet", "This sheet is an examops problem list and was skipped.", "No action is needed.")
            return 0
        if not any(not _is_blank(v) for row in rows for v in row):
            self.note(file, name, "empty-sheet", f"The {hidden_word}sheet is empty and was skipped.", "No action is needed.")
            return 0
        sheet_key = clean_text(name).casefold()
        if any(word in sheet_key for word in INSTRUCTION_WORDS):
            self.note(file, name, "instruction-sheet", f"The {hidden_word}sheet looks like instructions (by its name) and was skipped.", "If it holds candidates, rename the sheet and import again.")
            return 0
        header = self.find_header(rows)
        if header is None:
            self.headerless(file, sheet)
            return 0
        header_row, found = header
        if sheet.hidden:
            self.hidden_table(file, name, rows, header_row)
            return 1
        layout = self.check_header(file, sheet, header_row, rows[header_row - 1], found)
        if layout is None:
            return 1
        if sheet.merged:
            rows = self.fill_merged(file, sheet, layout)
        if not self.parse_rows(file, name, rows, layout, sheet.hidden_rows):
            self.note(file, name, "no-rows", f"The sheet has a header in row {layout.header_row} but no candidate rows.", "No action is needed if the sheet is meant to be empty.")
        return 1

    def find_header(self, rows: list[list[object]]) -> tuple[int, dict[str, list[int]]] | None:
        """The first row (1-based) within the first rows where enough cells name known fields."""
        synonyms = self.synonyms
        for index in range(min(HEADER_SEARCH_ROWS, len(rows))):
            found: dict[str, list[int]] = {}
            for col, value in enumerate(rows[index]):
                if value.__class__ is str:
                    field_name = synonyms.get(_header_key(value))
                    if field_name:
                        found.setdefault(field_name, []).append(col)
            if len(found) >= MIN_HEADER_FIELDS:
                return index + 1, found
        return None

    def hidden_table(self, file: str, name: str, rows: list[list[object]], header_row: int) -> None:
        count = sum(1 for row in rows[header_row:] if not all(_is_blank(v) for v in row))
        if not count:
            self.note(file, name, "empty-sheet", f"The hidden sheet has a header in row {header_row} but no rows and was skipped.", "No action is needed.")
            return
        self.problems.append(
            Problem(
                "error", file, name, None, None, None, None,
                f"The sheet is hidden but holds a roster table ({_rows(count)} under the header in row {header_row}); its rows were not read.",
                "Unhide the sheet in Excel (right-click a sheet tab ▸ Unhide) and check it: delete it if it must not be imported, otherwise make it visible, then import again.",
                "hidden-sheet",
            )
        )

    def headerless(self, file: str, sheet: SheetInput) -> None:
        """A sheet with text but no header: instructions, unless it holds ID-like numbers."""
        hidden_word = "hidden " if sheet.hidden else ""
        id_like = self.first_id_like(sheet.rows)
        if id_like is None:
            self.note(file, sheet.name, "instruction-sheet", f"The {hidden_word}sheet has text but no header row, so it was taken for instructions and skipped.", f"If it holds candidates, give it a header row (准考证号, 姓名, 身份证号, 考场号, 座位号) within the first {HEADER_SEARCH_ROWS} rows.")
            return
        row_no, col = id_like
        self.problems.append(
            Problem(
                "error", file, sheet.name, row_no, _column_letter(col), None, value_text(sheet.rows[row_no - 1][col]),
                f"The {hidden_word}sheet holds what looks like an ID number but has no header row with at least {MIN_HEADER_FIELDS} known column names in its first {HEADER_SEARCH_ROWS} rows; it was not read.",
                "Add a header row (准考证号, 姓名, 身份证号, 考场号, 座位号) above the candidates, or delete the sheet if it must not be imported.",
                "hidden-sheet" if sheet.hidden else "no-header",
            )
        )

    @staticmethod
    def first_id_like(rows: list[list[object]]) -> tuple[int, int] | None:
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value.__class__ is str:
                    text = clean_text(value).upper()
                    if len(text) in (15, 18) and text[:15].isdigit():
                        return r + 1, c
                elif value.__class__ in (int, float) and abs(value) >= 1e14:
                    return r + 1, c
        return None

    def check_header(self, file: str, sheet: SheetInput, header_row: int, cells: list[object], found: dict[str, list[int]]) -> _Layout | None:
        """The layout of a header row, or None after reporting a duplicate or missing column."""
        seen = ", ".join(clean_name(v) for v in cells if v.__class__ is str and v.strip(_BLANKS)) or "nothing"
        failed = False
        for field_name, cols in found.items():
            if len(cols) > 1:
                failed = True
                letters = ", ".join(_column_letter(c) for c in cols)
                self.problems.append(
                    Problem(
                        "error", file, sheet.name, header_row, _column_letter(cols[1]), str(cells[cols[1]]).strip(), None,
                        f"Columns {letters} all name the {FIELD_LABELS[field_name]}; the roster must have one such column.",
                        "Delete or rename the extra columns so that only one holds this field.",
                        "duplicate-header",
                    )
                )
        for field_name in REQUIRED_FIELDS:
            if field_name not in found:
                failed = True
                accepted = ", ".join(HEADER_SYNONYMS[field_name][:4])
                self.problems.append(
                    Problem(
                        "error", file, sheet.name, header_row, None, None, None,
                        f"The header in row {header_row} has no column for the {FIELD_LABELS[field_name]}; it has: {seen}.",
                        f"Add a column headed {HEADER_SYNONYMS[field_name][0]} (accepted: {accepted}, …) or rename the existing one, then import again.",
                        "missing-header",
                    )
                )
        if failed:
            return None
        columns = {f: cols[0] for f, cols in found.items()}
        return _Layout(
            header_row,
            columns,
            {f: str(cells[c]).strip(_BLANKS) for f, c in columns.items()},
            {f: _column_letter(c) for f, c in columns.items()},
        )

    def fill_merged(self, file: str, sheet: SheetInput, layout: _Layout) -> list[list[object]]:
        """Copy the value of merged cells in the table to every cell they cover (with a warning)."""
        rows = list(sheet.rows)
        copied: set[int] = set()
        for r1, c1, r2, c2 in sheet.merged:
            if r1 <= layout.header_row or r2 > len(rows) or (r1 == r2 and c1 == c2):
                continue
            top = rows[r1 - 1]
            value = top[c1 - 1] if c1 - 1 < len(top) else None
            if value is None:
                continue
            for r in range(r1, r2 + 1):
                if r - 1 not in copied:
                    rows[r - 1] = list(rows[r - 1])
                    copied.add(r - 1)
                row = rows[r - 1]
                if len(row) < c2:
                    row.extend([None] * (c2 - len(row)))
                for c in range(c1, c2 + 1):
                    row[c - 1] = value
            span = f"{_column_letter(c1 - 1)}{r1}:{_column_letter(c2 - 1)}{r2}"
            self.problems.append(
                Problem(
                    "warning", file, sheet.name, r1, _column_letter(c1 - 1), None, value_text(value),
                    f"Cells {span} are merged; their value was used for each of rows {r1}–{r2}.",
                    "Unmerge the cells and fill in every row (Home ▸ Merge & Center ▸ Unmerge Cells) so the roster reads the same everywhere.",
                    "merged-cells",
                )
            )
        return rows

    # -- rows

    def parse_rows(self, file: str, sheet: str, rows: list[list[object]], layout: _Layout, hidden_rows: frozenset[int]) -> int:
        """Validate the data rows of one sheet; returns how many candidate rows it had."""
        cols = layout.columns
        c_ticket, c_name, c_id, c_room, c_seat = (cols[f] for f in REQUIRED_FIELDS)
        c_session, c_sex, c_site = cols.get("session"), cols.get("sex"), cols.get("site")
        needed = max(cols.values()) + 1
        self.headers[(file, sheet)] = layout.headers
        in_footer = False
        count = 0
        for index in range(layout.header_row, len(rows)):
            row = rows[index]
            if len(row) < needed:
                row = row + [None] * (needed - len(row))
            ticket_raw, name_raw, id_raw, room_raw, seat_raw = row[c_ticket], row[c_name], row[c_id], row[c_room], row[c_seat]
            if _is_blank(ticket_raw) and _is_blank(id_raw) and _is_blank(name_raw) and _is_blank(room_raw) and _is_blank(seat_raw):
                continue
            if _is_footer(row):
                in_footer = True
                continue
            if in_footer:
                if not (_digits_like(ticket_raw) or _digits_like(id_raw) or (not _is_blank(name_raw) and _seat_number(seat_raw))):
                    continue
                in_footer = False
            row_no = index + 1
            count += 1
            if row_no in hidden_rows:
                self.problems.append(
                    Problem(
                        "error", file, sheet, row_no, None, None, None,
                        f"Row {row_no} is hidden but holds a candidate; it was not read.",
                        "Unhide the rows in Excel (select all ▸ right-click a row number ▸ Unhide) and check them: delete the rows that must not be imported, then import again.",
                        "hidden-row",
                    )
                )
                continue
            self.parse_row(
                _Cell(self, layout, file, sheet, row_no), ticket_raw, name_raw, id_raw, room_raw, seat_raw,
                None if c_session is None else row[c_session],
                None if c_sex is None else row[c_sex],
                None if c_site is None else row[c_site],
            )
        return count

    def parse_row(self, at: _Cell, ticket_raw, name_raw, id_raw, room_raw, seat_raw, session_raw, sex_raw, site_raw) -> None:
        """One candidate row: fast paths for the usual cells, ``_Cell`` methods for the rest."""
        problems = self.problems
        problems_before = len(problems)

        if ticket_raw.__class__ is str and ticket_raw.isdigit() and ticket_raw.isascii() and 6 <= len(ticket_raw) <= 24:
            ticket = ticket_raw
        else:
            ticket = at.ticket(ticket_raw)

        name = clean_name(name_raw) if name_raw.__class__ is str else None
        if not name:
            name = at.name(name_raw)

        id_number = None
        if id_raw.__class__ is str and id_raw.isascii() and len(id_raw) == 18:
            text = id_raw.upper()
            if _plainly_valid_id(text, self.today_digits, self.date_cache):
                id_number = text
        if id_number is None:
            id_number = at.id_number(id_raw)

        if room_raw is None:
            room = at.empty("room")
        else:
            try:
                room = canonical_room(room_raw)
            except ValueError:
                room = at.room(room_raw)

        if seat_raw.__class__ is int and seat_raw >= 1:
            seat = seat_raw
        elif seat_raw.__class__ is float and seat_raw >= 1 and seat_raw.is_integer():
            seat = int(seat_raw)
        else:
            seat = at.seat(seat_raw)

        session = None if session_raw is None or _is_blank(session_raw) else at.session(session_raw)

        sex = None
        if id_number is not None:
            sex = "M" if int(id_number[16]) % 2 else "F"
        if sex_raw is not None:
            stated = _SEX_WORDS.get(sex_raw) if sex_raw.__class__ is str else None
            if stated is None or stated != sex:
                sex = at.sex(sex_raw, sex)

        site = None if site_raw is None or _is_blank(site_raw) else clean_name(value_text(site_raw))

        if ticket is not None or id_number is not None:
            clean = len(problems) == problems_before or not any(p.severity == "error" for p in problems[problems_before:])
            if clean:
                entry = RosterEntry(ticket, name, id_number, sex, room, seat, session, site, at.file, at.sheet, at.row, at.layout.letters)
                self.entries.append(entry)
                self.keyed.append(entry)
            else:
                self.keyed.append(_Partial(ticket, name, id_number, room, seat, session, at.file, at.sheet, at.row, at.layout.letters))

    def session_spelling(self, text: str) -> str | None:
        return text or None if self.sessions is None else self.sessions.get(text.casefold())

    # -- roster-wide uniqueness

    def check_uniqueness(self) -> None:
        """Roster-wide rules, each in one linear pass so a wrong column cannot make it quadratic."""
        self.check_ids()
        self.check_tickets()
        self.check_seats()

    def check_ids(self) -> None:
        keyed = self.keyed
        first_by_id: dict[str, int] = {}
        for index, row in enumerate(keyed):
            if row.id_number is None or row.ticket is None:
                continue
            other = keyed[first_by_id.setdefault(row.id_number, index)]
            if other.ticket != row.ticket:
                self.pair_problem("duplicate-id", "id_number", row, other,
                                  f"ID number {row.id_number} is already used by ticket {other.ticket} on {_where(other, row)}; an ID number belongs to exactly one ticket.",
                                  "Check both rows against the candidates' ID cards and correct or delete the wrong one.")

    def check_tickets(self) -> None:
        keyed = self.keyed
        first_of: dict[str, int] = {}
        sessions_of: dict[str, dict[str | None, int]] = {}
        for index, row in enumerate(keyed):
            ticket = row.ticket
            if ticket is None:
                continue
            first_index = first_of.setdefault(ticket, index)
            if first_index == index:
                continue
            first = keyed[first_index]
            seen = sessions_of.get(ticket)
            if seen is None:
                seen = sessions_of[ticket] = {first.session: first_index}
            if row.session is None:
                clash_index = min(seen.values())
            else:
                clash_index = min((i for i in (seen.get(row.session), seen.get(None)) if i is not None), default=None)
            seen.setdefault(row.session, index)
            if clash_index is not None:
                clash = keyed[clash_index]
                self.pair_problem("duplicate-ticket", "ticket", row, clash,
                                  f"Ticket {ticket} is already on {_where(clash, row)}{_session_words(row.session, clash.session)}; a ticket appears once per session.",
                                  "Delete the extra row, or give each row its own session.")
            if first.name is not None and row.name is not None and row.name != first.name:
                self.pair_problem("ticket-name-mismatch", "name", row, first,
                                  f"Ticket {ticket} has the name {row.name} here but {first.name} on {_where(first, row)}.",
                                  "Check the admission ticket and correct the wrong name.")
            if first.id_number is not None and row.id_number is not None and row.id_number != first.id_number:
                self.pair_problem("ticket-id-mismatch", "id_number", row, first,
                                  f"Ticket {ticket} has the ID number {row.id_number} here but {first.id_number} on {_where(first, row)}.",
                                  "Check the candidate's ID card and correct the wrong ID number.")

    def check_seats(self) -> None:
        """One candidate per room, seat and session; each session keeps its first two distinct tickets."""
        keyed = self.keyed
        first_at: dict[tuple[str, int], int] = {}
        taken: dict[tuple[str, int], dict[str | None, list[int]]] = {}
        for index, row in enumerate(keyed):
            if row.room is None or row.seat is None or row.ticket is None:
                continue
            key = (row.room, row.seat)
            first_index = first_at.setdefault(key, index)
            if first_index == index:
                continue
            by_session = taken.get(key)
            if by_session is None:
                by_session = taken[key] = {keyed[first_index].session: [first_index]}
            pools = by_session.values() if row.session is None else (by_session.get(row.session, ()), by_session.get(None, ()))
            clash_index = min((i for pool in pools for i in pool if keyed[i].ticket != row.ticket), default=None)
            pool = by_session.setdefault(row.session, [])
            if len(pool) < 2 and all(keyed[i].ticket != row.ticket for i in pool):
                pool.append(index)
            if clash_index is not None:
                clash = keyed[clash_index]
                self.pair_problem("seat-taken", "seat", row, clash,
                                  f"Room {key[0]} seat {key[1]}{_session_words(row.session, clash.session)} is already taken by ticket {clash.ticket} on {_where(clash, row)}.",
                                  "Give one of the two candidates another seat.")

    def pair_problem(self, code: str, field_name: str, row: RosterEntry | _Partial, other: RosterEntry | _Partial, message: str, fix: str) -> None:
        value = {"ticket": row.ticket, "name": row.name, "id_number": row.id_number, "seat": None if row.seat is None else str(row.seat)}[field_name]
        self.problems.append(
            Problem("error", row.file, row.sheet, row.row, row.columns.get(field_name),
                    self.headers.get((row.file, row.sheet), {}).get(field_name), value, message, fix, code)
        )


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _is_footer(row: list[object]) -> bool:
    """A 合计/制表人/Total… line under the table: its first non-empty cell says so."""
    for value in row:
        if value is None:
            continue
        if value.__class__ is not str:
            return False
        text = value.lstrip(_BLANKS)
        if not text:
            continue
        return not text[0].isdigit() and clean_text(text).casefold().startswith(FOOTER_PREFIXES)
    return False


def _session_words(a: str | None, b: str | None) -> str:
    if a is None and b is None:
        return " (both rows are for every session)"
    if a == b:
        return f" (session {a})"
    return f" (one of the rows is for every session, the other for {a or b})"


def parse_rosters(
    files: Sequence[tuple[str, Sequence[SheetInput]]],
    *,
    sessions: Mapping[str, str] | None = None,
    today: _dt.date | None = None,
) -> ParsedRoster:
    """Several files read as one roster: uniqueness is checked across all of them.

    ``today`` bounds birth dates (default: the current date).
    """
    parser = _Parser(sessions, today or _dt.date.today())
    for file, sheets in files:
        parser.parse_file(file, sheets)
    parser.check_uniqueness()
    return ParsedRoster(parser.entries, parser.problems)


def parse_roster(
    file_label: str,
    sheets: Sequence[SheetInput],
    *,
    sessions: Mapping[str, str] | None = None,
    today: _dt.date | None = None,
) -> ParsedRoster:
    """One file's sheets as a roster."""
    return parse_rosters([(file_label, sheets)], sessions=sessions, today=today)
