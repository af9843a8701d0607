"""Reading a saved report back: every cell as openpyxl gives it, the Summary figures and the signature sheet.

The layout knowledge lives on both sides: this reads what `ReportBook` wrote
(the `key` column, the signature sheet's title in either language).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from examops.adapters.excel_out.report_layout import KEY_HEADER
from examops.domain.report_digest import SheetCells
from examops.domain.report_verification import FigureTable, SignatureCells
from examops.i18n.report_words import words


def load_cells(path: str | Path) -> list[SheetCells]:
    """Every non-empty cell of every sheet, as openpyxl reads it back (read-only, formulas as text)."""
    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        sheets = []
        for ws in workbook.worksheets:
            cells = [(cell.row, cell.column, cell.value) for row in ws.iter_rows() for cell in row
                     if cell.value is not None and cell.value != ""]
            sheets.append((ws.title, cells))
        return sheets
    finally:
        workbook.close()


def open_report(path: str | Path):  # noqa: ANN201 - an openpyxl Workbook
    """The whole workbook, looks and all (what `report verify` reads once for the cells and for their look)."""
    return load_workbook(path, rich_text=False)


def cells_of(workbook) -> list[SheetCells]:  # noqa: ANN001 - an openpyxl Workbook
    """`load_cells` of a workbook `open_report` read: every non-empty cell, row-major, as openpyxl read it."""
    return [(ws.title, [(row, column, cell.value) for (row, column), cell in sorted(ws._cells.items())
                        if cell.value is not None and cell.value != ""]) for ws in workbook.worksheets]


def _rows(cells: Sequence[tuple[int, int, object]]) -> dict[int, dict[int, object]]:
    rows: dict[int, dict[int, object]] = {}
    for row, column, value in cells:
        rows.setdefault(row, {})[column] = value
    return rows


def figure_table(cells: Sequence[tuple[int, int, object]], sessions: Sequence[str]) -> FigureTable:
    """Read the figure rows under the header row that has a `key` column (the last one; column B in older reports)."""
    rows = _rows(cells)
    table = FigureTable()
    header = next((r for r in sorted(rows) if KEY_HEADER in rows[r].values()), None)
    if header is None:
        table.missing_sessions = list(sessions)
        return table
    key_column = next(c for c, v in rows[header].items() if v == KEY_HEADER)
    column_of = {str(value): column for column, value in rows[header].items() if column > 1 and column != key_column}
    for session in sessions:
        if session not in column_of:
            table.missing_sessions.append(session)
            continue
        table.columns[session] = {}
    for row in sorted(r for r in rows if r > header):
        key = rows[row].get(key_column)
        if not isinstance(key, str) or not key:
            continue
        for session in table.columns:
            column = column_of[session]
            table.where[(session, key)] = f"{get_column_letter(column)}{row}"
            value = rows[row].get(column)
            if value is not None:
                table.columns[session][key] = value
    return table


def signature_cells(sheets: Sequence[SheetCells]) -> SignatureCells | None:
    """The signature sheet's fields (the last sheet whose title is the signature's, in either language)."""
    titles = {words("zh")["signature"], words("en")["signature"]}
    found = [(title, cells) for title, cells in sheets if title in titles]
    if not found:
        return None
    title, cells = found[-1]
    result = SignatureCells(title, language="zh" if title == words("zh")["signature"] else "en")
    for row, values in sorted(_rows(cells).items()):
        key = values.get(2)
        if key == "chain":
            result.chain_heads.append([values.get(3), values.get(4), values.get(5)])
        elif key == "sheet":
            hashes = "".join(str(values[c]) for c in sorted(values) if c > 5)
            result.sheets[str(values.get(3))] = (values.get(5), values.get(4), hashes)
        elif isinstance(key, str) and key and key != KEY_HEADER:
            result.fields[key] = values.get(3)
            result.where[key] = f"C{row}"
    return result
