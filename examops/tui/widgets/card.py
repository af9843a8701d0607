"""The candidate card: who is at the lane and where they sit; the ID is always masked."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits

from examops.domain.literal import shown
from examops.domain.verdict import CandidateCard
from examops.i18n import _, pgettext, word
from examops.tui.widgets.plain import Label, Static
from examops.tui.words import SEX, VIA

BIG_CHARS = set(" 0123456789+-^x:ABCDEF$£€()")


def _big(value: object) -> str:
    """Digits draws only some characters big; anything else shows as a plain small value."""
    text = "-" if value in (None, "") else str(value)
    return text if set(text) <= BIG_CHARS else ""


class PlaceDigits(Digits):
    """Room or seat in big digits, as wide as the card's column (gate.tcss): a value with another number of
    digits (seat 9, then 10) is a repaint, where Digits lays the whole screen out again; hidden, nothing is."""

    def update(self, value: str) -> None:
        width = self.styles.width
        if self.display and (width is None or width.is_auto):
            return super().update(value)
        self._value = value  # always 3 lines high; Digits keeps its value here
        self.refresh()


class CandidatePanel(Horizontal):
    """Name, sex, masked ID, ticket and session on the left; room and seat in big digits."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.card: CandidateCard | None = None
        self._drawn: tuple | None = None  # what `show` last drew: the same card again changes nothing
        self.add_class("-empty")

    def compose(self) -> ComposeResult:
        with Vertical(id="card-left"):
            yield Static("", id="card-facts")
            yield Label("", id="card-place-line")  # room and seat in words, where the columns give way (gate.tcss)
        with Vertical(classes="card-place"):
            yield Label(_("Room"), classes="card-place-label")
            yield PlaceDigits("", id="card-room")
            yield Label("", id="card-room-text", classes="card-place-text")
        with Vertical(classes="card-place"):
            yield Label(_("Seat"), classes="card-place-label")
            yield PlaceDigits("", id="card-seat")
            yield Label("", id="card-seat-text", classes="card-place-text")

    def show(self, card: CandidateCard | None, session_label: str = "",
             go: tuple[str | None, int | None] | None = None) -> None:
        """Put `card` on screen (None empties it); the big room and seat are where to go now (`go`, else the seat now).

        Only what changed is redrawn, and the screen is laid out again only where a size changes (a class that
        shows or hides a part, a value of another width): one scan → card frame is then a repaint of the card.
        """
        self.card = card
        if self._drawn == (card, session_label, go):
            return
        self._drawn = (card, session_label, go)
        self.set_class(card is None, "-empty")
        facts = Text()
        if card is not None:
            rows = (
                (pgettext("card.name", "Name"), shown(card.name), "bold"),
                (_("Sex"), word(SEX, card.sex) if card.sex else "-", ""),
                (_("ID"), card.id_masked, ""),
                (_("Ticket"), card.ticket, "bold"),
                (pgettext("card.session", "Session"), session_label or (card.session or ""), ""),
            )
            for index, (label, value, style) in enumerate(rows):
                facts.append(f"{label:\u3000<4}" if label[:1] > "\u2e80" else f"{label:<9}", style="dim")
                facts.append(" " + value + ("\n" if index < len(rows) - 1 else ""), style=style)
            if card.room is None and card.current_room is None:
                facts.append("\n" + _("no seat in this session"), style="bold")
            elif card.placement is not None and card.placement.moved:
                facts.append("\n" + _("Moved from {room}-{seat} ({via})").format(
                    room=card.placement.from_room or "-", seat=card.placement.from_seat or "-",
                    via=word(VIA, card.placement.via) if card.placement.via in VIA else card.placement.via or "-"),
                    style="bold")
        self.query_one("#card-facts", Static).update(facts, layout=False)
        room, seat = go if go else (card.current_room, card.current_seat) if card else (None, None)
        room_word, seat_word = _("Room"), _("Seat")
        # A room without a seat (the isolation or backup room a screening sends to): the chief gives the seat
        no_seat = pgettext("card.seat", "pending") if room not in (None, "") else "-"
        line = "" if card is None else f"{room_word} {'-' if room in (None, '') else room}   {seat_word} {no_seat if seat in (None, '') else seat}"
        self.query_one("#card-place-line", Label).change(line)
        for name, value in (("room", room), ("seat", seat)):
            big = _big(value) if card and not (name == "seat" and value in (None, "") and room) else ""
            digits = self.query_one(f"#card-{name}", PlaceDigits)
            if digits.value != big:
                digits.update(big)  # lays out only when the width changes
            # the plain value is always there: a narrow screen shows it instead of the big digits
            small = "" if card is None else ((no_seat if name == "seat" else "-") if value in (None, "") else str(value))
            digits.parent.set_class(bool(big), "-big")
            self.query_one(f"#card-{name}-text", Label).change(small)

    def blank(self) -> None:
        """Take the candidate off the card and keep every size (the 'checking' state, before the next card): the
        words become spaces as wide, the big digits blank digits, so that frame and the next card's are repaints,
        where emptying the card (`show(None)`) hides parts and lays the screen out twice."""
        if self.card is None:
            return
        self.card, self._drawn = None, None
        self.query_one("#card-facts", Static).update(Text(""), layout=False)
        for label in self.query("#card-place-line, .card-place-text").results(Label):
            label.change(" " * cell_len(str(label._shown or "")))
        for digits in self.query(PlaceDigits):
            digits.update(" " * len(digits.value))  # a blank is as wide as a digit: no layout

    @property
    def ticket(self) -> str | None:
        return self.card.ticket if self.card else None
