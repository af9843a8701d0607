"""Column widths and row heights as fitting has always worked them out (the report's look depends on them): the
fast loops over a sheet's kept cells give what the cell-by-cell arithmetic gives."""

from __future__ import annotations

import math

from examops.adapters.excel_out.book import LOOKS, Book, Sheet
from examops.adapters.excel_out.fit import LINE_POINTS, PADDING, ROW_PADDING, column_width, display_width

VALUES = ["", "a", "考生姓名", "ticket 2021000123", "一行\n两行\n第三行比较长的一行文字", 0, 7, 10 ** 12, "　　缩进的标签",
          "x" * 90, "宽" * 45, "mixed 中文 and ASCII text that wraps", "\n", "😀 emoji"]


def _widths_then(sheet_cells: dict, looks: dict, caps: dict, floor: float = 6.0, cap: float = 40.0) -> dict:
    widths: dict[int, float] = {}
    for (row, column), value in sheet_cells.items():
        size, wraps = looks[(row, column)]
        need = display_width(value) * (max(size, 11.0) / 11.0) + PADDING
        limit = caps.get(column, cap) if wraps else max(caps.get(column, cap), need)
        widths[column] = max(widths.get(column, floor), min(need, limit))
    return widths


def _heights_then(ws, sheet_cells: dict, looks: dict) -> dict:  # noqa: ANN001
    needed: dict[int, float] = {}
    for (row, column), value in sheet_cells.items():
        size, wraps = looks[(row, column)]
        if not wraps:
            continue
        room = max(column_width(ws, column) / (max(size, 11.0) / 11.0) - PADDING, 1.0)
        lines = sum(max(1, math.ceil(display_width(line) / room)) for line in str(value).split("\n"))
        needed[row] = max(needed.get(row, 0.0), lines * size * LINE_POINTS + ROW_PADDING)
    return needed


def test_a_sheet_is_fitted_as_cell_by_cell_arithmetic_fits_it():
    book = Book("zh")
    sheet = Sheet(book, "fit", [10, 12, 8, 20, 6])
    styles = list(LOOKS)
    for row, value in enumerate(VALUES, start=1):
        for column in range(1, 6):
            sheet.put(row, column, value if column % 2 else f"{value}{column}", styles[(row + column) % len(styles)])
    sheet.set_height(3, 90.0)  # taller than it needs: kept
    cells = dict(sheet.values)
    looks = {at: LOOKS[sheet.styles[at]] for at in cells}
    caps = {2: 14.0}
    widths = _widths_then(cells, looks, caps)
    sheet.fit(caps=caps)
    assert {c: sheet.ws.column_dimensions[chr(64 + c)].width for c in widths} == {c: round(w, 1) for c, w in widths.items()}
    heights = _heights_then(sheet.ws, cells, looks)
    assert heights and heights[3] < 90.0
    assert sheet.heights == {row: float(max(h, 90.0 if row == 3 else 0.0)) for row, h in heights.items()}
