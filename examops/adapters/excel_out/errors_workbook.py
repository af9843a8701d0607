"""``--errors-out``: the roster with its bad cells highlighted and explained.

An xlsx/xlsm source is copied with openpyxl (which parses through defusedxml
when it is installed); an xls or CSV source is rebuilt from the cells already
read, as text. Either way a first sheet lists every problem, in the site's language.
ID numbers stay in full here, unlike on screens: the copy is the clerk's own roster, which holds them all, and the
clerk needs the full value to find and fix the cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from examops.adapters.excel_in import WorkbookContent
from examops.domain.roster import PROBLEMS_SHEET, Problem, value_text
from examops.i18n import CHINESE
from examops.i18n.roster_words import heading, problem_fix, problem_message, severity_word
from examops.locations import make_private

FILLS = {
    "error": PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE"),
    "warning": PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C"),
}
SEVERITY_RANK = {"error": 0, "warning": 1, "note": 2}
LIST_COLUMNS = (  # (heading key, width)
    ("severity", 10),
    ("file", 18),
    ("sheet", 14),
    ("row", 8),
    ("column", 8),
    ("header", 12),
    ("value", 22),
    ("message", 60),
    ("fix", 50),
    ("code", 16),
)
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def write_errors_workbook(
    content: WorkbookContent, problems: Sequence[Problem], out: Path, *, file_label: str | None = None,
    lang: str = CHINESE,
) -> Path:
    """Write the highlighted copy of ``content``'s file to ``out`` and return ``out``.

    Cells are marked for the problems naming this file (its path, its file name
    or ``file_label``, the label given to the parser); the list holds them all.
    """
    out = Path(out)
    workbook = None
    if content.kind == "xlsx":
        try:
            workbook = openpyxl.load_workbook(content.path)
        except Exception:  # openpyxl is stricter than calamine: fall back to the cells already read
            workbook = None
    if workbook is not None:
        sheet_names = {name: name for name in workbook.sheetnames}
    else:
        workbook, sheet_names = _rebuild(content)
    names = {content.path, Path(content.path).name} | ({file_label} if file_label else set())
    ours = [p for p in problems if p.file in names]
    by_cell: dict[tuple[str, int, str], list[Problem]] = {}
    for problem in ours:
        if problem.sheet in sheet_names and problem.row is not None and problem.column is not None:
            by_cell.setdefault((sheet_names[problem.sheet], problem.row, problem.column), []).append(problem)
    for (sheet_name, row, column), cell_problems in by_cell.items():
        _mark(workbook[sheet_name], row, column, cell_problems, lang)
    _problem_list(workbook, problems, sheet_names, names, lang)
    workbook.save(out)
    make_private(out)
    return out


def _rebuild(content: WorkbookContent) -> tuple[openpyxl.Workbook, dict[str, str]]:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    names: dict[str, str] = {}
    for sheet in content.sheets:
        title = _sheet_title(sheet.name, set(names.values()))
        names[sheet.name] = title
        worksheet = workbook.create_sheet(title)
        if sheet.hidden:
            worksheet.sheet_state = "hidden"
        for row in sheet.rows:
            worksheet.append([_safe(value_text(value)) for value in row])
        for number in sheet.hidden_rows:
            worksheet.row_dimensions[number].hidden = True
    if not content.sheets:
        workbook.create_sheet("Sheet1")
    return workbook, names


def _safe(text: str | None) -> str | None:
    """Text without the control characters an xlsx cell cannot hold."""
    return None if text is None else ILLEGAL_CHARACTERS_RE.sub("", text)


def _sheet_title(name: str, taken: set[str]) -> str:
    base = (name.translate(_BAD_SHEET_CHARS).strip("'") or "Sheet")[:31]
    title, counter = base, 2
    while title in taken or title == PROBLEMS_SHEET:
        suffix = f" ({counter})"
        title = base[: 31 - len(suffix)] + suffix
        counter += 1
    return title


def _mark(worksheet, row: int, column: str, cell_problems: list[Problem], lang: str) -> None:
    cell = worksheet[f"{column}{row}"]
    if isinstance(cell, MergedCell):
        for merged in worksheet.merged_cells.ranges:
            if cell.coordinate in merged:
                cell = worksheet.cell(merged.min_row, merged.min_col)
                break
    cell_problems.sort(key=lambda p: SEVERITY_RANK.get(p.severity, 3))
    fill = FILLS.get(cell_problems[0].severity)
    if fill is not None:
        cell.fill = fill
    text = "\n".join(f"[{severity_word(p.severity, lang)}] {problem_message(p, lang)} — {problem_fix(p, lang)}"
                     for p in cell_problems)
    comment = Comment(_safe(text), "examops")
    comment.width = 360
    comment.height = min(60 + 60 * len(cell_problems) + len(text) // 2, 600)
    cell.comment = comment


def _problem_list(workbook, problems: Sequence[Problem], sheet_names: dict[str, str], ours: set[str], lang: str) -> None:
    """A first sheet listing every problem, with a link to the cell for this file's problems."""
    title = PROBLEMS_SHEET
    counter = 2
    while title in workbook.sheetnames:
        title = f"{PROBLEMS_SHEET} ({counter})"
        counter += 1
    listing = workbook.create_sheet(title, 0)
    listing.append([heading(key, lang) for key, _ in LIST_COLUMNS])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for index, (_, width) in enumerate(LIST_COLUMNS, start=1):
        listing.column_dimensions[get_column_letter(index)].width = width
    listing.freeze_panes = "A2"
    ordered = sorted(problems, key=lambda p: (SEVERITY_RANK.get(p.severity, 3), p.file, p.sheet or "", p.row or 0, p.column or ""))
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, problem in enumerate(ordered, start=2):
        listing.append(
            [severity_word(problem.severity, lang), _safe(problem.file), _safe(problem.sheet), problem.row, problem.column,
             _safe(problem.header), _safe(problem.value), _safe(problem_message(problem, lang)),
             _safe(problem_fix(problem, lang)), problem.code]
        )
        for cell in listing[number]:
            cell.alignment = wrap
        fill = FILLS.get(problem.severity)
        if fill is not None:
            listing.cell(number, 1).fill = fill
        target = sheet_names.get(problem.sheet) if problem.sheet is not None else None
        if target and problem.row is not None and problem.file in ours:
            where = f"{problem.column or 'A'}{problem.row}"
            link = listing.cell(number, 4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(target)}!{where}")
            link.font = Font(color="0563C1", underline="single")
    workbook.active = 0
    for worksheet in workbook.worksheets[1:]:
        worksheet.sheet_view.tabSelected = False
