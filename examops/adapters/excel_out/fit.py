"""Column widths and row heights that hold what a sheet prints: no text cut, none spilling over the next row.

Widths are counted in display cells (`unicodedata.east_asian_width`: W and F
take two, everything else one), the unit Excel's column width roughly is.
A column grows to its widest value up to its cap; past the cap it wraps, and
the row is made as tall as its tallest cell's lines. A line of text across
the sheet (a banner) that is wider than the table is merged across it and
wrapped, so it is neither cut at the print edge nor run into the margin.
"""

from __future__ import annotations

import math
import unicodedata

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

PADDING = 2.0
"""Width units added to the widest value: the cell's margins and its border."""
LINE_POINTS = 1.35
"""A line of text is this many times its font size tall."""
ROW_PADDING = 4.0


def display_width(text: object) -> int:
    """Display cells of the widest line of `text`: East Asian wide and full-width characters count two."""
    lines = str(text).split("\n")
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines)


def wrapped_lines(text: object, width: float) -> int:
    """How many lines `text` takes in a column `width` units wide (at least one)."""
    room = max(width - PADDING, 1.0)
    return sum(max(1, math.ceil(display_width(line) / room)) for line in str(text).split("\n"))


def _font_size(cell) -> float:  # noqa: ANN001
    return float(cell.font.sz or 11) if cell.font is not None else 11.0


def _scale(cell) -> float:  # noqa: ANN001
    """Wider fonts need wider columns: widths are in units of an 11-point character (smaller fonts get no less room:
    printers and PDF fonts set digits wider than Excel's estimate)."""
    return max(_font_size(cell), 11.0) / 11.0


def fit_columns(ws: Worksheet, cells, *, caps: dict[int, float] | None = None, floor: float = 6.0,  # noqa: ANN001
                cap: float = 40.0) -> dict[int, float]:
    """Set each column's width from the widest of `cells` ((row, column) → value) in it, within `floor`…its cap."""
    caps = caps or {}
    widths: dict[int, float] = {}
    for (row, column), value in cells.items():
        cell = ws.cell(row=row, column=column)
        need = display_width(value) * _scale(cell) + PADDING
        widths[column] = max(widths.get(column, floor), min(need, caps.get(column, cap)))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = round(width, 1)
    return widths


def fill_width(ws: Worksheet, columns: int, target: float) -> None:
    """Widen columns 1…`columns` in proportion until they span `target` units (a form fills its page)."""
    widths = [column_width(ws, c) for c in range(1, columns + 1)]
    visible = [w for c, w in enumerate(widths, start=1) if not ws.column_dimensions[get_column_letter(c)].hidden]
    total = sum(visible)
    if not total or total >= target:
        return
    factor = target / total
    for column, width in enumerate(widths, start=1):
        dim = ws.column_dimensions[get_column_letter(column)]
        if not dim.hidden:
            dim.width = round(width * factor, 1)


def column_width(ws: Worksheet, column: int) -> float:
    width = ws.column_dimensions[get_column_letter(column)].width
    return float(width) if width else 8.43


def fit_rows(ws: Worksheet, cells, *, wrap: bool = True) -> None:  # noqa: ANN001
    """Make each row as tall as the most lines any of `cells` in it takes at its column's width (wrapping them)."""
    needed: dict[int, float] = {}
    for (row, column), value in cells.items():
        cell = ws.cell(row=row, column=column)
        width = column_width(ws, column)
        lines = wrapped_lines(value, width / _scale(cell))
        if lines > 1 and wrap and not cell.alignment.wrap_text:
            cell.alignment = _with_wrap(cell.alignment)
        height = lines * _font_size(cell) * LINE_POINTS + ROW_PADDING
        needed[row] = max(needed.get(row, 0.0), height)
    for row, height in needed.items():
        current = ws.row_dimensions[row].height
        ws.row_dimensions[row].height = max(height, float(current or 0))


def fit_banner(ws: Worksheet, row: int, value: object, columns: int) -> None:
    """A line across the sheet: merged and wrapped over `columns` when it would run past them, and tall enough."""
    cell = ws.cell(row=row, column=1)
    total = sum(column_width(ws, c) for c in range(1, columns + 1))
    if display_width(value) * _scale(cell) + PADDING <= total:
        return
    if columns > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    cell.alignment = _with_wrap(cell.alignment)
    lines = wrapped_lines(value, total / _scale(cell))
    height = lines * _font_size(cell) * LINE_POINTS + ROW_PADDING
    ws.row_dimensions[row].height = max(height, float(ws.row_dimensions[row].height or 0))


def _with_wrap(alignment: Alignment) -> Alignment:
    horizontal = alignment.horizontal if alignment.horizontal != "centerContinuous" else "center"
    return Alignment(horizontal=horizontal, vertical=alignment.vertical or "center", wrap_text=True,
                     indent=alignment.indent)
