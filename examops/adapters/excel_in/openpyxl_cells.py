"""The second reader for .xlsx/.xlsm packages calamine refuses (odd part paths, UTF-16 XML): openpyxl, read-only."""

from __future__ import annotations


def read(path: str) -> list[tuple[str, bool, list[list[object]], list[tuple[int, int, int, int]], frozenset[int]]]:
    """(name, hidden, Excel-numbered rows, merged spans (none in read-only mode), hidden rows (read by the parent))."""
    import warnings

    import openpyxl

    sheets = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        try:
            for worksheet in workbook.worksheets:
                rows: list[list[object]] = []
                for row in worksheet.iter_rows(min_row=1):
                    number = next((cell.row for cell in row if getattr(cell, "row", None)), None)
                    if number is not None:
                        while len(rows) < number - 1:
                            rows.append([])
                    rows.append([None if cell.value == "" else cell.value for cell in row])
                while rows and all(value is None for value in rows[-1]):
                    rows.pop()
                width = max((len(row) for row in rows), default=0)
                rows = [row + [None] * (width - len(row)) for row in rows]
                sheets.append((worksheet.title, worksheet.sheet_state != "visible", rows, [], frozenset()))
        finally:
            workbook.close()
    return sheets
