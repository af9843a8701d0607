"""One roster row's cells checked and normalised, each problem pinned to its Excel cell (pure Python)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from examops.domain import idnumber
from examops.domain.idnumber import IdError
from examops.domain.roster_model import (
    FIX_NUMBER_CELL,
    N_,
    Phrase,
    Problem,
    _Layout,
    field_label,
    said,
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

    def problem(self, severity: str, code: str, field_name: str, raw: object, message: str | Phrase, fix: str | Phrase) -> None:
        layout = self.layout
        self.parser.problems.append(
            Problem(severity, self.file, self.sheet, self.row, layout.letters[field_name], layout.headers[field_name],
                    value_text(raw), message, fix, code)
        )

    def empty(self, field_name: str) -> None:
        label = field_label(field_name)
        self.problem("error", "empty-cell", field_name, None, said(N_("The {label} is empty."), label=label),
                     said(N_("Fill in the {label} in {cell}, or delete the row if it is not a candidate."), label=label,
                          cell=f"{self.layout.letters[field_name]}{self.row}"))

    def number_cell(self, field_name: str, raw: object) -> None:
        cell = f"{self.layout.letters[field_name]}{self.row}"
        if raw.__class__ is str:
            shown = said(N_("the text {text}, Excel's scientific notation"), text=clean_text(raw))
        elif raw.__class__ is float and raw.is_integer():
            shown = said(N_("the number {number}, digits as stored {digits}"), number=value_text(raw), digits=int(raw))
        else:
            shown = said(N_("the number {number}"), number=value_text(raw))
        self.problem(
            "error", "number-cell", field_name, raw,
            said(N_("The {label} in {cell} is stored as a number ({shown}): Excel keeps only 15 significant digits and "
                    "drops leading zeros, so the digits read back are wrong even when they pass a check."),
                 label=field_label(field_name), cell=cell, shown=shown),
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
        if text is None:
            message = said(N_("A ticket number is 6 to 24 digits; this one is not text."))
        elif text.isdigit():
            message = said(N_("A ticket number is 6 to 24 digits; this one has {count} characters."), count=len(text))
        else:
            message = said(N_("A ticket number is 6 to 24 digits; this one has {count} characters including non-digits."),
                           count=len(text))
        self.problem("error", "ticket-format", "ticket", raw, message,
                     N_("Correct the ticket number as printed on the admission ticket, in a Text-formatted cell."))
        return None

    def name(self, raw: object) -> None:
        if _is_blank(raw):
            return self.empty("name")
        self.problem("error", "name-format", "name", raw, N_("The name is not text."),
                     N_("Type the candidate's name as on the ID card."))
        return None

    def id_number(self, raw: object) -> str | None:
        if _is_blank(raw):
            return self.empty("id_number")
        if raw.__class__ in (int, float):
            return self.number_cell("id_number", raw)
        if raw.__class__ is not str:
            self.problem("error", "id-format", "id_number", raw, N_("The ID number is not text."),
                         N_("Type the 18-character ID number in a Text-formatted cell."))
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
            if number[:-1].isdigit() and number.isascii():
                message = said(N_("An ID number is 18 characters (17 digits and a digit or X) or a legacy 15-digit "
                                  "number; this one has {count} characters."), count=len(number))
            else:
                message = said(N_("An ID number is 18 characters (17 digits and a digit or X) or a legacy 15-digit "
                                  "number; this one has {count} characters including characters other than the "
                                  "digits 0–9 and X."), count=len(number))
            self.problem("error", "id-format", "id_number", raw, message,
                         N_("Copy the ID number again from the candidate's ID card."))
            return None
        if verdict.error is IdError.BIRTH_DATE:
            born = number[6:14]
            self.problem("error", "id-birth-date", "id_number", raw,
                         said(N_("The ID number holds the birth date {date}, which is not a real date or lies in the "
                                 "future."), date=f"{born[:4]}-{born[4:6]}-{born[6:]}"),
                         N_("Copy the ID number again from the candidate's ID card; the birth date is characters 7–14."))
            return None
        if verdict.error is IdError.CHECKSUM:
            self.problem("error", "id-checksum", "id_number", raw,
                         said(N_("The ID number's check character is wrong (the first 17 characters call for {due}, "
                                 "not {given}): a character was mistyped."),
                              due=idnumber.check_char(number[:17]), given=number[17]),
                         N_("Copy the ID number again from the candidate's ID card."))
            return None
        if verdict.upgraded_from_15:
            self.problem("note", "id-15-digit", "id_number", raw,
                         said(N_("The legacy 15-digit ID number was upgraded to {number}."), number=number),
                         N_("No action is needed; the candidate may carry the 18-character card."))
        if verdict.unknown_region:
            self.problem("warning", "id-region", "id_number", raw,
                         said(N_("The ID number's area code {code} is not in a known province; the number may still be "
                                 "real, as area codes change."), code=number[:6]),
                         N_("Check the ID number against the candidate's ID card."))
        return number

    def room(self, raw: object) -> None:
        if _is_blank(raw):
            return self.empty("room")
        self.problem("error", "room-format", "room", raw, N_("The room is neither a number nor a room name."),
                     N_("Type the room as on the seating plan, e.g. 001."))
        return None

    def seat(self, raw: object) -> int | None:
        if _is_blank(raw):
            return self.empty("seat")
        seat = _seat_number(raw)
        if seat is None:
            self.problem("error", "seat-format", "seat", raw, N_("A seat is a whole number from 1 up."),
                         N_("Type the seat number, e.g. 1 or 01."))
        return seat

    def session(self, raw: object) -> str | None:
        text = clean_text(value_text(raw))
        session = self.parser.session_spelling(text)
        if session is None:
            known = ", ".join(self.parser.session_names or ()) or Phrase(N_("none"))
            self.problem("error", "unknown-session", "session", raw,
                         said(N_("The session '{session}' is not in the exam plan (known: {known})."), session=text, known=known),
                         N_("Type one of the plan's session ids or names, or leave the cell empty if the candidate sits "
                            "every session."))
        return session

    def sex(self, raw: object, from_id: str | None) -> str | None:
        """The sex to record when the cell is unusual or disagrees with the ID number."""
        if _is_blank(raw):
            return from_id
        stated = _SEX_WORDS.get(clean_text(value_text(raw)).casefold())
        if stated is None:
            self.problem("warning", "sex-value", "sex", raw,
                         N_("The sex is not 男/女 (M/F); the sex encoded in the ID number was used.") if from_id
                         else N_("The sex is not 男/女 (M/F) and was left out."),
                         N_("Type 男 or 女."))
            return from_id
        if from_id is not None and stated != from_id:
            self.problem("warning", "sex-mismatch", "sex", raw,
                         said(N_("The sex says {stated} but the ID number belongs to a man; the sex from the ID number "
                                 "was used.") if from_id == "M" else
                              N_("The sex says {stated} but the ID number belongs to a woman; the sex from the ID "
                                 "number was used."), stated="男" if stated == "M" else "女"),
                         N_("Check the ID number and the sex against the candidate's ID card and correct the wrong one."))
            return from_id
        return stated
