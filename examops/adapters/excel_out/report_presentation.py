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

SHOWN_PER_KIND = 12
"""Problems named per kind; the rest are counted, so one sweeping edit does not bury the others."""

_ATTRIBUTES = ("number_format", "font", "fill", "border", "alignment", "protection")
_WORDS = {"number_format": "number format", "font": "font", "fill": "fill", "border": "border",
          "alignment": "alignment", "protection": "protection"}


def _expected_looks() -> dict[str, dict[str, object]]:
    """Style name → the attributes a cell of that style has when the builder writes it."""
    looks = {style.name: {a: getattr(style, a) for a in _ATTRIBUTES} for style in STYLES}
    blank = Workbook().active["A1"]  # openpyxl's default: what a cell the builder never styled looks like
    looks["Normal"] = {a: copy(getattr(blank, a)) for a in _ATTRIBUTES}  # plain values, not openpyxl's proxies
    return looks


def _describe(attribute: str, value: object) -> str:
    if attribute == "number_format":
        return repr(value)
    if attribute == "font":
        color = getattr(value.color, "rgb", None) if value.color is not None else None
        return f"{value.name} {value.sz}" + (f" colour {color}" if isinstance(color, str) else "")
    if attribute == "fill":
        color = getattr(value.fgColor, "rgb", None)
        return f"{value.fill_type or 'none'}" + (f" {color}" if isinstance(color, str) and value.fill_type else "")
    return "changed"


def presentation_problems(source: str | Path | Workbook, signature_title: str) -> list[str]:
    """Every way the workbook's look differs from what the builder writes, each naming its sheet and cell
    (`source`: the file, or the workbook `report_reader.open_report` read from it)."""
    looks = _expected_looks()
    workbook = source if isinstance(source, Workbook) else load_workbook(source, rich_text=False)
    found: dict[str, list[str]] = {}
    differences: dict[tuple, list[tuple[str, str]]] = {}  # a cell format (a few per report) → what differs, checked once

    def differs(cell) -> list[tuple[str, str]]:  # noqa: ANN001 - an openpyxl cell
        style = getattr(cell, "_style", None)
        key = tuple(style) if style is not None else ()  # no style array: openpyxl's default format
        if key not in differences:
            expected = looks.get(cell.style)
            if expected is None:
                differences[key] = [("style", f"the cell style {cell.style!r} is not one the report writes")]
            else:
                differences[key] = [(a, f"{_WORDS[a]} {_describe(a, getattr(cell, a))} is not what the report writes "
                                        f"({_describe(a, value)})") for a, value in expected.items() if getattr(cell, a) != value]
        return differences[key]

    def say(kind: str, text: str) -> None:
        found.setdefault(kind, []).append(text)

    for name in workbook.defined_names:
        say("name", f"the workbook defines the name {name!r}: the report writes none")
    for ws in workbook.worksheets:
        where = ws.title
        if ws.sheet_state != "visible":
            say("sheet", f"{where}: the sheet is {ws.sheet_state}: every sheet of the report is shown")
        for name in ws.defined_names:
            say("name", f"{where}: the sheet defines the name {name!r}: the report writes none")
        for number, row in ws.row_dimensions.items():
            if row.hidden or (row.height is not None and row.height < 1):
                say("hidden", f"{where}!{number}:{number}: row {number} is hidden")
        for letter, column in ws.column_dimensions.items():
            if column.hidden or (column.customWidth and column.width is not None and column.width < 1):
                say("hidden", f"{where}!{letter}:{letter}: column {letter} is hidden")
        for rule_range in ws.conditional_formatting:
            say("conditional", f"{where}!{rule_range.sqref}: a conditional format: the report writes none")
        for validation in ws.data_validations.dataValidation:
            say("validation", f"{where}!{validation.sqref}: data validation: the report writes none")
        if ws.merged_cells.ranges:
            say("merged", f"{where}!{ws.merged_cells.ranges[0]}: merged cells: the report merges none")
        if ws.title != signature_title and getattr(ws, "_images", []):
            say("picture", f"{where}: a picture over the cells: only the signature sheet has one (its QR code)")
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    say("comment", f"{where}!{cell.coordinate}: a comment: the report writes none")
                for kind, text in differs(cell):
                    say(kind, f"{where}!{cell.coordinate}: {text}")
    if workbook is not source:
        workbook.close()
    problems = []
    for items in found.values():
        problems += items[:SHOWN_PER_KIND]
        if len(items) > SHOWN_PER_KIND:
            problems.append(f"… and {len(items) - SHOWN_PER_KIND} more like it")
    return problems
