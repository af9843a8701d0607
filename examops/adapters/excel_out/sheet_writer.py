"""Saving a workbook with openpyxl, its plain cells written as text rather than one XML element object each.

openpyxl builds and serialises an element tree for every cell: most of saving a 50k-candidate report. Here a cell
holding text or a whole number (all the report writes) becomes the same characters openpyxl's writer would put
in the file, escaped by the same functions; every other cell, and every sheet openpyxl would write through lxml,
goes through openpyxl's own code. A test saves workbooks both ways and compares the files byte for byte.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # what openpyxl's writer escapes with
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell._writer import write_cell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter


def _plain(cell) -> bool:  # noqa: ANN001 - an openpyxl cell
    """A cell this module writes: an empty one, a whole number, or text openpyxl would not mark xml:space."""
    value, kind = cell._value, cell.data_type
    if kind == "n":
        return value is None or type(value) is int
    if kind == "s" and type(value) is str:
        stripped = value.strip()
        return not stripped or stripped == value
    return False


class _SheetWriter(WorksheetWriter):
    def write_rows(self) -> None:
        xf = self.xf.send(True)
        write = getattr(xf, "_file", None)  # et_xmlfile's writer; lxml's (where installed) has none
        with xf.element("sheetData"):
            for row_idx, row in self.rows():
                if write is None or any(c._comment is not None or c.hyperlink is not None for c in row):
                    self.write_row(xf, row, row_idx)
                else:
                    self._write_plain_row(write, xf, row, row_idx)
        self.xf.send(None)

    def _write_plain_row(self, write, xf, row, row_idx: int) -> None:  # noqa: ANN001
        """`write_row`'s output for a row without comments or links."""
        attrs = {"r": f"{row_idx}"}
        attrs.update(self.ws.row_dimensions.get(row_idx, {}))
        parts = ["<row", *(f' {k}="{_escape_attrib(v)}"' for k, v in attrs.items()), ">"]
        for cell in row:
            styled = cell.has_style
            value = cell._value
            if value is None and not styled:
                continue
            if not _plain(cell):
                write("".join(parts))
                parts = []
                write_cell(xf, self.ws, cell, styled)
                continue
            kind = "inlineStr" if cell.data_type == "s" else cell.data_type
            start = f'<c r="{cell.coordinate}" s="{cell.style_id}" t="{kind}"' if styled else f'<c r="{cell.coordinate}" t="{kind}"'
            if value is None or value == "":
                parts.append(start + " />")
            elif kind == "inlineStr":
                parts.append(f"{start}><is><t>{_escape_cdata(value)}</t></is></c>")
            else:
                parts.append(f"{start}><v>{value}</v></c>")
        parts.append("</row>")
        write("".join(parts))


class _Writer(ExcelWriter):
    def write_worksheet(self, ws) -> None:  # noqa: ANN001 - openpyxl's, with the sheet writer above
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws)
        writer.write()
        ws._rels = writer._rels
        self._archive.write(writer.out, ws.path[1:])
        self.manifest.append(ws)
        writer.cleanup()


def save(workbook: Workbook, path: str | Path) -> None:
    """`workbook.save(path)`, faster (see the module's docstring)."""
    if workbook.read_only:
        raise TypeError("a read-only workbook cannot be saved")
    if workbook.write_only and not workbook.worksheets:
        workbook.create_sheet()
    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    workbook.properties.modified = dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)
    _Writer(workbook, archive).save()
