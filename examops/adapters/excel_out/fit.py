"""Column widths and row heights that hold what a sheet prints: no text cut, none spilling over the next row.

Widths are counted in display cells (`unicodedata.east_asian_width`: W and F
take two, everything else one), the unit Excel's column width roughly is.
A column grows to its widest value; a column whose cells wrap stops at its
cap, and the row is made as tall as its tallest cell's lines. A line of text
across the sheet (a banner) wider than the sheet is split into lines that fit
(`split_line`), since the signed report merges no cells and changes no style.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from typing import Callable, Iterable, Mapping

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
    return _display_width(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _display_width(text: str) -> int:  # a report repeats its headers, labels and rooms thousands of times
    lines = text.split("\n")
    if text.isascii():  # no ASCII character is wide: most cells of a report (numbers, tickets, codes)
        return max(map(len, lines))
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines)


def wrapped_lines(text: object, width: float) -> int:
    """How many lines `text` takes in a column `width` units wide (at least one)."""
    room = max(width - PADDING, 1.0)
    return sum(max(1, math.ceil(display_width(line) / room)) for line in str(text).split("\n"))


Look = tuple[float, bool]
"""What fitting needs of a cell's style: its font size and whether it wraps."""


def _font_size(cell) -> float:  # noqa: ANN001
    return float(cell.font.sz or 11) if cell.font is not None else 11.0


def look_of(cell) -> Look:  # noqa: ANN001
    return _font_size(cell), bool(cell.alignment.wrap_text)


def _scale(size: float) -> float:
    """Wider fonts need wider columns: widths are in units of an 11-point character (smaller fonts get no less room:
    printers and PDF fonts set digits wider than Excel's estimate)."""
    return max(size, 11.0) / 11.0


FitCell = tuple[int, int, object, Look]
"""A cell to fit: row, column, value and its look."""


def fit_columns(ws: Worksheet, cells, *, caps: dict[int, float] | None = None, floor: float = 6.0,  # noqa: ANN001
                cap: float = 40.0, looks: Mapping[tuple[int, int], Look] | None = None) -> dict[int, float]:
    """Set each column's width from the widest of `cells` ((row, column) → value) in it, within `floor`…its cap.

    `looks` gives each cell's font size and wrapping when the caller knows them (it styled every cell): reading
    them back through openpyxl's style proxies costs more than the fitting itself."""
    found = [(row, column, value, looks[(row, column)] if looks is not None else look_of(ws.cell(row=row, column=column)))
             for (row, column), value in cells.items()]
    return set_widths(ws, column_widths(found, caps=caps, floor=floor, cap=cap))


def set_widths(ws: Worksheet, widths: dict[int, float]) -> dict[int, float]:
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = round(width, 1)
    return widths


def column_widths(cells: Iterable[FitCell], *, caps: dict[int, float] | None = None, floor: float = 6.0,
                  cap: float = 40.0) -> dict[int, float]:
    """`fit_columns`'s widths (not set anywhere) of cells given with their looks.

    A column's width is the most any of its cells asks, and what a cell asks grows with its text's width for a
    given look: so the widest text of each look in a column decides, and only it is scaled and capped."""
    caps = caps or {}
    widest: dict[tuple[int, Look], int] = {}
    for _, column, value, look in cells:
        need = _display_width(value if type(value) is str else str(value))
        key = (column, look)
        if need > widest.get(key, -1):
            widest[key] = need
    widths: dict[int, float] = {}
    for (column, (size, wraps)), most in widest.items():
        need = most * _scale(size) + PADDING
        column_cap = caps.get(column, cap)
        limit = column_cap if wraps else max(column_cap, need)
        widths[column] = max(widths.get(column, floor), min(need, limit))
    return widths


def split_line(text: str, width: float) -> list[str]:
    """`text` as lines of at most `width` display cells, broken after a separator or between East Asian characters
    (a run of digits or Latin letters stays whole)."""
    lines, line = [], ""
    for token in re.findall(r"[^\s\u3000-\u303f\uff00-\uffef\u2e80-\u9fff]+[；;，,、。.）)]?|.", text):
        if line and display_width(line + token) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line] if line else lines or [""]


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


def fit_rows(ws: Worksheet, cells, *, wrap: bool = False, looks: Mapping[tuple[int, int], Look] | None = None,  # noqa: ANN001
             heights: Mapping[int, float] | None = None) -> dict[int, float]:
    """Make each row as tall as the most lines any of `cells` in it takes at its column's width (`wrap`: turning
    wrapping on for a cell that needs it; the signed report never does, its styles are fixed). `looks` as for
    `fit_columns` (not with `wrap`, which changes them). With `heights` (the rows' heights so far, kept by the
    caller) the new heights are returned, not set on `ws`."""
    if looks is not None and not wrap:
        needed = row_heights([(row, column, value, looks[(row, column)]) for (row, column), value in cells.items()],
                             lambda column: column_width(ws, column))
    else:
        needed = _fit_rows_by_cell(ws, cells, wrap)
    if heights is not None:
        return {row: max(height, heights.get(row) or 0.0) for row, height in needed.items()}
    for row, height in needed.items():
        current = ws.row_dimensions[row].height
        ws.row_dimensions[row].height = max(height, float(current or 0))
    return needed


def row_heights(cells: Iterable[FitCell], width_of: Callable[[int], float]) -> dict[int, float]:
    """The height each row's wrapping cells need at their columns' widths (`width_of`), for cells with their looks."""
    needed: dict[int, float] = {}
    rooms: dict[tuple[int, float], tuple[float, float]] = {}  # (column, size) → (width / scale, room for text)
    for row, column, value, (size, wraps) in cells:
        if not wraps:
            continue
        found = rooms.get((column, size))
        if found is None:
            width = width_of(column) / _scale(size)
            found = rooms[(column, size)] = (width, max(width - PADDING, 1.0))
        text = value if type(value) is str else str(value)
        if "\n" in text:
            lines = wrapped_lines(text, found[0])
        else:  # `wrapped_lines` of one line
            need = _display_width(text)
            lines = 1 if need <= found[1] else math.ceil(need / found[1])
        height = lines * size * LINE_POINTS + ROW_PADDING
        needed[row] = max(needed.get(row, 0.0), height)
    return needed


def _fit_rows_by_cell(ws: Worksheet, cells, wrap: bool) -> dict[int, float]:  # noqa: ANN001
    needed: dict[int, float] = {}
    widths: dict[int, float] = {}
    for (row, column), value in cells.items():
        cell = ws.cell(row=row, column=column)
        size, wraps = look_of(cell)
        if not wraps and not wrap:
            continue
        width = widths.get(column)
        if width is None:
            width = widths[column] = column_width(ws, column)
        lines = wrapped_lines(value, width / _scale(size))
        if lines > 1 and wrap and not wraps:
            cell.alignment = _with_wrap(cell.alignment)
        height = lines * size * LINE_POINTS + ROW_PADDING
        needed[row] = max(needed.get(row, 0.0), height)
    return needed


def _with_wrap(alignment: Alignment) -> Alignment:
    horizontal = alignment.horizontal if alignment.horizontal != "centerContinuous" else "center"
    return Alignment(horizontal=horizontal, vertical=alignment.vertical or "center", wrap_text=True,
                     indent=alignment.indent)
