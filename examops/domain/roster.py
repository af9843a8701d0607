"""Roster sheets -> validated entries and precise problems (pure Python).

Sheets arrive as typed cell grids (see ``SheetInput``); this module finds the
header under any title rows, skips instruction and empty sheets, normalises the
values clerks type and reports every problem with its file, sheet, Excel row,
column letter and header, what is wrong and how to fix it. The model is in
``roster_model``, one row's cells in ``roster_cells``, header finding in
``roster_headers``, cross-row checks in ``roster_checks``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence

from examops.domain.roster_cells import _Cell
from examops.domain.roster_checks import _UniquenessChecks
from examops.domain.roster_columns import plain_entries
from examops.domain.roster_headers import _HeaderChecks
from examops.domain.roster_model import (  # noqa: F401 - the model's names are public here too
    _HEADER_NOTE,
    FIELD_LABELS,
    FIX_NUMBER_CELL,
    FOOTER_PREFIXES,
    HEADER_SEARCH_ROWS,
    HEADER_SYNONYMS,
    INSTRUCTION_WORDS,
    MIN_HEADER_FIELDS,
    N_,
    PROBLEMS_SHEET,
    REQUIRED_FIELDS,
    ParsedRoster,
    Phrase,
    Problem,
    RosterEntry,
    SheetInput,
    _header_key,
    _Layout,
    _Partial,
    _rows,
    _synonym_index,
    _where,
    said,
)
from examops.domain.roster_near_header import NearHeader, NearHeaderSearch
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


class _Parser(_HeaderChecks, _UniquenessChecks):
    """Reads files sheet by sheet; the header and cross-row checks live in their own modules."""

    inline_plain_rows = True  # False sends every row through parse_row (a test compares the two)
    plain_columns = True  # False reads even a plain sheet row by row (a test compares the two)

    def __init__(self, sessions: Mapping[str, str] | None, today: _dt.date) -> None:
        self.sessions = None if sessions is None else {clean_text(k).casefold(): v for k, v in sessions.items()}
        self.session_names = None if sessions is None else sorted(set(sessions))
        self.today = today
        self.today_digits = f"{today.year:04d}{today.month:02d}{today.day:02d}"
        self.date_cache: dict[str, bool] = {}
        self.synonyms = _synonym_index()
        self.near_headers = NearHeaderSearch(self.synonyms)
        self.searched: list[str] = []  # the current file's sheets whose rows were searched for a header
        self.closest: NearHeader | None = None  # and the row among them that came closest to one
        self.headerless_data = False  # and whether one of them holds candidates under no header (refused on its own)
        self.entries: list[RosterEntry] = []
        self.problems: list[Problem] = []
        self.keyed: list[RosterEntry | _Partial] = []
        self.headers: dict[tuple[str, str], dict[str, str]] = {}

    # -- sheets

    def parse_file(self, file: str, sheets: Sequence[SheetInput]) -> None:
        data_sheets = 0
        self.searched, self.closest, self.headerless_data = [], None, False
        for sheet in sheets:
            data_sheets += self.parse_sheet(file, sheet)
        if not data_sheets and not self.headerless_data:  # a sheet of candidates without a header has said it all
            self.problems.append(self.no_header_anywhere(file, [s.name for s in sheets], self.searched))

    def note(self, file: str, sheet: str, code: str, message: str | Phrase, fix: str | Phrase, severity: str = "note",
             row: int | None = None) -> None:
        self.problems.append(Problem(severity, file, sheet, row, None, None, None, message, fix, code))

    def parse_sheet(self, file: str, sheet: SheetInput) -> int:
        """Parse one sheet; returns 1 when it is a data sheet (has a header)."""
        name = sheet.name
        rows = sheet.rows
        if name == PROBLEMS_SHEET:
            self.note(file, name, "problems-sheet", N_("This sheet is an examops problem list and was skipped."),
                      N_("No action is needed."))
            return 0
        if not any(not _is_blank(v) for row in rows for v in row):
            self.note(file, name, "empty-sheet", N_("The hidden sheet is empty and was skipped.") if sheet.hidden
                      else N_("The sheet is empty and was skipped."), N_("No action is needed."))
            return 0
        sheet_key = clean_text(name).casefold()
        if any(word in sheet_key for word in INSTRUCTION_WORDS):
            self.note(file, name, "instruction-sheet",
                      N_("The hidden sheet looks like instructions (by its name) and was skipped.") if sheet.hidden
                      else N_("The sheet looks like instructions (by its name) and was skipped."),
                      N_("If it holds candidates, rename the sheet and import again."))
            return 0
        self.searched.append(name)
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
            self.note(file, name, "no-rows", said(N_("The sheet has a header in row {row} but no candidate rows."),
                                                  row=layout.header_row),
                      N_("No action is needed if the sheet is meant to be empty."))
        return 1

    def parse_rows(self, file: str, sheet: str, rows: list[list[object]], layout: _Layout, hidden_rows: frozenset[int]) -> int:
        """Validate the data rows of one sheet; returns how many candidate rows it had.

        A row whose every cell is in its plainest form (the usual 50k of them) becomes an entry right here, with
        the same values ``parse_row`` gives it; any other row goes through ``parse_row``, which words its problems.
        """
        cols = layout.columns
        c_ticket, c_name, c_id, c_room, c_seat = (cols[f] for f in REQUIRED_FIELDS)
        c_session, c_sex, c_site = cols.get("session"), cols.get("sex"), cols.get("site")
        needed = max(cols.values()) + 1
        self.headers[(file, sheet)] = layout.headers
        entries, keyed, letters = self.entries, self.keyed, layout.letters
        today_digits, date_cache, session_spelling = self.today_digits, self.date_cache, self.session_spelling
        plain = plain_entries(rows, layout, file, sheet, hidden_rows, today_digits, date_cache, session_spelling) \
            if self.plain_columns and self.inline_plain_rows else None
        if plain is not None:
            entries.extend(plain)
            keyed.extend(plain)
            return len(plain)
        in_footer = False
        count = 0
        for index in range(layout.header_row, len(rows)):
            row = rows[index]
            if len(row) < needed:
                row = row + [None] * (needed - len(row))
            ticket_raw, name_raw, id_raw, room_raw, seat_raw = row[c_ticket], row[c_name], row[c_id], row[c_room], row[c_seat]
            if _is_blank(ticket_raw) and _is_blank(id_raw) and _is_blank(name_raw) and _is_blank(room_raw) and _is_blank(seat_raw):
                continue
            first = row[0]
            if (first is None or first.__class__ is str) and _is_footer(row):
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
                        said(N_("Row {row} is hidden but holds a candidate; it was not read."), row=row_no),
                        N_("Unhide the rows in Excel (select all ▸ right-click a row number ▸ Unhide) and check them: "
                           "delete the rows that must not be imported, then import again."),
                        "hidden-row",
                    )
                )
                continue
            session_raw = None if c_session is None else row[c_session]
            sex_raw = None if c_sex is None else row[c_sex]
            site_raw = None if c_site is None else row[c_site]
            entry = None
            # The plainest row, checked as parse_row's fast paths check it (a test holds the two to agreement).
            if (self.inline_plain_rows and ticket_raw.__class__ is str and ticket_raw.isdigit() and ticket_raw.isascii() and 6 <= len(ticket_raw) <= 24
                    and name_raw.__class__ is str and id_raw.__class__ is str and id_raw.isascii() and len(id_raw) == 18
                    and (seat_raw.__class__ is int or (seat_raw.__class__ is float and seat_raw.is_integer())) and seat_raw >= 1
                    and room_raw.__class__ in (str, int)):
                name = clean_name(name_raw)
                id_number = id_raw.upper()
                try:
                    room = canonical_room(room_raw)
                except ValueError:
                    room = None
                session = sex = None
                if session_raw is not None and not _is_blank(session_raw):
                    session = session_spelling(clean_text(session_raw)) if session_raw.__class__ is str else None
                    plain_session = session is not None
                else:
                    plain_session = True
                if name and room is not None and plain_session and _plainly_valid_id(id_number, today_digits, date_cache):
                    sex = "M" if int(id_number[16]) % 2 else "F"
                    if sex_raw is not None and _SEX_WORDS.get(sex_raw) != sex:
                        sex = None  # parse_row words the odd or disagreeing sex
                if sex is not None:
                    site = None if site_raw is None or _is_blank(site_raw) else clean_name(value_text(site_raw))
                    entry = RosterEntry(ticket_raw, name, id_number, sex, room, int(seat_raw), session, site, file, sheet,
                                        row_no, letters)
            if entry is not None:
                entries.append(entry)
                keyed.append(entry)
                continue
            self.parse_row(_Cell(self, layout, file, sheet, row_no), ticket_raw, name_raw, id_raw, room_raw, seat_raw,
                           session_raw, sex_raw, site_raw)
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
