"""The exit form at the gate: an admitted candidate leaves, for a while (re-checked on the way back) or for good."""

from __future__ import annotations

from dataclasses import dataclass

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
from examops.tui.widgets.form_keys import FOCUS_KEYS, scan_in_text, scans_refused
from examops.tui.widgets.plain import Label, Static
from examops.tui.widgets.wedge import WedgeField


@dataclass(frozen=True)
class ExitFilled:
    """The form's answer: record that `ticket` leaves, why, and whether for good."""

    ticket: str
    reason: str
    final: bool


class ExitForm(WholeGlyphs, ModalScreen[ExitFilled | None]):
    """Ticket (or ID) and the reason; nothing is prefilled but the candidate the key acted on."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="exit.cancel"), *FOCUS_KEYS]

    def __init__(self, ticket: str | None, *, final: bool, about: str = "", early_from: str | None = None) -> None:
        super().__init__()
        localize_bindings(self)
        self.ticket = ticket or ""
        self.final = final
        self.about = about
        self.refused: list[str] = []  # scans that came while the form was open, said NOT RECORDED on it
        self.early_from = early_from  # for good before this local time: the chief's PIN is asked next

    def compose(self) -> ComposeResult:
        with Vertical(id="exit-box", classes="modal-box"):
            title = _("Early leave for good — no re-entry") if self.final else _("Temporary leave — re-checked at the gate on return")
            yield Label(Text(title, style="bold"), id="exit-title")
            if self.about:
                yield Static(self.about, id="exit-about")
            if self.early_from:
                yield Static(Text(_("Allowed from {time}: before that only with the chief proctor's PIN (asked next)").format(
                    time=self.early_from), style="bold"), id="exit-early")
            yield Label(_("Ticket / ID number") + " *", classes="form-label")
            yield WedgeField(self.ticket, id="exit-ticket", holds_scan=True)
            yield Label(_("Reason") + " *", classes="form-label")
            placeholder = _("e.g. handed in early, unwell") if self.final else _("e.g. toilet, unwell")
            yield WedgeField(placeholder=placeholder, id="exit-reason")
            yield Static("", id="exit-error")
            yield Label(_("Enter submit · Tab next field · Esc cancel"), classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one("#exit-reason" if self.ticket else "#exit-ticket", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(WedgeField.Scanned)
    def _scan_landed(self, event: WedgeField.Scanned) -> None:
        """A scan into the empty ticket field is the ticket; any other scan (a burst's next code) is refused on the
        form, by code, never joined to the ticket or taken for a reason."""
        event.stop()
        if event.field.id == "exit-ticket" and not event.kept.strip():  # the field holds it (`holds_scan`)
            self.query_one("#exit-reason", Input).focus()
            return
        self.refused.append(event.code)
        self.app.bell()
        self.query_one("#exit-error", Static).update(Text(scans_refused(self.refused), style="bold red"))

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        for key, name in (("ticket", _("Ticket / ID number")), ("reason", _("Reason"))):
            field = self.query_one(f"#exit-{key}", Input)
            if not field.value.strip():
                self.query_one("#exit-error", Static).update(Text(_("Fill in: {fields}").format(fields=name), style="bold red"))
                field.focus()
                return
        reason = self.query_one("#exit-reason", Input)
        refused = scan_in_text(_("Reason"), reason.value)
        if refused:
            self.query_one("#exit-error", Static).update(Text(refused, style="bold red"))
            reason.value = ""
            reason.focus()
            return
        self.dismiss(ExitFilled(self.query_one("#exit-ticket", Input).value.strip(),
                                self.query_one("#exit-reason", Input).value.strip(), self.final))


@dataclass(frozen=True)
class EarlyLeaveAuthorised:
    """The chief proctor's answer: who authorises the early leave, and the PIN as typed (the service checks it)."""

    authorised_by: str
    pin: str


class EarlyLeaveAuthorisation(WholeGlyphs, ModalScreen[EarlyLeaveAuthorised | None]):
    """Leaving for good before the plan allows it (a sick candidate): the chief proctor's name and PIN, or Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="early.cancel"), *FOCUS_KEYS]

    def __init__(self, allowed_from: str, about: str = "", *, authorised_by: str = "", error: str = "") -> None:
        super().__init__()
        localize_bindings(self)
        self.allowed_from = allowed_from
        self.about = about
        self.authorised_by = authorised_by  # after a wrong PIN: the name typed, kept
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(id="early-box", classes="modal-box"):
            yield Label(Text(_("Early leave before {time} — the chief proctor authorises it").format(time=self.allowed_from),
                             style="bold"), id="early-title")
            yield Static(Text(_("An early leave for good is allowed from {time}. Before that it is recorded only when the "
                                "chief proctor authorises it with the PIN (e.g. a sick candidate).").format(
                time=self.allowed_from), style="bold red"), id="early-refusal")
            if self.about:
                yield Static(self.about, id="early-about")
            yield Label(_("Authorised by (chief proctor)") + " *", classes="form-label")
            yield Input(self.authorised_by, id="early-by")
            yield Label(_("Chief proctor's PIN") + " *", classes="form-label")
            yield Input(password=True, placeholder=_("Type the PIN, then Enter"), id="early-pin")
            yield Static(Text(self.error, style="bold red"), id="early-error")
            yield Label(_("Enter submit · Tab next field · Esc cancel: nothing is recorded"), classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one("#early-pin" if self.authorised_by else "#early-by", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        by, pin = self.query_one("#early-by", Input), self.query_one("#early-pin", Input)
        refused = scan_in_text(_("Authorised by (chief proctor)"), by.value)
        if refused:
            self.query_one("#early-error", Static).update(Text(refused, style="bold red"))
            by.value = ""
            by.focus()
            return
        for field, name in ((by, _("Authorised by (chief proctor)")), (pin, _("Chief proctor's PIN"))):
            if not field.value.strip():
                self.query_one("#early-error", Static).update(Text(_("Fill in: {fields}").format(fields=name), style="bold red"))
                field.focus()
                return
        self.dismiss(EarlyLeaveAuthorised(by.value.strip(), pin.value.strip()))
