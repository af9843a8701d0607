"""A styled A4 workbook whose sheets remember every value written (openpyxl): the base of the report and the roll-up.

The sheets record each value they put in a cell (only `str` and `int`, so
they read back identically): that record is what the report's digests are
computed over.
"""

from __future__ import annotations

from copy import copy
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from examops.adapters.excel_out.atomic import save_workbook
from examops.adapters.excel_out.fit import (
    Look,
    column_width,
    column_widths,
    display_width,
    fill_width,
    row_heights,
    set_widths,
    split_line,
)
from examops.domain.report_digest import CellsDigest, CellsDigester, SheetCells
from examops.i18n.report_words import lang_of, words

CellValue = int | str

MAX_CELL_TEXT = 32767
_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})

THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
STYLES = (
    # Titles are centred across the row's cells rather than merged: thousands of merges in one sheet are slow to make.
    NamedStyle("eo_title", font=Font(name="黑体", size=16, bold=True),
               alignment=Alignment(horizontal="centerContinuous", vertical="center")),
    NamedStyle("eo_subtitle", font=Font(name="宋体", size=11), alignment=Alignment(horizontal="centerContinuous", vertical="center")),
    NamedStyle("eo_form", font=Font(name="黑体", size=14, bold=True), alignment=Alignment(horizontal="left", vertical="center")),
    NamedStyle("eo_section", font=Font(name="黑体", size=11, bold=True), alignment=Alignment(horizontal="left", vertical="center")),
    NamedStyle("eo_line", font=Font(name="宋体", size=11), alignment=Alignment(horizontal="left", vertical="center")),
    NamedStyle("eo_head", font=Font(name="黑体", size=10, bold=True), border=GRID,
               fill=PatternFill("solid", fgColor="E7E6E6"), alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
    NamedStyle("eo_cell", font=Font(name="宋体", size=10), border=GRID, alignment=Alignment(horizontal="center", vertical="center")),
    NamedStyle("eo_text", font=Font(name="宋体", size=10), border=GRID, number_format="@",
               alignment=Alignment(horizontal="left", vertical="center", wrap_text=True)),
    NamedStyle("eo_code", font=Font(name="Consolas", size=9), border=GRID, number_format="@",
               alignment=Alignment(horizontal="left", vertical="center", wrap_text=True)),
)

LOOKS: dict[str, Look] = {style.name: (float(style.font.sz or 11), bool(style.alignment.wrap_text)) for style in STYLES}
"""Each style's font size and wrapping, as fitting reads them off a cell of that style."""

CENTRED_ACROSS = ("eo_title", "eo_subtitle")
PORTRAIT_UNITS, LANDSCAPE_UNITS = 96.0, 140.0
"""About the width of A4's printable area in column-width units, at 100 %."""
MAX_ROW_POINTS = 409.0
"""Excel's tallest row."""


def writable(value: object) -> CellValue | None:
    """The value as it will be stored and read back: int or clean text; None for nothing to write."""
    kind = type(value)
    if kind is str and value.isprintable():  # nothing to clean (every character cleaned is a control character)
        return value[:MAX_CELL_TEXT] or None
    if kind is int or value is None:
        return value
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"the report writes only text and whole numbers, not {value!r}")
    if isinstance(value, int):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return text[:MAX_CELL_TEXT] or None


class Sheet:
    """One worksheet and the values written to it (kept for the digest)."""

    def __init__(self, book: "Book", title: str, widths: Sequence[float]):
        self.ws: Worksheet = book.workbook.create_sheet(book.unique_title(title))
        self.book = book
        self.values: dict[tuple[int, int], CellValue] = {}
        self.styles: dict[tuple[int, int], str] = {}  # every cell made and its style (a styled cell may hold nothing)
        self.heights: dict[int, float] = {}  # row heights set
        self.materialized = False  # cells kept here only (the writer writes them) until `materialize` makes them in `ws`
        self.rendered: list[tuple[int, str | None]] | None = None  # the rows' XML made with the digest (`Book.digest`)
        self.ws._examops_sheet = self  # how `sheet_writer` finds them
        self.width = len(widths)
        self.row = 1
        self.banners: dict[int, CellValue] = {}
        self.span = sum(widths)  # the width banners may run across (the fitted columns are no narrower)
        for column, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(column)].width = width

    @property
    def title(self) -> str:
        return self.ws.title

    def put(self, row: int, column: int, value: object, style: str = "eo_cell") -> None:
        """A cell's value (text is always text: never a formula or an error code, whatever it starts with) and style.

        The cell is kept here, not made in openpyxl: a 50k-candidate report has a hundred thousand cells, and
        `sheet_writer` writes them as openpyxl would (`materialize` makes them for code that reads `ws`)."""
        self._put(row, column, writable(value), style)

    def _put(self, row: int, column: int, value: CellValue | None, style: str) -> None:
        """`put` of a value `writable` made already."""
        if value is not None:
            self.values[(row, column)] = value
        self.styles[(row, column)] = style
        self.rendered = None
        if self.materialized:
            self._make_cell(row, column)

    def _make_cell(self, row: int, column: int) -> None:
        cell = self.ws.cell(row=row, column=column)
        value = self.values.get((row, column))
        if value is not None:
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
        self.book.style(cell, self.styles[(row, column)])

    def set_height(self, row: int, height: float) -> None:
        self.heights[row] = float(height)
        self.rendered = None
        if self.materialized:
            self.ws.row_dimensions[row].height = height

    def materialize(self) -> None:
        """Make the kept cells and row heights in the openpyxl worksheet (for the PDF, or openpyxl's own save)."""
        if self.materialized:
            return
        self.materialized = True
        for row, column in self.styles:
            self._make_cell(row, column)
        for row, height in self.heights.items():
            self.ws.row_dimensions[row].height = height

    @property
    def max_row(self) -> int:
        """`ws.max_row` of the materialized sheet: the last row with a cell (1 for none)."""
        return max((row for row, _ in self.styles), default=1)

    def banner(self, text: object, style: str = "eo_subtitle", height: float | None = None) -> None:
        """A line of text across the sheet's width (titles centred across it, other lines running on from column A);
        one wider than the sheet's columns goes on as many rows as it needs, so the print edge cuts none of it."""
        value = writable(text)
        if isinstance(value, str) and style not in CENTRED_ACROSS and display_width(value) > self.span - 2:
            for line in split_line(value, self.span - 2):
                self._banner_row(writable(line), style, None)
            return
        self._banner_row(value, style, height)

    def _banner_row(self, value: CellValue | None, style: str, height: float | None) -> None:
        self._put(self.row, 1, value, style)
        if value is not None:
            self.banners[self.row] = value
        if style in CENTRED_ACROSS:
            for column in range(2, self.width + 1):
                self._put(self.row, column, None, style)
        if height:
            self.set_height(self.row, height)
        self.row += 1

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        for column, header in enumerate(headers, start=1):
            self.put(self.row, column, header, "eo_head")
        self.row += 1
        if self.materialized:
            for values in rows:
                for column, value in enumerate(values, start=1):
                    self.put(self.row, column, value, "eo_text" if isinstance(value, str) else "eo_cell")
                self.row += 1
            return
        kept, styles, row = self.values, self.styles, self.row  # `put`'s work, a row of cells at a time
        for values in rows:
            for column, value in enumerate(values, start=1):
                clean = writable(value)
                if clean is not None:
                    kept[(row, column)] = clean
                styles[(row, column)] = "eo_text" if isinstance(value, str) else "eo_cell"
            row += 1
        self.row = row
        self.rendered = None

    def fit(self, *, caps: dict[int, float] | None = None, skip_columns: Sequence[int] = (), fill: float | None = None,
            machine_columns: Sequence[int] = ()) -> None:
        """Widths from the widest value (East Asian width counted), wrapped rows made tall enough; `machine_columns`
        (keys the reader and the signature need) kept in the cells but outside the print area."""
        skip = set(skip_columns) | set(machine_columns)
        banners, styles = self.banners, self.styles
        table = [(r, c, v, LOOKS[styles[(r, c)]]) for (r, c), v in self.values.items() if r not in banners and c not in skip]
        set_widths(self.ws, column_widths(table, caps=caps))  # fit_columns's, the looks known
        if fill:
            fill_width(self.ws, self.width - len(machine_columns), fill)
        heights = self.heights
        for row, height in row_heights(table, lambda column: column_width(self.ws, column)).items():  # fit_rows's
            heights[row] = float(max(height, heights.get(row) or 0.0))
        self.rendered = None
        if self.materialized:
            for row in heights:
                self.ws.row_dimensions[row].height = heights[row]
        for row, height in list(self.heights.items()):
            if height > MAX_ROW_POINTS:
                self.set_height(row, MAX_ROW_POINTS)
        if self.materialized:  # heights set on `ws` itself
            for row, dim in self.ws.row_dimensions.items():
                if dim.height and dim.height > MAX_ROW_POINTS:
                    dim.height = MAX_ROW_POINTS
        if machine_columns:
            last_printed = min(machine_columns) - 1
            self.ws.print_area = f"A1:{get_column_letter(last_printed)}{max(self.max_row, 1)}"

    def cells(self) -> SheetCells:
        return self.title, [(r, c, v) for (r, c), v in sorted(self.values.items())]


def a4_page(ws: Worksheet, *, title_rows: str | None, header: str, landscape: bool = False, page: str = "") -> None:
    """A4, one page wide, header rows repeated on every page, centred, with page numbers."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.25, footer=0.25)
    ws.print_options.horizontalCentered = True
    ws.oddHeader.right.text = header.replace("&", "&&")
    ws.oddHeader.right.size = 9
    ws.oddFooter.center.text = page
    ws.oddFooter.center.size = 9


class Book:
    """A workbook with the report's styles; sheet titles made valid and unique; saved atomically."""

    def __init__(self, lang: str):
        self.lang = lang_of(lang)
        self.words = words(lang)
        self.workbook = Workbook()
        self.workbook.remove(self.workbook.active)
        for style in STYLES:
            self.workbook.add_named_style(style)
        self.sheets: list[Sheet] = []
        self._style_arrays: dict[str, object] = {}
        self._style_ids: dict[str, int] = {}

    def style(self, cell, name: str) -> None:  # noqa: ANN001 - an openpyxl cell
        """`cell.style = name`, the named style looked up once: openpyxl's setter looks it up again for every cell
        (a third of laying out a 50k-candidate report). What it leaves in the cell is the same style array."""
        array = self._style_arrays.get(name)
        if array is None:
            cell.style = name
            self._style_arrays[name] = copy(cell._style)
        else:
            cell._style = copy(array)

    def style_id(self, name: str) -> int:
        """The index openpyxl's `cell.style_id` gives a cell of this style (its array added on first use, as the
        writer meets it)."""
        found = self._style_ids.get(name)
        if found is None:
            found = self._style_ids[name] = self.workbook._cell_styles.add(self.style_array(name))
        return found

    def style_array(self, name: str):  # noqa: ANN201 - openpyxl's StyleArray
        """A copy of the style array `cell.style = name` leaves in a cell."""
        array = self._style_arrays.get(name)
        if array is None:
            array = self._style_arrays[name] = copy(self.workbook._named_styles[name].as_tuple())
        return copy(array)

    def unique_title(self, title: str) -> str:
        base = title.translate(_TITLE_FORBIDDEN)[:31] or "_"
        taken = {ws.title for ws in self.workbook.worksheets}
        candidate, n = base, 2
        while candidate in taken:
            suffix = f"~{n}"
            candidate, n = base[:31 - len(suffix)] + suffix, n + 1
        return candidate

    def digest(self) -> CellsDigest:
        """`digest_cells` of every sheet's `cells()`, each sheet's rows made into the XML the writer will write in
        the same pass over them (a sheet changed afterwards is made again when it is written)."""
        from examops.adapters.excel_out.sheet_writer import kept_rows

        digester = CellsDigester()
        for sheet in self.sheets:
            own = digester.sheet(sheet.title)
            sheet.rendered = kept_rows(sheet, self.style_id, own)
            own.done()
        return digester.result()

    def materialize(self) -> None:
        """Every sheet's cells made in openpyxl (see `Sheet.put`)."""
        for ws in self.workbook.worksheets:
            if getattr(ws, "_examops_sheet", None) is not None:
                ws._examops_sheet.materialize()

    def save(self, path: str | Path) -> Path:
        """Write atomically: a reader never sees half a report."""
        return save_workbook(self.workbook, path)
