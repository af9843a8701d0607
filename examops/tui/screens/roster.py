"""Roster overview: rooms with admitted/expected per session, and a bounded candidate search.

The roster itself is never loaded: rooms are counted in the store and the
search shows at most `RESULT_LIMIT` rows.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from examops.domain.verdict import CandidateCard
from examops.i18n import _, pgettext, word
from examops.services import gate_view
from examops.services.site import Site
from examops.tui.i18n import failure_words, localize_bindings
from examops.tui.messages import CandidatesFound, RoomsCounted, RoomsFailed, SearchFailed
from examops.tui.wide_glyphs import WholeGlyphs
from examops.tui.widgets.plain import DataTable, Label, Static
from examops.tui.widgets.wedge import WedgeField
from examops.tui.words import CARD, ROSTER_KIND, SEX, STATE, VIA

RESULT_LIMIT = 50


class RosterScreen(WholeGlyphs, Screen):
    """Rooms and a search box; Esc (or F11) goes back to the lane when there is one."""

    CSS_PATH = "../roster.tcss"

    BINDINGS = [
        Binding("escape,f11,ctrl+r", "back", "Back to lane", id="roster.gate"),
        Binding("f5", "refresh", "Refresh", id="roster.refresh"),
        Binding("ctrl+f", "focus_search", "Find", id="roster.search"),
        Binding("f2", "import_roster", "Import roster", id="roster.import"),
    ]

    def __init__(self, site: Site, *, can_return: bool = False, scanned: Callable[[str, float], None] | None = None) -> None:
        super().__init__()
        self.scanned = scanned  # the lane's: a scanner's code in the search is checked there, and the lane comes back
        localize_bindings(self)
        self.site = site
        self.can_return = can_return
        session = gate_view.current_session(site, None)
        self.session_id = session.id if session else None

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(_('Rooms overview') + f' · {self.site.plan.exam_name} · {self.site.plan.site}', id="top-exam")
        yield Static(_("Counting…"), id="roster-status")
        yield DataTable(id="roster-rooms", cursor_type="row", zebra_stripes=True)
        yield Label(_("Find a candidate (at most {limit} shown)").format(limit=RESULT_LIMIT), classes="panel-title")
        yield WedgeField(id="roster-search", placeholder=_("Type, then ↓ to choose and Enter to pick"))
        yield Static("", id="roster-results-status")
        yield DataTable(id="roster-results", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        rooms = self.query_one("#roster-rooms", DataTable)
        rooms.add_column(_("Room"), key="room")
        rooms.add_column(pgettext("roster.name", "Name"), key="name")
        rooms.add_column(_("Kind"), key="kind")
        for session in self.site.plan.sessions:
            rooms.add_column(f"{session.id} {session.name}", key=session.id)
        results = self.query_one("#roster-results", DataTable)
        for key in ("ticket", "name", "sex", "id", "room", "seat", "state"):
            results.add_column(word(CARD, key), key=key)
        self.query_one("#roster-search", Input).focus()
        self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.can_return
        return True

    def action_back(self) -> None:
        if self.can_return:
            self.app.pop_screen()

    def action_import_roster(self) -> None:
        from examops.tui.widgets.roster_import import RosterImportModal

        self.app.push_screen(RosterImportModal(self.site), self._imported)

    def _imported(self, report) -> None:  # noqa: ANN001 - an imported ImportReport, or None when cancelled
        """A refused roster never comes back here: the dialog lists its problems and stays open."""
        if report is None:
            return
        self.notify(_("Imported {candidates} candidates ({added} new, {updated} updated)").format(candidates=report.candidates, added=report.added, updated=report.updated))
        self.action_refresh()

    @on(WedgeField.Scanned, "#roster-search")
    def _scan_landed(self, event: WedgeField.Scanned) -> None:
        event.stop()
        if self.scanned is None:  # no lane to check it at: it is a search
            event.field.value = event.code
            return
        self.scanned(event.code, event.at)
        if self.is_current:
            self.action_back()

    def action_focus_search(self) -> None:
        self.query_one("#roster-search", Input).focus()

    def action_refresh(self) -> None:
        self._count_rooms()

    @work(thread=True, exclusive=True, group="roster-rooms", exit_on_error=False)
    def _count_rooms(self) -> None:
        try:
            rooms = gate_view.room_overview(self.site)
        except Exception as exc:  # noqa: BLE001 - shown on screen
            self.post_message(RoomsFailed(failure_words(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(RoomsCounted(rooms))

    def on_rooms_counted(self, message: RoomsCounted) -> None:
        table = self.query_one("#roster-rooms", DataTable)
        table.clear()
        for room in message.rooms:
            counts = [Text(_room_count(room.kind, admitted, expected), justify="right")
                      for admitted, expected in room.counts.values()]
            table.add_row(room.room, room.name, word(ROSTER_KIND, room.kind), *counts, key=room.room)
        self.query_one("#roster-status", Static).update(
            _("{rooms} rooms · current session {session}").format(rooms=len(message.rooms), session=self.session_id or "-"))

    def on_rooms_failed(self, message: RoomsFailed) -> None:
        self.query_one("#roster-status", Static).update(Text(pgettext("roster.failed", "Figures unavailable: {error}").format(error=message.error), style="bold red"))

    @on(Input.Changed, "#roster-search")
    def _changed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self._search(event.value)
        else:
            self._show_results([])

    @work(thread=True, exclusive=True, group="roster-search", exit_on_error=False)
    def _search(self, query: str) -> None:
        try:
            cards = gate_view.find_candidates(self.site, query, self.session_id, RESULT_LIMIT)
        except Exception as exc:  # noqa: BLE001 - shown on screen
            self.post_message(SearchFailed(query, failure_words(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(CandidatesFound(query, cards))

    def on_candidates_found(self, message: CandidatesFound) -> None:
        if message.query == self.query_one("#roster-search", Input).value:
            self._show_results(message.cards)

    def on_search_failed(self, message: SearchFailed) -> None:
        self.query_one("#roster-results-status", Static).update(
            Text(_("Search failed: {error}").format(error=message.error), style="bold red"))

    def _show_results(self, cards: list[CandidateCard]) -> None:
        table = self.query_one("#roster-results", DataTable)
        table.clear()
        for card in cards[:RESULT_LIMIT]:
            table.add_row(card.ticket, card.name, word(SEX, card.sex) if card.sex else "-", card.id_masked,
                          card.current_room or "-", str(card.current_seat or "-"), _state(card), key=card.ticket)
        self.query_one("#roster-results-status", Static).update(
            _("{count} shown (at most {limit})").format(count=len(cards), limit=RESULT_LIMIT) if cards else "")


def _state(card: CandidateCard) -> str:
    """The candidate's state in the session and, after a move, the seat they came from."""
    said = word(STATE, card.state) if card.state else "-"
    if card.placement is not None and card.placement.moved:
        said += "  " + _("Moved from {room}-{seat} ({via})").format(
            room=card.placement.from_room or "-", seat=card.placement.from_seat or "-", via=word(VIA, card.placement.via))
    return said


def _room_count(kind: str, admitted: int, expected: int) -> str:
    """admitted/expected for a rostered room; a backup or isolation room has no roster ("1/0"): who was moved in."""
    if kind != "regular" and not expected:
        return _("{count} moved in").format(count=admitted)
    return f"{admitted}/{expected}"
