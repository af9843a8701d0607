"""One roster row's cells checked and normalised, each problem pinned to its Excel cell (pure Python)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from examops.domain import idnumber
from examops.domain.idnumber import IdError
from examops.domain.roster_model import (
    FIELD_LABELS,
    FIX_NUMBER_CELL,
    Problem,
    _Layout,
)
from examops.domain.roster_values import (
    _SCIENTIFIC,
    _SEX_WORDS,
    _is_blank,
    _plainly_valid_id,
    _seat_number,
    clean_text,
    value_text,
)

if TYPE_CHECKING:
    from examops.domain.roster import _Parser


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
