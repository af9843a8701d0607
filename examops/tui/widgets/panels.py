"""The gate's side panels: clock and countdowns, session figures, rooms, recent scans, codes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual.geometry import Size
from textual.reactive import Reactive

from examops.domain import windows
from examops.domain.literal import shown
from examops.domain.plan import Session
from examops.domain.policy import Policy
from examops.domain.windows import Window
from examops.i18n import _, pgettext, word
from examops.tui.i18n import code_label
from examops.tui.widgets.plain import DataTable, Static
from examops.tui.words import ACTION, COUNTERS, RECENT, VERDICT

if TYPE_CHECKING:  # the store's queries: loaded after the gate's first frame
    from examops.services.counters import SessionCounters
    from examops.services.gate_view import RecentScan

VERDICT_STYLES = {
    "admitted": "bold green", "exception": "bold yellow", "denied": "bold red", "duplicate": "bold red reverse",
    "unknown": "dim", "wrong_session": "dim", "invalid": "dim", "not_recorded": "bold red",
    "outside_window": "dim", "arrived": "bold green", "returned": "bold green", "no_reentry": "bold red",
    "out": "bold", "left": "bold",
}


def countdown(delta: dt.timedelta) -> str:
    seconds = max(int(delta.total_seconds()), 0)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class ClockPanel(Static):
    """Site-local time and the lane's session: its countdowns, or the next one and when its doors open, or who closed it."""

    def show(self, now: dt.datetime, window: Window | None, closed: tuple[str, str] | None = None) -> None:
        """`window` is `gate_view.entry_window` now; `closed` (who, HH:MM) once the chief signed the session off."""
        text = Text()
        text.append(_('Now') + '  ', style="dim")
        text.append(now.strftime("%H:%M:%S"), style="bold")
        shut = closed is not None or (window is not None and window.status in (windows.LATE, windows.ENDED))
        if window is not None:
            session = window.session
            name = f"{session.id} {session.name}"
            if closed is not None:
                text.append('\n' + _("{session} closed by {by} at {at}").format(session=name, by=shown(closed[0]), at=closed[1]),
                            style="bold red")
            elif window.status in (windows.OTHER_DAY, windows.NOT_YET):  # short lines: the narrow panel is 24 wide
                text.append('\n' + _("Next: {session}").format(session=name))
                if window.status == windows.OTHER_DAY:
                    text.append('\n' + session.date.isoformat(), style="bold")
                text.append('\n' + _("Doors open at {opens}").format(opens=f"{window.opens_at:%H:%M}"), style="bold")
                if window.status == windows.NOT_YET:
                    text.append('\n' + _('Doors open in') + '  ', style="dim")
                    text.append(countdown(window.opens_at - now), style="bold")
            elif window.status == windows.ENDED:
                text.append('\n' + _("{session} ended at {end}: no session open").format(session=name, end=f"{session.ends_at:%H:%M}"),
                            style="bold red")
            else:
                self._countdowns(text, now, session)
        self.change(text)  # every second: a repaint of the clock, a layout only when a line's width changes
        self.set_class(shut, "-closed")

    @staticmethod
    def _countdowns(text: Text, now: dt.datetime, session: Session) -> None:
        if now < session.starts_at:
            text.append('\n' + _('Starts in') + '  ', style="dim")
            text.append(countdown(session.starts_at - now), style="bold")
        else:
            text.append('\n' + _('Started') + '  ', style="dim")
            text.append(f"+{countdown(now - session.starts_at)}")
        if now < session.entry_closes_at:
            text.append('\n' + _('Entry closes in') + '  ', style="dim")
            text.append(countdown(session.entry_closes_at - now), style="bold")
        else:
            text.append('\n' + _('Entry closed') + f' {session.entry_closes_at:%H:%M}', style="bold red")


class CountersPanel(Static):
    """Expected, admitted, held, denied and remaining for the session."""

    shown: tuple[int, ...] | None = None

    def show(self, figures: SessionCounters) -> None:
        values = (figures.expected, figures.admitted, figures.held, figures.denied, figures.remaining)
        if values == self.shown:
            return
        self.shown = values
        text = Text()
        items = (("expected", figures.expected, ""), ("admitted", figures.admitted, "green"),
                 ("held", figures.held, "yellow"), ("denied", figures.denied, "red"),
                 ("remaining", figures.remaining, ""))
        for index, (key, value, style) in enumerate(items):
            text.append(("\n" if index == 3 else "  " if index else "") + word(COUNTERS, key) + " ", style="dim")
            text.append(str(value), style=f"bold {style}".strip())
        self.change(text)

    def show_error(self, error: str) -> None:
        self.shown = None
        self.update(Text(pgettext("counters.failed", "Figures unavailable: {error}").format(error=error), style="bold red"))


class RoomsTable(DataTable):
    """Admitted/expected per room; only changed cells are redrawn, found by comparing the figures, not the cells
    (a 50k site has some 1,700 rooms, and the figures come every couple of seconds).

    A changed room out of sight (almost every one, on a big site: some twenty rows show) is stored without a
    repaint: any `update_cell` makes Textual's table drop every cached line and draw all the rows in sight again,
    the costliest part of a gate frame at 120×40. Its lines are dropped once it may come into sight (a scroll or
    a resize since), before they are drawn.
    """

    shown: dict[str, dict[str, int]] | None = None
    _unseen_at: tuple[object, object] | None = None  # (scroll offset, size) when a room out of sight changed unseen

    def on_mount(self) -> None:
        self.can_focus = False
        self.cursor_type = "none"
        self.zebra_stripes = True
        self.show_header = False  # the panel's title above says what the columns are
        self.add_column(_("Room"), key="room")
        self.add_column(_("In/expected"), key="count")

    def show(self, rooms: dict[str, dict[str, int]]) -> None:
        before, self.shown = self.shown, rooms
        if before is not None and rooms == before:
            return
        if before is None or rooms.keys() != before.keys() or list(rooms) != list(before):
            self.clear()
            for room, figures in rooms.items():
                self.add_row(room, self._count(figures), key=room)
            return
        for room, figures in rooms.items():
            if before[room] == figures:
                continue
            if self._in_sight(room):
                self.update_cell(room, "count", self._count(figures))
            else:
                self._drop_unseen()  # rows changed unseen at another scroll position are redrawn first
                self.store_cell(room, "count", self._count(figures))
                self._unseen_at = (self.scroll_offset, self.size)

    def _in_sight(self, room: str) -> bool:
        index = self.get_row_index(room)
        top = self.scroll_offset.y
        return top <= index < top + max(self.size.height - self.header_height, 0)

    def _drop_unseen(self) -> None:
        if self._unseen_at is not None and self._unseen_at != (self.scroll_offset, self.size):
            self._unseen_at = None
            self._update_count += 1  # the caches are keyed by this count: every line is drawn afresh
            self.refresh()

    def render_lines(self, crop):  # noqa: ANN001, ANN201 - Widget's signature
        self._drop_unseen()
        return super().render_lines(crop)

    @staticmethod
    def _count(figures: dict[str, int]) -> Text:
        """admitted/expected; a room nobody is rostered in (a backup or isolation room) says who was moved in, not "1/0"
        (as the rooms overview does)."""
        admitted, expected = figures.get("admitted", 0), figures.get("expected", 0)
        if not expected:
            return Text(_("{count} moved in").format(count=admitted), justify="right")
        style = "green" if admitted >= expected else ""
        return Text(f"{admitted}/{expected}", style=style, justify="right")


class RecentScansTable(DataTable):
    """This lane's last scans, newest first, as the store has them.

    A new scan shifts every row down one: the rows (keyed by position) keep their place and only the cells that
    changed are written, so the table's size, and with it the screen's layout, stays as it was (a clear and a
    rebuild measured every row again and asked for a layout pass in the frame after a card). Its height is the
    screen's (gate.tcss, never scrolled: rows past it are cut), so a row more or a wider column is a repaint: the
    virtual size does not lay the screen out again (as the scan field's does not).
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    COLUMNS = ("time", "ticket", "name", "verdict")

    def on_mount(self) -> None:
        self.can_focus = False
        self.cursor_type = "none"
        for key in self.COLUMNS:
            self.add_column(word(RECENT, key), key=key)

    shown: list[RecentScan] | None = None
    _cells: list[tuple[object, ...]] | None = None

    def show(self, recent: list[RecentScan], policy: Policy) -> None:
        if recent == self.shown:
            return
        self.shown = list(recent)
        rows = [self._row(scan, policy) for scan in recent]
        before = self._cells or []
        self._cells = rows
        if len(rows) < len(before):  # fewer rows (another session): start again
            self.clear()
            before = []
        for index, cells in enumerate(rows):
            if index >= len(before):
                self.add_row(*cells, key=str(index))
                continue
            for key, value, old in zip(self.COLUMNS, cells, before[index]):
                if value != old:
                    self.update_cell(str(index), key, value, update_width=True)

    @staticmethod
    def _row(scan: RecentScan, policy: Policy) -> tuple[object, ...]:
        code = policy.codes.get(scan.code or "")
        label = word(VERDICT, scan.verdict) + (f" · {code_label(code)}" if code else "")
        return (scan.local_time, scan.ticket, scan.name, Text(label, style=VERDICT_STYLES.get(scan.verdict, "")))


class CodesPanel(Static):
    """The policy's exception codes with the keys that open them."""

    def show(self, policy: Policy) -> None:
        text = Text()
        for code in sorted(policy.codes.values(), key=lambda c: (c.key or "~", c.code)):
            key = f"F{code.key}" if code.key else "  "
            text.append(f"{key:<3} ", style="bold")
            text.append(code_label(code))
            text.append(f" → {word(ACTION, code.action)}\n", style="dim")
        text.rstrip()
        self.update(text)
