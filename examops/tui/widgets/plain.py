"""Widgets that never read their text as markup, and show control characters as escapes.

No screen in examops uses console markup; names, notes and scans come from data,
and a `[/]` or an ESC in them must be seen, not obeyed. Every module of the TUI
takes Static, Label and tables from here, and strings it is given are shown as
they are (`shown` escapes controls; line breaks a screen puts in stay).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events, widgets
from textual.cache import LRUCache
from textual.visual import VisualType
from textual.widgets.data_table import ColumnKey, RowKey

from examops.domain.literal import shown

LINE_BREAKS = "\n"


def plain(value: object, style: str = "") -> Text:
    """A value from data as a one-line Text: never markup, controls (and newlines) escaped."""
    return Text(shown(value), style=style, end="")


def escape_text(text: Text, keep: str = LINE_BREAKS) -> Text:
    """`text` with its control characters written out, each keeping the style it had."""
    plain_text = text.plain
    if shown(plain_text, keep=keep) == plain_text:
        return text
    cuts = sorted({cut for index, ch in enumerate(plain_text) if shown(ch, keep=keep) != ch for cut in (index, index + 1)})
    result = Text(style=text.style, justify=text.justify, overflow=text.overflow, no_wrap=text.no_wrap, end=text.end)
    for part in text.divide(cuts):
        if len(part.plain) == 1 and shown(part.plain, keep=keep) != part.plain:
            escaped = Text(shown(part.plain, keep=keep), style=part.style)
            for span in part.spans:
                escaped.stylize(span.style)
            part = escaped
        result.append_text(part)
    return result


def _safe(content: VisualType) -> VisualType:
    if isinstance(content, str):
        return shown(content, keep=LINE_BREAKS)
    if isinstance(content, Text):
        return escape_text(content)
    return content


def _line_widths(content: str | Text) -> tuple[int, ...]:
    return tuple(cell_len(line) for line in (content.plain if isinstance(content, Text) else content).split("\n"))


class _Changes:
    """`change(content)`: update only when the content differs, and lay the screen out again only when its size may
    change. A layout pass costs a gate frame several times what a repaint does, and text whose every line keeps its
    width wraps alike and keeps its size (the clock ticking, a count going from 41 to 42); so does one line that
    fits a width the CSS fixes (a seat going from 9 to 10), and nothing hidden has a size (showing it lays out)."""

    _shown: object = None

    def change(self, content: str | Text, *, layout: bool | None = None) -> None:
        """`layout=False`: the widget's size never follows its text (fixed in the CSS), so a repaint is enough."""
        if self._shown is not None and content == self._shown:
            return
        if layout is None:
            layout = self._shown is None or (self.display and _line_widths(content) != _line_widths(self._shown)
                                             and not self._one_line_fits(content, self._shown))
        self._shown = content
        self.update(content, layout=layout)

    def _one_line_fits(self, *contents: str | Text) -> bool:
        """Each of `contents` is a line no wider than the content width, and the CSS fixes that width."""
        width = self.styles.width
        if width is None or width.is_auto:
            return False
        room = self.content_size.width
        return all(len(widths := _line_widths(content)) == 1 and widths[0] <= room for content in contents)


class Static(_Changes, widgets.Static):
    def __init__(self, content: VisualType = "", *, markup: bool = False, **kwargs) -> None:  # noqa: ANN003
        super().__init__(_safe(content), markup=markup, **kwargs)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self._shown = content if isinstance(content, (str, Text)) and self._shown is content else None
        super().update(_safe(content), layout=layout)


class Label(_Changes, widgets.Label):
    def __init__(self, content: VisualType = "", *, markup: bool = False, **kwargs) -> None:  # noqa: ANN003
        super().__init__(_safe(content), markup=markup, **kwargs)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self._shown = content if isinstance(content, (str, Text)) and self._shown is content else None
        super().update(_safe(content), layout=layout)


def _cell(value: object) -> object:
    """A table cell: strings become plain Text (DataTable would read them as markup); one line each."""
    if isinstance(value, str):
        return plain(value)
    return escape_text(value, keep="") if isinstance(value, Text) else value


def _drop_entries(cache: LRUCache | None) -> None:
    """Empty an LRU cache with its entries freed at once: each is a list linked to its neighbours both ways, a ring
    that, merely unlinked from the cache, waits for the cycle collector."""
    if cache is None:
        return
    for entry in cache._cache.values():
        entry.clear()
    cache.clear()


class DataTable(widgets.DataTable):
    """Cells are never markup; and column widths measured on idle are drawn at once.

    Textual caches rendered cells without their width, so rows drawn before the
    idle pass measured them stay cut to the header's width ("08:1", "王[b") until
    something else changes; the caches are dropped once the widths are known.
    """

    @property
    def _update_count(self) -> int:
        return self._updates

    @_update_count.setter
    def _update_count(self, count: int) -> None:
        """Textual keys the table's rendered rows, cells and lines by this count, so a new count leaves every entry
        of the last unreachable, kept until the caches (1,000 lines, 10,000 cells) fill: on the gate, every scan's
        row of recent scans left a screenful of them, a heap the collector's full passes walked in the frame of a
        card (tens of ms at 120×40). They are dropped here instead, as the count moves."""
        if count != getattr(self, "_updates", None):
            for name in ("_row_render_cache", "_cell_render_cache", "_row_renderable_cache", "_line_cache"):
                _drop_entries(getattr(self, name, None))
        self._updates = count

    async def _on_idle(self, event: events.Idle) -> None:
        # Runs before DataTable's own idle handler (Textual walks the MRO); clear after it, and only if the
        # widths moved: every cell of a table is drawn again after a clear, which a gate frame pays for.
        if self._require_update_dimensions or self._updated_cells:
            self.call_later(self._redraw_measured, self._column_widths())

    def _column_widths(self) -> list[int]:
        return [column.get_render_width(self) for column in self.columns.values()]

    def _redraw_measured(self, before: list[int]) -> None:
        if self._column_widths() != before:
            self._clear_caches()
            self.refresh()

    def add_row(self, *cells, height=1, key=None, label=None):  # noqa: ANN001, ANN201 - DataTable's signature
        return super().add_row(*(_cell(c) for c in cells), height=height, key=key,
                               label=_cell(label) if label is not None else None)

    def update_cell(self, row_key, column_key, value, *, update_width=False):  # noqa: ANN001, ANN201
        return super().update_cell(row_key, column_key, _cell(value), update_width=update_width)

    def update_cell_at(self, coordinate, value, *, update_width=False):  # noqa: ANN001, ANN201
        return super().update_cell_at(coordinate, _cell(value), update_width=update_width)

    def store_cell(self, row_key: str, column_key: str, value: object) -> None:
        """A cell's new value with no repaint and the table's caches kept: for a row out of sight only (the
        caller drops the caches before it comes into sight, as `update_cell` would have)."""
        self._data[RowKey(row_key)][ColumnKey(column_key)] = _cell(value)


class OptionList(widgets.OptionList):
    def __init__(self, *content, markup: bool = False, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*content, markup=markup, **kwargs)
