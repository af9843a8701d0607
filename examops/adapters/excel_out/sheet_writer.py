"""Saving a workbook with openpyxl, its plain cells written as text rather than one XML element object each.

openpyxl builds and serialises an element tree for every cell: most of saving a 50k-candidate report. Here a cell
holding text or a whole number (all the report writes) becomes the same characters openpyxl's writer would put
in the file, escaped by the same functions; every other cell, and every sheet openpyxl would write through lxml,
goes through openpyxl's own code. A test saves workbooks both ways and compares the files byte for byte.
"""

from __future__ import annotations

import datetime as dt
from json.encoder import encode_basestring  # what report_digest's lines encode text with
from operator import itemgetter
from pathlib import Path
from typing import Callable
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # what openpyxl's writer escapes with
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell._writer import write_cell
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.writer.excel import ExcelWriter

from examops.domain.report_digest import SheetDigester, cached_letter, row_lines


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


class _KeptSheetWriter(_SheetWriter):
    """A `book.Sheet` whose cells were kept in the Sheet, never made in openpyxl: the rows written from its record
    (values, styles, row heights), the characters openpyxl would write had they been made (`Sheet.materialize`)."""

    def __init__(self, ws, sheet) -> None:  # noqa: ANN001
        super().__init__(ws)
        self.sheet = sheet

    def write_dimensions(self) -> None:
        cells = self.sheet.styles
        if cells:
            rows, columns = [r for r, _ in cells], [c for _, c in cells]
            ref = f"{get_column_letter(min(columns))}{min(rows)}:{get_column_letter(max(columns))}{max(rows)}"
        else:
            ref = "A1:A1"
        self.xf.send(SheetDimension(ref).to_tree())

    def write_rows(self) -> None:
        xf = self.xf.send(True)
        write = xf._file
        sheet = self.sheet
        rendered = sheet.rendered if sheet.rendered is not None else kept_rows(sheet, self.sheet.book.style_id)
        with xf.element("sheetData"):
            done = 0
            for index, (row, text) in enumerate(rendered):
                if text is None:  # a row with a cell openpyxl writes itself: the rows before it first, at once
                    write("".join([t for _, t in rendered[done:index]]))
                    done = index + 1
                    self._write_row_with_odd_cells(xf, write, row)
            write("".join([t for _, t in rendered[done:]]))
        self.xf.send(None)

    def _write_row_with_odd_cells(self, xf, write, row: int) -> None:  # noqa: ANN001
        sheet = self.sheet
        values, styles, height = sheet.values, sheet.styles, sheet.heights.get(row)
        parts = [_row_start(row, height)]
        for column in sorted(column for r, column in styles if r == row):
            value = values.get((row, column))
            cell_xml = _cell_xml(f"{cached_letter(column)}{row}", value, sheet.book.style_id(styles[(row, column)]))
            if cell_xml is not None:
                parts.append(cell_xml)
                continue
            write("".join(parts))  # text with spaces at an end (xml:space="preserve"): openpyxl's own writing of it
            parts = []
            cell = Cell(self.ws, row=row, column=column, value=value)
            cell.data_type = "s"
            cell._style = sheet.book.style_array(styles[(row, column)])
            write_cell(xf, self.ws, cell, True)
        parts.append("</row>")
        write("".join(parts))


def _row_start(row: int, height: float | None) -> str:
    return f'<row r="{row}" ht="{safe_string(height)}" customHeight="1">' if height else f'<row r="{row}">'


def _cell_xml(where: str, value: object, style: int) -> str | None:
    """A kept cell as openpyxl writes it; None for text openpyxl marks xml:space="preserve" (its own code writes it)."""
    if value is None:
        return f'<c r="{where}" s="{style}" t="n" />'
    if type(value) is int:
        return f'<c r="{where}" s="{style}" t="n"><v>{value}</v></c>'
    if value.strip() in ("", value):
        return f'<c r="{where}" s="{style}" t="inlineStr"><is><t>{_escape_cdata(value)}</t></is></c>'
    return None


def kept_rows(sheet, style_id: Callable[[str], int], digest: SheetDigester | None = None) -> list[tuple[int, str | None]]:  # noqa: ANN001
    """A kept sheet's rows in order, each as the XML the writer puts in the file (None: a row holding a cell that
    openpyxl's own code writes). With `digest` each row's value cells are hashed for the report's signature in
    the same pass (`report_digest.row_lines`: the lines `digest_cells` makes of `sheet.cells()`).

    One loop over the cells in row-major order, a text or whole-number cell's XML and digest line made in place
    (what `_cell_xml` and `row_lines` make of it); any other value through them."""
    values, heights, title = sheet.values, sheet.heights, sheet.title
    cells = sorted(sheet.styles.items())
    if heights:  # rows with a height and no cell are written too, empty
        taken = {row for (row, _), _ in cells}
        cells += [((row, 0), None) for row in heights.keys() - taken]
        cells.sort(key=itemgetter(0))
    ids: dict[str, int] = {}
    letters: dict[int, str] = {}
    out: list[tuple[int, str | None]] = []
    append = out.append
    current, parts, lines, count, plain = 0, [], [], 0, True
    for (row, column), name in cells:
        if row != current:
            if current:
                parts.append("</row>")
                append((current, "".join(parts) if plain else None))
                if digest is not None and count:
                    digest.row(current, "".join(lines), count)
            height = heights.get(row)
            parts = [f'<row r="{row}" ht="{safe_string(height)}" customHeight="1">' if height else f'<row r="{row}">']
            current, lines, count, plain = row, [], 0, True
        if name is None:  # the empty row of a height
            continue
        style = ids.get(name)
        if style is None:
            style = ids[name] = style_id(name)
        letter = letters.get(column)
        if letter is None:
            letter = letters[column] = cached_letter(column)
        value = values.get((row, column))
        kind = type(value)
        if value is None:
            parts.append(f'<c r="{letter}{row}" s="{style}" t="n" />')
            continue
        count += 1
        if kind is str:
            lines.append(f"{title}!{letter}{row}=str:{encode_basestring(value)}\n")
            if value.strip() in ("", value):
                parts.append(f'<c r="{letter}{row}" s="{style}" t="inlineStr"><is><t>{_escape_cdata(value)}</t></is></c>')
            else:
                plain = False
        elif kind is int:
            lines.append(f"{title}!{letter}{row}=int:{int.__repr__(value)}\n")
            parts.append(f'<c r="{letter}{row}" s="{style}" t="n"><v>{value}</v></c>')
        else:
            lines.append(row_lines(title, row, [(column, value)]))
            cell_xml = _cell_xml(f"{letter}{row}", value, style)
            if cell_xml is None:
                plain = False
            else:
                parts.append(cell_xml)
    if current:
        parts.append("</row>")
        append((current, "".join(parts) if plain else None))
        if digest is not None and count:
            digest.row(current, "".join(lines), count)
    return out


class _Writer(ExcelWriter):
    def write_worksheet(self, ws) -> None:  # noqa: ANN001 - openpyxl's, with the sheet writer above
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        sheet = getattr(ws, "_examops_sheet", None)
        if sheet is not None and not sheet.materialized and ws._cells:
            sheet.materialize()  # cells made in `ws` besides the kept ones: all of them go through openpyxl
        if sheet is not None and not sheet.materialized:
            writer = _KeptSheetWriter(ws, sheet)
        else:
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
    # Deflate at level 1: a third of the default's time on a 50k report's 9 MB of XML, the file 1.2 MB not 0.9.
    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1)
    workbook.properties.modified = dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)
    writer = _Writer(workbook, archive)
    writer.save()
