"""What a printed sheet would cut or spill, counted independently of the writer: East Asian wide characters are two."""

from __future__ import annotations

import math
import unicodedata

from openpyxl.utils import column_index_from_string, get_column_letter


def cells_wide(text: str) -> int:
    return max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in text.split("\n"))


def _width(ws, column: int) -> float:  # noqa: ANN001
    dim = ws.column_dimensions.get(get_column_letter(column))
    return float(dim.width) if dim is not None and dim.width else 8.43


def _hidden(ws, column: int) -> bool:  # noqa: ANN001
    dim = ws.column_dimensions.get(get_column_letter(column))
    return bool(dim is not None and dim.hidden)


def _last_printed(ws) -> int:  # noqa: ANN001
    if not ws.print_area:
        return ws.max_column
    corner = str(ws.print_area).split(":")[-1].replace("$", "")
    return column_index_from_string("".join(ch for ch in corner if ch.isalpha()))


def print_problems(ws) -> list[str]:  # noqa: ANN001
    """Each printed cell whose text does not fit its cell (or merged range) at the sheet's widths and heights."""
    merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    inside = {(row, col) for r in ws.merged_cells.ranges for row in range(r.min_row, r.max_row + 1)
              for col in range(r.min_col, r.max_col + 1)} - set(merged)
    problems, last = [], _last_printed(ws)
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in inside or _hidden(ws, cell.column) \
                    or cell.column > last:
                continue
            align = cell.alignment
            if align.horizontal == "centerContinuous" or align.shrink_to_fit:
                continue
            text, size = str(cell.value), float(cell.font.sz or 11)
            if (cell.row, cell.column) in merged:
                r = merged[(cell.row, cell.column)]
                width = sum(_width(ws, c) for c in range(r.min_col, r.max_col + 1))
            elif not align.wrap_text and (cell.border.left is None or not cell.border.left.style):
                # Unbordered text runs on over empty neighbours, up to the sheet's last column.
                width, column = _width(ws, cell.column), cell.column + 1
                while column <= last and ws.cell(cell.row, column).value is None:
                    width, column = width + _width(ws, column), column + 1
            else:
                width = _width(ws, cell.column)
            room = (width - 1.5) * 11 / max(size, 9)
            lines = sum(max(1, math.ceil(cells_wide(line) / room)) for line in text.split("\n"))
            height = ws.row_dimensions[cell.row].height or 15.0
            where = f"{ws.title}!{cell.coordinate} {text[:30]!r}"
            if lines > 1 and not align.wrap_text and text.count("\n") + 1 < lines:
                problems.append(f"{where}: cut ({cells_wide(text)} cells in a {width:.0f} wide cell, no wrap)")
            elif lines * size * 1.2 > height + 0.5:
                problems.append(f"{where}: {lines} line(s) of {size:g} pt in a {height:g} pt row")
    return problems
