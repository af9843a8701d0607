"""A laid-out worksheet printed to PDF with reportlab, as its page setup asks: no LibreOffice, no Excel.

The workbook writers already decide every width, height, font, border,
merge, page break, repeated title row, header and footer; this draws them on
A4 the way a spreadsheet prints a sheet fitted to one page wide. Images (the
seat labels' QR codes) are placed at their anchors. Charts are not drawn: the
table they are made from is on the same sheet.
"""

from __future__ import annotations

import os
import re
from io import BytesIO
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from examops.adapters.pdf.fonts import fonts
from examops.locations import make_private

DEFAULT_WIDTH = 8.43
DEFAULT_HEIGHT = 15.0
EMU_PER_POINT = 12700
PAD = 2.0
CID_SUBSTITUTES = str.maketrans({"\u00b7": "\u30fb", "\u2013": "-"})
"""Characters STSong-Light's Unicode map lacks, as ones it has (· prints as a box otherwise)."""


def width_points(units: float) -> float:
    """A column width in Excel's units as points (7 px a unit plus 5 px of margin, at 96 px an inch)."""
    return (units * 7 + 5) * 0.75 if units else 0.0


class SheetLayout:
    """Where each column and row of one worksheet lands, and how its rows fall onto pages."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.landscape = ws.page_setup.orientation == "landscape"
        self.page_w, self.page_h = landscape(A4) if self.landscape else A4
        m = ws.page_margins
        self.left, self.right, self.top, self.bottom = (m.left * 72, m.right * 72, m.top * 72, m.bottom * 72)
        self.columns = self._printed_columns()
        self.widths = [0.0] + [self._col_width(c) for c in range(1, self.columns + 1)]
        self.heights = [0.0] + [float(ws.row_dimensions[r].height or DEFAULT_HEIGHT) if not ws.row_dimensions[r].hidden
                                else 0.0 for r in range(1, ws.max_row + 1)]
        total = sum(self.widths) or 1.0
        self.scale = min(1.0, (self.page_w - self.left - self.right) / total)
        offset = (self.page_w - self.left - self.right - total * self.scale) / 2 if ws.print_options.horizontalCentered else 0
        self.x = [self.left + offset]
        for c in range(1, self.columns + 1):
            self.x.append(self.x[-1] + self.widths[c] * self.scale)
        self.title_rows = self._title_rows()
        self.pages = self._paginate()

    def _printed_columns(self) -> int:
        """The last column to print: the print area's when the sheet has one (machine keys lie beyond it)."""
        area = self.ws.print_area
        if area:
            last = str(area).split(",")[-1].split("!")[-1].split(":")[-1].replace("$", "")
            letters = "".join(ch for ch in last if ch.isalpha())
            if letters:
                return min(column_index_from_string(letters), self.ws.max_column)
        return self.ws.max_column

    def _col_width(self, column: int) -> float:
        dim = self.ws.column_dimensions.get(get_column_letter(column))
        if dim is not None and dim.hidden:
            return 0.0
        return width_points(float(dim.width) if dim is not None and dim.width else DEFAULT_WIDTH)

    def _title_rows(self) -> list[int]:
        titles = self.ws.print_title_rows
        if not titles:
            return []
        first, _, last = titles.replace("$", "").partition(":")
        return list(range(int(first), int(last or first) + 1))

    def _paginate(self) -> list[list[int]]:
        usable = self.page_h - self.top - self.bottom
        breaks = {b.id for b in self.ws.row_breaks.brk}
        pages: list[list[int]] = [[]]
        used = 0.0
        for row in range(1, len(self.heights)):
            height = self.heights[row] * self.scale
            if pages[-1] and (used + height > usable or row - 1 in breaks):
                pages.append([r for r in self.title_rows if r < row])
                used = sum(self.heights[r] * self.scale for r in pages[-1])
            pages[-1].append(row)
            used += height
        return pages


def _tokens(paragraph: str) -> list[str]:
    """Break points: between East Asian characters and at spaces; a run of other characters (a ticket number, an ID
    number, a word) stays whole."""
    return re.findall(r"\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+",
                      paragraph)


def _fitted(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` where it may break (a run too long for a line still breaks)."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            if line and stringWidth(line + token, font, size) > width:
                lines.append(line.rstrip())
                line = "" if token.isspace() else token
            else:
                line += token
            while stringWidth(line, font, size) > width and len(line) > 1:  # a single run wider than the column
                cut = len(line) - 1
                while cut > 1 and stringWidth(line[:cut], font, size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def _widest_run(text: str, font: str, size: float) -> float:
    return max((stringWidth(t, font, size) for t in _tokens(text.replace("\n", " ")) if not t.isspace()), default=0.0)


class SheetPainter:
    """Draws the pages of one laid-out worksheet on a canvas."""

    def __init__(self, canvas: Canvas, layout: SheetLayout):
        self.c, self.l, self.ws = canvas, layout, layout.ws
        self.font = fonts()
        self.anchors = {(r.min_row, r.min_col): r for r in self.ws.merged_cells.ranges}
        self.covered = {(row, col) for r in self.ws.merged_cells.ranges for row in range(r.min_row, r.max_row + 1)
                        for col in range(r.min_col, r.max_col + 1)} - set(self.anchors)

    def page(self, rows: Sequence[int], number: int, count: int) -> None:
        layout = self.l
        self.c.setPageSize((layout.page_w, layout.page_h))
        y = layout.page_h - layout.top
        tops: dict[int, float] = {}
        for row in rows:
            tops[row] = y
            y -= layout.heights[row] * layout.scale
        for row in rows:
            for column in range(1, layout.columns + 1):
                if (row, column) not in self.covered and layout.widths[column]:
                    self._cell(row, column, tops, rows)
        self._images(tops)
        self._header_footer(number, count)
        self.c.showPage()

    def _extent(self, row: int, column: int, tops: dict[int, float], rows: Sequence[int]) -> tuple[float, float, float, float]:
        layout, merged = self.l, self.anchors.get((row, column))
        last_row, last_col = (merged.max_row, merged.max_col) if merged else (row, column)
        x0, x1 = layout.x[column - 1], layout.x[last_col]
        height = sum(layout.heights[r] for r in range(row, last_row + 1) if r in rows) * layout.scale
        return x0, tops[row] - height, x1 - x0, height

    def _cell(self, row: int, column: int, tops: dict[int, float], rows: Sequence[int]) -> None:
        cell = self.ws.cell(row=row, column=column)
        x, y, w, h = self._extent(row, column, tops, rows)
        fill = cell.fill
        if fill is not None and fill.fill_type == "solid" and isinstance(fill.fgColor.rgb, str):
            self.c.setFillColor(_colour(fill.fgColor.rgb))
            self.c.rect(x, y, w, h, stroke=0, fill=1)
        self._borders(cell, x, y, w, h)
        if cell.value is not None:
            self._text(cell, x, y, w, h)

    def _borders(self, cell, x: float, y: float, w: float, h: float) -> None:  # noqa: ANN001
        border = cell.border
        for side, line in ((border.left, (x, y, x, y + h)), (border.right, (x + w, y, x + w, y + h)),
                           (border.top, (x, y + h, x + w, y + h)), (border.bottom, (x, y, x + w, y))):
            if side is None or not side.style:
                continue
            colour = side.color.rgb if side.color is not None and isinstance(side.color.rgb, str) else "FF000000"
            self.c.setStrokeColor(_colour(colour))
            self.c.setLineWidth(0.8 if side.style in ("medium", "thick") else 0.5)
            self.c.setDash(3, 2) if side.style == "dashed" else self.c.setDash()
            self.c.line(*line)
        self.c.setDash()

    def _text(self, cell, x: float, y: float, w: float, h: float) -> None:  # noqa: ANN001
        align, text = cell.alignment, self._printable(str(cell.value))
        font = self.font.bold if cell.font is not None and cell.font.b else self.font.body
        size = float(cell.font.sz or 11) * self.l.scale if cell.font is not None else 11 * self.l.scale
        horizontal = align.horizontal or ("right" if isinstance(cell.value, int) else "left")
        if horizontal == "centerContinuous":
            x, w, horizontal = self.l.x[0], self.l.x[-1] - self.l.x[0], "center"
        inner = max(w - 2 * PAD - (align.indent or 0) * 6 * self.l.scale, 1.0)
        if align.wrap_text:
            widest = _widest_run(text, font, size)
            if widest > inner:  # a ticket or ID number wider than its column prints smaller, never broken
                size *= inner / widest
            lines = _fitted(text, font, size, inner)
            while len(lines) * size * 1.2 > h and size > 4:  # never over the next row: smaller type instead
                size *= 0.9
                lines = _fitted(text, font, size, inner)
        else:
            lines = text.split("\n")
            if align.shrink_to_fit:
                widest = max(stringWidth(line, font, size) for line in lines)
                if widest > inner:
                    size *= inner / widest
        leading = size * 1.2
        block = leading * len(lines)
        vertical = align.vertical or "bottom"
        top = {"top": y + h - PAD, "center": y + (h + block) / 2}.get(vertical, y + block + PAD)
        colour = _colour(cell.font.color.rgb if cell.font is not None and cell.font.color is not None
                         and isinstance(cell.font.color.rgb, str) else "FF000000")
        bold = bool(cell.font is not None and cell.font.b)
        left = x + PAD + (align.indent or 0) * 6 * self.l.scale
        for index, line in enumerate(lines):
            baseline = top - leading * index - size * 0.95
            width = stringWidth(line, font, size)
            start = {"center": x + (w - width) / 2, "right": x + w - PAD - width}.get(horizontal, left)
            self.c.saveState()  # the render mode is graphics state: restored after, so the next text is plain
            text = self.c.beginText(start, baseline)
            text.setFont(font, size)
            text.setFillColor(colour)
            if bold:  # CJK system fonts rarely come with a bold face: stroke the outline as well
                self.c.setStrokeColor(colour)
                self.c.setLineWidth(size * 0.035)
                text.setTextRenderMode(2)
            text.textLine(line)
            self.c.drawText(text)
            self.c.restoreState()

    def _printable(self, text: str) -> str:
        return text.translate(CID_SUBSTITUTES) if self.font.embedded is None else text

    def _images(self, tops: dict[int, float]) -> None:
        for image in getattr(self.ws, "_images", []):
            anchor = image.anchor
            if isinstance(anchor, str):
                letters = "".join(ch for ch in anchor if ch.isalpha())
                col, row, col_off, row_off = column_index_from_string(letters) - 1, int(anchor[len(letters):]) - 1, 0, 0
                w, h = image.width * 0.75, image.height * 0.75
            else:
                start = anchor._from
                col, row, col_off, row_off = start.col, start.row, start.colOff / EMU_PER_POINT, start.rowOff / EMU_PER_POINT
                w, h = anchor.ext.width / EMU_PER_POINT, anchor.ext.height / EMU_PER_POINT
            if row + 1 not in tops or col + 1 > self.l.columns:
                continue
            s = self.l.scale
            x, top = self.l.x[col] + col_off * s, tops[row + 1] - row_off * s
            self.c.drawImage(ImageReader(BytesIO(_image_bytes(image))), x, top - h * s, w * s, h * s)

    def _header_footer(self, number: int, count: int) -> None:
        layout = self.l
        self.c.setFillColor(_colour("FF000000"))
        for part, y in ((self.ws.oddHeader, layout.page_h - layout.top / 2), (self.ws.oddFooter, layout.bottom / 2)):
            for where in ("left", "center", "right"):
                text = getattr(part, where).text
                if not text:
                    continue
                text = self._printable(text.replace("&P", str(number)).replace("&N", str(count)).replace("&&", "&"))
                width = stringWidth(text, self.font.body, 8)
                x = {"left": layout.left, "center": (layout.page_w - width) / 2}.get(where, layout.page_w - layout.right - width)
                line = self.c.beginText(x, y)
                line.setFont(self.font.body, 8)
                line.textLine(text)
                self.c.drawText(line)


def _image_bytes(image) -> bytes:  # noqa: ANN001
    """The image's bytes without closing its buffer (openpyxl's `_data()` does, and the workbook may be saved after)."""
    ref = image.ref
    if isinstance(ref, BytesIO) and not ref.closed:
        return ref.getvalue()
    if isinstance(ref, (str, Path)):
        return Path(ref).read_bytes()
    return image._data()


def _colour(argb: str):  # noqa: ANN202
    from reportlab.lib.colors import HexColor

    return HexColor("#" + argb[-6:])


def write_pdf(sheets: Iterable[Worksheet], path: str | Path, *, title: str = "") -> Path:
    """Print `sheets` in order into one PDF at `path` (written atomically)."""
    path = Path(path)
    temp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.pdf")
    canvas = Canvas(str(temp), pagesize=A4, pageCompression=1)
    canvas.setTitle(title or path.stem)
    canvas.setCreator("examops")
    try:
        for ws in sheets:
            layout = SheetLayout(ws)
            painter = SheetPainter(canvas, layout)
            for number, rows in enumerate(layout.pages, start=1):
                painter.page(rows, number, len(layout.pages))
        canvas.save()
        make_private(temp)  # documents carry names and ID numbers: owner-only, like the workbooks
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path
