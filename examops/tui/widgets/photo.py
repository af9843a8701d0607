"""The candidate's photo beside the card, drawn the best way the terminal allows.

The photo is read from the store, decoded, fitted and encoded in a thread worker (`photo_render`), which
posts `PhotoPrepared`; the UI thread only hands out finished lines. A resize asks again, and only the
latest ask's answer is drawn (an earlier one, prepared for the old size, may finish last). Half-blocks
and Kitty placeholders are ordinary cells; Sixel data is written at the canvas's place on screen with the last line, like
textual-image's own Sixel widget. While another screen is on top (a form, the PIN), the canvas draws
nothing: Textual dims what lies beneath, which would spoil Kitty's colour-coded placeholders and let a
Sixel picture paint over the form. A candidate without a photo gets a sentence in its place.
"""

from __future__ import annotations

import itertools
import random
import time
from typing import Callable

from rich.control import Control
from rich.segment import ControlType, Segment
from rich.style import Style
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.dom import NoScreen
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from examops.i18n import _
from examops.tui.i18n import failure_words
from examops.tui.messages import PhotoPrepared
from examops.tui.photo_render import PreparedPhoto, prepare
from examops.tui.photo_terminal import PhotoTerminal
from examops.tui.widgets.plain import Static

FALLBACK_BOX = (18, 10)  # cells, before the first layout has sized the canvas
_NO_OP = ((ControlType.CURSOR_FORWARD, 0),)  # marks a segment as control data Rich must pass on untouched
_image_ids = itertools.count(random.randint(1, 1 << 20))


class PhotoCanvas(Widget):
    """Draws one prepared photo, centred at the top; nothing while its screen is not the active one."""

    DEFAULT_CSS = "PhotoCanvas { width: 1fr; height: 1fr; }"

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.prepared: PreparedPhoto | None = None
        self._unsent = ""  # Kitty: the picture, sent with the next drawing

    def put(self, prepared: PreparedPhoto | None) -> None:
        old = self.prepared
        self.prepared = prepared
        forget = f"\x1b_Ga=d,d=I,i={old.image_id},q=2\x1b\\" if old is not None and old.method == "kitty" else ""
        self._unsent = forget + (prepared.escape if prepared is not None and prepared.method == "kitty" else "")
        self.refresh()

    def _active(self) -> bool:
        try:
            return self.screen.is_active
        except NoScreen:
            return False

    def render_lines(self, crop: Region) -> list[Strip]:
        base = self.rich_style
        blank = Strip.blank(crop.width, base)
        photo = self.prepared
        if not self._active():
            return [blank] * crop.height
        if photo is not None and photo.method == "sixel":
            left = max(0, (self.size.width - photo.width) // 2)
            return [blank] * (crop.height - 1) + [self._sixel_line(photo, left, crop.width)]
        lines = photo.lines if photo is not None else ()
        left = max(0, (self.size.width - photo.width) // 2) if photo is not None else 0
        strips = []
        for y in range(crop.y, crop.bottom):
            cells = [Segment(" " * left, base), *(Segment(s.text, base + s.style) for s in lines[y])] if y < len(lines) else []
            strips.append(Strip(cells).extend_cell_length(self.size.width, base).crop(crop.x, crop.right))
        if self._unsent and crop.y == 0 and strips:  # Kitty: the picture (or forgetting the last one) goes out once
            strips[0] = Strip([Segment(self._unsent, Style(), _NO_OP), *strips[0]], strips[0].cell_length)
            self._unsent = ""
        return strips

    def _sixel_line(self, photo: PreparedPhoto, left: int, width: int) -> Strip:
        """Blank cells, then: go to the canvas's corner, draw the picture, come back to the line's end."""
        region = self.screen.find_widget(self).visible_region
        return Strip([Segment(" " * width, self.rich_style),
                      Segment(Control.move_to(region.x + left, region.y).segment.text, Style()),
                      Segment(photo.escape, Style(), _NO_OP),
                      Segment(Control.move_to(region.right, region.bottom - 1).segment.text, Style())], width)


class PhotoView(Vertical):
    """The photo of the candidate on the card, or a sentence saying why there is none."""

    DEFAULT_CSS = """
    PhotoView { width: 20; height: 100%; }
    PhotoView > #photo-note { height: auto; width: 100%; text-align: center; color: $text-muted; }
    PhotoView.-drawn > #photo-note { display: none; }
    """

    def __init__(self, terminal: PhotoTerminal, load: Callable[[str], bytes | None], **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.terminal = terminal
        self.load = load
        self.ticket: str | None = None
        self.state = "empty"  # empty, loading, drawn, missing, failed
        self.drawn_at: float | None = None  # monotonic: when the prepared photo reached the canvas
        self._asked: tuple[int, tuple[int, int]] | None = None  # the latest ask: its number and box (cells)
        self._answered: tuple[int, tuple[int, int]] | None = None  # the ask whose answer is on screen

    def compose(self) -> ComposeResult:
        yield Static("", id="photo-note")
        yield PhotoCanvas()

    @property
    def settled(self) -> bool:
        """What is shown is the answer for this ticket at the size on screen now: no preparation on its way."""
        if self.ticket is None:
            return True
        if self._asked != self._answered:
            return False
        return self.state != "drawn" or self._answered[1] == self._box()

    def show(self, ticket: str | None) -> None:
        """Show `ticket`'s photo (read and prepared off the UI thread); None empties the view."""
        if ticket is not None and ticket == self.ticket:
            return  # already on its way or drawn (screens that refresh show the same card again)
        self.ticket, self.drawn_at = ticket, None
        self._asked = self._answered = None
        self._set_state("loading" if ticket else "empty")
        self.query_one(PhotoCanvas).put(None)
        if ticket:
            self._request()

    def on_resize(self) -> None:
        if self.ticket and self.state in ("loading", "drawn"):
            self._request()

    def _request(self) -> None:
        cols, rows = self._box()
        color = self.background_colors[1]
        image_id = next(_image_ids)
        self._asked = (image_id, (cols, rows))
        self._prepare(self.ticket, cols, rows, (color.r, color.g, color.b), image_id)

    def _box(self) -> tuple[int, int]:
        """The canvas's size once the note above it is gone (cells)."""
        box = self.content_size
        return (box.width, box.height) if box.area else FALLBACK_BOX

    @work(thread=True, exclusive=True, group="photo", exit_on_error=False)
    def _prepare(self, ticket: str, cols: int, rows: int, background: tuple[int, int, int], image_id: int) -> None:
        try:
            data = self.load(ticket)
            prepared = None if data is None else prepare(
                data, self.terminal.method, cols, rows, image_id=image_id, background=background,
                cell=(self.terminal.cell_width, self.terminal.cell_height))
        except Exception as exc:  # noqa: BLE001 - said in place of the picture
            self.post_message(PhotoPrepared(ticket, None, failure_words(exc), request=image_id))
        else:
            self.post_message(PhotoPrepared(ticket, prepared, request=image_id))

    def on_photo_prepared(self, message: PhotoPrepared) -> None:
        message.stop()
        if self._asked is None or message.ticket != self.ticket or message.request != self._asked[0]:
            return  # a later card, or the same card at a later size, asked again while this one was prepared
        self._answered = self._asked
        self.query_one(PhotoCanvas).put(message.prepared)
        self._set_state("drawn" if message.prepared else "failed" if message.error else "missing", message.error)
        self.drawn_at = time.monotonic()

    def _set_state(self, state: str, error: str = "") -> None:
        self.state = state
        notes = {"loading": _("Loading the photo…"), "missing": _("No photo on file for this candidate"),
                 "failed": _("The photo cannot be shown: {error}").format(error=error)}
        self.set_class(state == "drawn", "-drawn")
        self.query_one("#photo-note", Static).update(notes.get(state, ""))
