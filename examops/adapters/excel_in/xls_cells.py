"""Legacy .xls cells, hidden rows, hidden sheets and merges through xlrd (``formatting_info=True``).

Runs in the reader child (see ``guard``): xlrd is pure Python but a small
file can still describe millions of formatted cells.
"""

from __future__ import annotations

import os

# Calamine returns whole numbers stored as RK integers as int; xlrd gives floats, so small whole numbers become int.
_SMALL_INT = 2**29
_EMPTY_TYPES = frozenset({0, 6})  # XL_CELL_EMPTY, XL_CELL_BLANK


def read(path: str) -> tuple[list[tuple[str, bool, list[list[object]], list[tuple[int, int, int, int]], frozenset[int]]], bool]:
    """((name, hidden, Excel-numbered rows, merged spans, hidden rows) of every worksheet, whether hidden rows were read).

    Excel 2.x-4.0 worksheets carry no formatting xlrd can read: their cells come without hidden rows.
    """
    import xlrd

    with open(os.devnull, "w") as quiet:
        try:
            book = xlrd.open_workbook(path, formatting_info=True, logfile=quiet, on_demand=True)
            formatted = True
        except NotImplementedError:
            book = xlrd.open_workbook(path, logfile=quiet, on_demand=True)
            formatted = False
        try:
            sheets = []
            for index in range(book.nsheets):
                sheet = book.sheet_by_index(index)
                rows = _rows(sheet, book.datemode, xlrd)
                hidden_rows = frozenset(r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden)
                merged = [(r1 + 1, c1 + 1, r2, c2) for r1, r2, c1, c2 in sheet.merged_cells]
                sheets.append((sheet.name, sheet.visibility != 0, rows, merged, hidden_rows))
                book.unload_sheet(index)
            return sheets, formatted
        finally:
            book.release_resources()


def _rows(sheet, datemode: int, xlrd) -> list[list[object]]:  # noqa: ANN001
    """Rows without their empty tails (xlrd keeps a cell for every formatted blank)."""
    rows: list[list[object]] = []
    last_filled = 0
    for r in range(sheet.nrows):
        types = sheet.row_types(r)
        if _EMPTY_TYPES.issuperset(types):
            rows.append([])
            continue
        end = len(types)
        while types[end - 1] in _EMPTY_TYPES:
            end -= 1
        values = sheet.row_values(r, 0, end)
        rows.append([_value(kind, value, datemode, xlrd) for kind, value in zip(types[:end], values)])
        last_filled = r + 1
    del rows[last_filled:]
    return rows  # ragged, as CSV rows are: a few far cells must not become a dense grid


def _value(kind: int, value: object, datemode: int, xlrd) -> object:  # noqa: ANN001
    if kind == xlrd.XL_CELL_TEXT:
        return value if value != "" else None
    if kind == xlrd.XL_CELL_NUMBER:
        return int(value) if value.is_integer() and abs(value) < _SMALL_INT else value
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(value, datemode)
        except Exception:  # noqa: BLE001 - an out-of-range date serial stays the number Excel stored
            return value
        return moment.time() if value < 1 else moment
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    return None  # empty, blank, error
