"""A roster problem in the reader's language: where it is (file, sheet, row, column), what is wrong, what to do.

The domain keeps each problem's words apart from its values (`roster_model.Phrase`, msgids marked `N_`);
here they are looked up in the catalog of `lang` and filled in. Words a reader has no msgid for (a
reader's own exception text) stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import replace

from examops.domain import idnumber
from examops.domain.roster_model import Phrase, Problem, Sentences, field_label
from examops.i18n import CHINESE, N_, NP_, language, normalise_language, translator, word

SEVERITY = {"error": NP_("roster.severity", "error"), "warning": NP_("roster.severity", "warning"),
            "note": NP_("roster.severity", "note")}
LIST_HEADINGS = {
    "severity": NP_("roster.problems", "Severity"),
    "file": NP_("roster.problems", "File"),
    "sheet": NP_("roster.problems", "Sheet"),
    "row": NP_("roster.problems", "Row"),
    "column": NP_("roster.problems", "Column"),
    "header": NP_("roster.problems", "Header"),
    "value": NP_("roster.problems", "Value"),
    "message": NP_("roster.problems", "Problem"),
    "fix": NP_("roster.problems", "What to do"),
    "code": NP_("roster.problems", "Code"),
}
VALUE_SHOWN_CHARS = 40


def say(words: Phrase | Sentences | str | None, lang: str | None = None) -> str:
    """`words` translated into `lang` (default: the process's), with their values (themselves translated when they are
    words; a tuple is a list) filled in."""
    lang = normalise_language(language() if lang is None else lang)
    if words is None:
        return ""
    if isinstance(words, Sentences):
        return ("" if lang == CHINESE else " ").join(say(p, lang) for p in words.parts)
    if not isinstance(words, Phrase):
        return str(words)
    catalog = translator(lang)
    template = catalog.gettext(words.template) if words.template else ""
    if not words.params:
        return template
    values = {key: _value(value, lang) for key, value in words.params}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder: the English is still right
        return str(words)


def _value(value: object, lang: str) -> str:
    if isinstance(value, tuple):
        return ("、" if lang == CHINESE else ", ").join(_value(v, lang) for v in value)
    return say(value, lang) if isinstance(value, (Phrase, Sentences)) else str(value)


def problem_message(problem: Problem, lang: str | None = None) -> str:
    return say(problem.message_words, lang)


def problem_fix(problem: Problem, lang: str | None = None) -> str:
    return say(problem.fix_words, lang)


def severity_word(severity: str, lang: str | None = None) -> str:
    return word(SEVERITY, severity, lang)


def heading(key: str, lang: str | None = None) -> str:
    return word(LIST_HEADINGS, key, lang)


def problem_place(problem: Problem, lang: str | None = None) -> str:
    """Where the problem is: file · sheet · row · column (header) · 'value', in `lang`."""
    lang = language() if lang is None else lang
    catalog = translator(lang)
    parts = [problem.file]
    if problem.sheet is not None:
        parts.append(catalog.gettext("sheet {sheet}").format(sheet=problem.sheet))
    if problem.row is not None:
        parts.append(catalog.gettext("row {row}").format(row=problem.row))
    if problem.column is not None:
        parts.append(catalog.gettext("column {column} ({header})").format(column=problem.column, header=problem.header)
                     if problem.header else catalog.gettext("column {column}").format(column=problem.column))
    if problem.value is not None:
        value = problem.value if len(problem.value) <= VALUE_SHOWN_CHARS else problem.value[:VALUE_SHOWN_CHARS - 1] + "…"
        parts.append(catalog.gettext("value '{value}'").format(value=value))
    return catalog.gettext(" · ").join(parts)


def problem_line(problem: Problem, lang: str | None = None) -> str:
    """One line for a list or a terminal: where, what, what to do."""
    lang = language() if lang is None else lang
    fix = problem_fix(problem, lang)
    text = translator(lang).gettext("{place}: {message}").format(place=problem_place(problem, lang),
                                                                  message=problem_message(problem, lang))
    return text if not fix else translator(lang).gettext("{text} — {fix}").format(text=text, fix=fix)


# Marked here so the catalog holds them; looked up by `problem_place` and `problem_line`.
_PLACE_WORDS = (N_("sheet {sheet}"), N_("row {row}"), N_("column {column} ({header})"), N_("column {column}"),
                N_("value '{value}'"), N_(" · "), N_("{place}: {message}"), N_("{text} — {fix}"))


# The problems about an ID number cell: their value, and the values of ID_PARAMS in their words, are somebody's number
# (a sheet without a header is refused at its first ID-like cell, which is its value).
ID_CODES = frozenset({"id-format", "id-birth-date", "id-checksum", "id-15-digit", "id-region", "duplicate-id",
                      "ticket-id-mismatch", "id-in-store", "no-header", "hidden-sheet"})
# "date" too: the birth date is what the mask hides. Not "text": Excel's 1.50122E+17 has lost the number already.
ID_PARAMS = frozenset({"id", "other", "number", "digits", "date"})
_ID_LABEL = field_label("id_number")
_ID_SHAPED = re.compile(r"\d{17}[\dXx]|\d{15}")  # an 18-character or a legacy 15-digit number


def about_id_number(problem: Problem) -> bool:
    """True when the problem's cell is an ID number cell (a number-cell problem says which column in its label)."""
    if problem.code in ID_CODES:
        return True
    words = problem.message_words
    return problem.code == "number-cell" and isinstance(words, Phrase) and dict(words.params).get("label") == _ID_LABEL


def on_screen(problem: Problem) -> Problem:
    """`problem` as a screen or a terminal may show it: the ID number in its value and words masked as the gate masks
    one (first 6 and last 4). The --errors-out copy keeps the full numbers: it is a copy of the clerk's own file,
    which holds them all, and the clerk needs them to find and fix the cell. Its `message` and `fix` are English, as a
    new Problem's are: the words are kept for `problem_message` in any language, or `localised`."""
    if not about_id_number(problem):
        words = _masked(problem.message_words, held_only=True)  # a row quoted whole may hold an ID number
        return problem if words == problem.message_words else replace(problem, message=words)
    return replace(problem, value=idnumber.mask(problem.value) if problem.value else problem.value,
                   message=_masked(problem.message_words), fix=_masked(problem.fix_words))  # `message` is English again


def _masked(words: Phrase | Sentences | None, *, held_only: bool = False) -> Phrase | Sentences | None:
    """The words with their ID numbers masked: the ID_PARAMS values, and ID-shaped cells of a quoted row ("held")."""
    if isinstance(words, Sentences):
        return Sentences(tuple(_masked(p, held_only=held_only) for p in words.parts))
    if not isinstance(words, Phrase):
        return words

    def value(key: str, given: object) -> object:
        if isinstance(given, (Phrase, Sentences)):
            return _masked(given, held_only=held_only)
        if key == "held" and isinstance(given, tuple):
            return tuple(idnumber.mask(cell) if isinstance(cell, str) and _ID_SHAPED.fullmatch(cell) else cell
                         for cell in given)
        return idnumber.mask(str(given)) if key in ID_PARAMS and not held_only else given

    return Phrase(words.template, tuple((key, value(key, given)) for key, given in words.params))


def localised(problem: Problem, lang: str | None = None) -> Problem:
    """A copy of `problem` whose message and fix are in `lang` (default: the process's language)."""
    copy = replace(problem, message=problem_message(problem, lang), fix=problem_fix(problem, lang))
    object.__setattr__(copy, "message_words", problem.message_words)  # the words stay, for an edge in another language
    object.__setattr__(copy, "fix_words", problem.fix_words)
    return copy
