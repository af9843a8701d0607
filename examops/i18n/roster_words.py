"""Roster problems in the reader's language: the domain keeps their msgids and parameters (``Problem.words``),
this fills in the translation."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from examops.i18n import CHINESE, N_, language, normalise_language, translator

if TYPE_CHECKING:
    from examops.domain.roster_model import Problem


def localised(problem: Problem, lang: str | None = None) -> Problem:
    """``problem`` with its message and fix in ``lang`` (default: the process's language) where the domain worded it."""
    words = problem.words
    if words is None:
        return problem
    lang = normalise_language(language() if lang is None else lang)
    catalog = translator(lang)
    chinese = lang == CHINESE
    message, fix = words.render([catalog.gettext(s) for s in words.message], catalog.gettext(words.fix),
                                "、" if chinese else ", ", "" if chinese else " ")
    return replace(problem, message=message, fix=fix)


SEVERITY = {"error": N_("error"), "warning": N_("warning"), "note": N_("note")}


def problem_line(problem: Problem, lang: str | None = None) -> str:
    """One problem as a line for a clerk: where (file · sheet · row · column · value), what, and the fix, in ``lang``."""
    catalog = translator(language() if lang is None else lang)
    where = [problem.file]
    if problem.sheet is not None:
        where.append(problem.sheet)
    if problem.row is not None:
        where.append(catalog.gettext(N_("row {row}")).format(row=problem.row))
    if problem.column is not None:
        where.append(catalog.gettext(N_("column {column} ({header})")).format(column=problem.column, header=problem.header)
                     if problem.header else catalog.gettext(N_("column {column}")).format(column=problem.column))
    if problem.value is not None:
        where.append(f"'{problem.value if len(problem.value) <= 40 else problem.value[:39] + '…'}'")
    text = f"{' · '.join(where)}: {problem.message}"
    return f"{text} — {problem.fix}" if problem.fix else text
