"""A web page saved with a spreadsheet name (what exam systems' "export to Excel" often writes): its tables as sheets."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from examops.adapters.excel_in.content import (
    ASK_FOR_EXCEL,
    SheetTable,
    UnreadableFile,
    WorkbookContent,
    _,
    label_of,
    trim_empty_tail,
)
from examops.adapters.excel_in.text import decode_text

_MAX_SPAN = 1000


class _Tables(HTMLParser):
    """Collect every <table> as rows of cell texts; colspan/rowspan fill the spanned cells with None."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[object]]] = []
        self._stack: list[tuple[list[list[object]], dict[tuple[int, int], bool]]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self._stack.append(([], {}))
        elif tag == "tr" and self._stack:
            self._close_cell()
            self._stack[-1][0].append([])
        elif tag in ("td", "th") and self._stack:
            self._close_cell()
            rows, _taken = self._stack[-1]
            if not rows:
                rows.append([])
            values = dict(attrs)
            self._span = (_span(values.get("rowspan")), _span(values.get("colspan")))
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag == "table" and self._stack:
            self._close_cell()
            rows, _taken = self._stack.pop()
            self.tables.append(rows)

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is None or not self._stack:
            self._cell = None
            return
        rows, taken = self._stack[-1]
        row_index = len(rows) - 1
        row = rows[row_index]
        while taken.pop((row_index, len(row)), False):
            row.append(None)
        text = " ".join(part.strip() for part in "".join(self._cell).split("\n")).strip().replace("\xa0", " ").strip()
        row.append(text or None)
        down, across = self._span
        for extra in range(1, across):
            row.append(None)
        for r in range(1, down):
            for c in range(across):
                taken[(row_index + r, len(row) - across + c)] = True
        self._cell = None


def _span(value: str | None) -> int:
    return min(int(value), _MAX_SPAN) if value and value.strip().isdigit() and int(value) > 0 else 1


def read_html(path: Path) -> WorkbookContent:
    text, _encoding = decode_text(path, path.read_bytes())
    parser = _Tables()
    parser.feed(text)
    parser.close()
    sheets = []
    for number, rows in enumerate(parser.tables, start=1):
        width = max((len(row) for row in rows), default=0)
        padded = [row + [None] * (width - len(row)) for row in rows]
        if any(value is not None for row in padded for value in row):
            sheets.append(SheetTable(_("Table {number}").format(number=number), False, trim_empty_tail(padded), frozenset(), []))
    if not sheets:
        raise UnreadableFile(
            path,
            _("{label} is a web page with no table in it, not a roster; {advice}.").format(label=label_of(path), advice=_(ASK_FOR_EXCEL)),
            "html",
        )
    return WorkbookContent(str(path), "html", sheets, [_("read from a web page saved as a spreadsheet: check that every candidate is there")])
