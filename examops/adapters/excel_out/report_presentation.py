"""What a person sees in a saved report, compared with what `ReportBook` writes: a signed value can be disguised
(a number format "360" on a cell holding 10, a hidden row, white text) without changing a digest.

The allowed look is derived from the builder's own code: every cell carries one of `book.STYLES` exactly as
defined there (or openpyxl's untouched default), and the builder writes no comments, defined names, conditional
formats, data validation, hidden sheets, rows or columns, and pictures only on the signature sheet.
"""

from __future__ import annotations

from copy import copy
from pathlib import Path

from openpyxl import Workbook, load_workbook

from examops.adapters.excel_out.book import STYLES
from examops.domain.said import N_, NP_, Said, said

SHOWN_PER_KIND = 12
"""Problems named per kind; the rest are counted, so one sweeping edit does not bury the others."""

_ATTRIBUTES = ("number_format", "font", "fill", "border", "alignment", "protection")
_WORDS = {"number_format": N_("number format"), "font": NP_("report.look", "font"), "fill": NP_("report.look", "fill"),
          "border": NP_("report.look", "border"), "alignment": NP_("report.look", "alignment"),
          "protection": NP_("report.look", "protection")}
_SHEET_STATES = {"hidden": NP_("report.sheet_state", "hidden"), "veryHidden": NP_("report.sheet_state", "veryHidden")}


def _expected_looks() -> dict[str, dict[str, object]]:
    """Style name → the attributes a cell of that style has when the builder writes it."""
    looks = {style.name: {a: getattr(style, a) for a in _ATTRIBUTES} for style in STYLES}
    blank = Workbook().active["A1"]  # openpyxl's default: what a cell the builder never styled looks like
    looks["Normal"] = {a: copy(getattr(blank, a)) for a in _ATTRIBUTES}  # plain values, not openpyxl's proxies
    return looks


def _describe(attribute: str, value: object) -> Said | str:
    """The look as data (a format string, a font name, a colour code), with the few words between them said."""
    if attribute == "number_format":
        return repr(value)
    if attribute == "font":
        color = getattr(value.color, "rgb", None) if value.color is not None else None
        named = " ".join(str(part) for part in (value.name, value.sz) if part is not None)
        font = named or said(NP_("report.font", "no name or size"))  # openpyxl's Font(color=…) alone sets neither
        return said(N_("{font} colour {colour}"), font=font, colour=color) if isinstance(color, str) else font
    if attribute == "fill":
        color = getattr(value.fgColor, "rgb", None)
        if not value.fill_type:
            return said(NP_("report.fill", "none"))
        return f"{value.fill_type}" + (f" {color}" if isinstance(color, str) else "")  # openpyxl's pattern name: data
    return said(NP_("report.look", "changed"))


def presentation_problems(source: str | Path | Workbook, signature_title: str) -> list[Said]:
    """Every way the workbook's look differs from what the builder writes, each naming its sheet and cell
    (`source`: the file, or the workbook `report_reader.open_report` read from it)."""
    looks = _expected_looks()
    workbook = source if isinstance(source, Workbook) else load_workbook(source, rich_text=False)
    found: dict[str, list[Said]] = {}
    differences: dict[tuple, list[tuple[str, Said]]] = {}  # a cell format (a few per report) → what differs, checked once

    def differs(cell) -> list[tuple[str, Said]]:  # noqa: ANN001 - an openpyxl cell
        style = getattr(cell, "_style", None)
        key = tuple(style) if style is not None else ()  # no style array: openpyxl's default format
        if key not in differences:
            expected = looks.get(cell.style)
            if expected is None:
                differences[key] = [("style", said(N_("the cell style {style} is not one the report writes"),
                                                   style=repr(cell.style)))]
            else:
                differences[key] = [(a, said(N_("{attribute} {now} is not what the report writes ({expected})"),
                                             attribute=said(_WORDS[a]), now=_describe(a, getattr(cell, a)),
                                             expected=_describe(a, value)))
                                    for a, value in expected.items() if getattr(cell, a) != value]
        return differences[key]

    def say(kind: str, template: str, **fields: object) -> None:
        found.setdefault(kind, []).append(said(template, **fields))

    for name in workbook.defined_names:
        say("name", N_("the workbook defines the name {name}: the report writes none"), name=repr(name))
    for ws in workbook.worksheets:
        where = ws.title
        if ws.sheet_state != "visible":
            state = said(_SHEET_STATES[ws.sheet_state]) if ws.sheet_state in _SHEET_STATES else ws.sheet_state
            say("sheet", N_("{sheet}: the sheet is {state}: every sheet of the report is shown"), sheet=where, state=state)
        for name in ws.defined_names:
            say("name", N_("{sheet}: the sheet defines the name {name}: the report writes none"), sheet=where, name=repr(name))
        for number, row in ws.row_dimensions.items():
            if row.hidden or (row.height is not None and row.height < 1):
                say("hidden", N_("{sheet}!{row}:{row}: row {row} is hidden"), sheet=where, row=number)
        for letter, column in ws.column_dimensions.items():
            if column.hidden or (column.customWidth and column.width is not None and column.width < 1):
                say("hidden", N_("{sheet}!{column}:{column}: column {column} is hidden"), sheet=where, column=letter)
        for rule_range in ws.conditional_formatting:
            say("conditional", N_("{sheet}!{cells}: a conditional format: the report writes none"), sheet=where,
                cells=rule_range.sqref)
        for validation in ws.data_validations.dataValidation:
            say("validation", N_("{sheet}!{cells}: data validation: the report writes none"), sheet=where, cells=validation.sqref)
        if ws.merged_cells.ranges:
            say("merged", N_("{sheet}!{cells}: merged cells: the report merges none"), sheet=where,
                cells=ws.merged_cells.ranges[0])
        if ws.title != signature_title and getattr(ws, "_images", []):
            say("picture", N_("{sheet}: a picture over the cells: only the signature sheet has one (its QR code)"), sheet=where)
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    say("comment", N_("{sheet}!{cell}: a comment: the report writes none"), sheet=where, cell=cell.coordinate)
                for kind, text in differs(cell):
                    say(kind, N_("{sheet}!{cell}: {text}"), sheet=where, cell=cell.coordinate, text=text)
    if workbook is not source:
        workbook.close()
    problems = []
    for items in found.values():
        problems += items[:SHOWN_PER_KIND]
        if len(items) > SHOWN_PER_KIND:
            problems.append(said(N_("… and {count} more like it"), count=len(items) - SHOWN_PER_KIND))
    return problems
