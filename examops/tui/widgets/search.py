"""Search fallback for a forgotten ticket: name, ID tail, ID or ticket → pick one candidate."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from examops.domain.literal import shown
from examops.domain.verdict import CandidateCard
from examops.i18n import _, word
from examops.services import gate_view
from examops.services.site import Site
from examops.tui.i18n import localize_bindings
from examops.tui.messages import CandidatesFound, SearchFailed
from examops.tui.wide_glyphs import WholeGlyphs
from examops.tui.widgets.plain import Label, OptionList, Static
from examops.tui.widgets.wedge import WedgeField
from examops.tui.words import SEX, STATE, VIA

STATE_STYLES = {"admitted": "bold green", "held": "bold yellow", "denied": "bold red", "out": "bold yellow",
                "left": "bold red", "expected": "bold"}


def card_line(card: CandidateCard) -> Text:
    """One result, each line within 80 columns: who (ticket, name, sex, masked ID); then the state in the session,
    the seat now and, placed at the chief's desk, that no gate has seen them since; a moved candidate's third line
    says where from (on the second, a move and the gate note ran past 80 columns and wrapped)."""
    text = Text(card.ticket, style="bold")
    text.append(f"  {shown(card.name)}  {word(SEX, card.sex) if card.sex else '-'}  {card.id_masked}\n  ")
    if card.state:
        text.append(word(STATE, card.state) + "  ", style=STATE_STYLES.get(card.state, "bold"))
    room, seat = card.current_room, card.current_seat
    place = _('Room') + f' {room} ' + _('Seat') + f' {seat}' if room else _("no seat in this session")
    text.append(place, style="dim" if room is None else "")
    if card.arriving:
        text.append("  " + _("not yet through a gate"), style="bold")
    if card.placement is not None and card.placement.moved:
        text.append("\n  " + _("Moved from {room}-{seat} ({via})").format(
            room=card.placement.from_room or "-", seat=card.placement.from_seat or "-", via=word(VIA, card.placement.via)))
    return text


class SearchModal(WholeGlyphs, ModalScreen[CandidateCard | None]):
    """Type to search (a thread worker, newest query wins); Enter or a click picks a candidate. A scanner's code
    that lands here is handed to `scanned` (the gate checks it as a scan) and the search closes."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="search.cancel"),
        Binding("down", "results", show=False),
    ]

    def __init__(self, site: Site, session_id: str | None, limit: int = 20, *,
                 scanned: Callable[[str, float], None] | None = None) -> None:
        super().__init__()
        self.scanned = scanned
        localize_bindings(self)
        self.site = site
        self.session_id = session_id
        self.limit = limit
        self.cards: list[CandidateCard] = []
        self._pick_when_found = False

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box", classes="modal-box"):
            yield Label(_("Find a candidate: name, last ID digits, ID or ticket"), id="search-title")
            yield WedgeField(placeholder=_("Type, then ↓ to choose and Enter to pick"), id="search-input")
            yield Static("", id="search-status")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = results.highlighted or 0

    @on(WedgeField.Scanned, "#search-input")
    def _scan_landed(self, event: WedgeField.Scanned) -> None:
        """Checked at the gate in the order read, however many came; the search closes on the first."""
        event.stop()
        if self.scanned is None:
            event.field.value = event.code
            return
        self.scanned(event.code, event.at)
        if self.is_current:
            self.dismiss(None)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self._pick_when_found = False
        if event.value.strip():
            self._search(event.value)
        else:
            self._show([], "")

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if len(self.cards) == 1:
            self.dismiss(self.cards[0])
        elif self.cards:
            self.action_results()
        elif event.value.strip():
            self._pick_when_found = True

    @on(OptionList.OptionSelected, "#search-results")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.cards[event.option_index])

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str) -> None:
        try:
            cards = gate_view.find_candidates(self.site, query, self.session_id, self.limit)
        except Exception as exc:  # noqa: BLE001 - shown on screen
            self.post_message(SearchFailed(query, str(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(CandidatesFound(query, cards))

    def on_candidates_found(self, message: CandidatesFound) -> None:
        if message.query != self.query_one("#search-input", Input).value:
            return
        self._show(message.cards, message.query)
        if self._pick_when_found:
            self._pick_when_found = False
            if len(message.cards) == 1:
                self.dismiss(message.cards[0])
            else:
                self.action_results()

    def on_search_failed(self, message: SearchFailed) -> None:
        self.query_one("#search-status", Static).update(Text(_("Search failed: {error}").format(error=message.error), style="bold red"))

    def _show(self, cards: list[CandidateCard], query: str) -> None:
        self.cards = cards
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options([Option(card_line(card), id=card.ticket) for card in cards])
        status = _("{count} found").format(count=len(cards)) if cards else (_("No candidate found") if query.strip() else "")
        self.query_one("#search-status", Static).update(status)
