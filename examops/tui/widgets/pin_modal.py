"""The chief proctor's PIN, asked for before every decision: masked, Enter confirms, Esc cancels."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from examops.i18n import _
from examops.tui.i18n import localize_bindings
from examops.tui.wide_glyphs import WholeGlyphs
from examops.tui.widgets.plain import Label, Static


class PinModal(WholeGlyphs, ModalScreen[str | None]):
    """Returns the PIN as typed (the service checks it), or None when cancelled."""

    CSS_PATH = "../chief_forms.tcss"

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pin.cancel")]

    def __init__(self, purpose: str) -> None:
        super().__init__()
        localize_bindings(self)
        self.purpose = purpose

    def compose(self) -> ComposeResult:
        with Vertical(id="pin-box", classes="modal-box"):
            yield Label(_("Chief proctor's PIN"), id="pin-title")
            yield Static(self.purpose, id="pin-purpose")
            yield Input(password=True, placeholder=_("Type the PIN, then Enter"), id="pin-input")
            yield Static("", id="pin-error")
            yield Label(_("Enter confirm · Esc cancel"), classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one("#pin-input", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#pin-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.query_one("#pin-error", Static).update(Text(_("Type the PIN"), style="bold red"))
            return
        self.dismiss(event.value.strip())
