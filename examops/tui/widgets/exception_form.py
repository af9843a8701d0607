"""Small modals for exceptions: pick a code, then fill in the evidence that code asks for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Input
from textual.widgets.option_list import Option

from examops.domain.policy import OutcomeCode, Policy, PolicyError, parse_local_datetime, parse_temperature
from examops.i18n import N_, _, word
from examops.tui.i18n import code_label, evidence_label, localize_bindings
from examops.tui.wide_glyphs import WholeGlyphs
from examops.tui.widgets.form_keys import FOCUS_KEYS, scan_in_text, scans_refused
from examops.tui.widgets.plain import Label, OptionList, Static
from examops.tui.widgets.wedge import WedgeField
from examops.tui.words import ACTION

# The shape of the answer, never a value that would pass: a reading or a time must be entered or scanned.
PLACEHOLDERS = {"temperature": "__._ ℃", "datetime": "YYYY-MM-DD HH:MM"}
NOTE_KEYS = ("note",)
"""Free-text evidence that is never a number: a ticket or ID scan in it is the next candidate's, refused."""
FIELD_ERROR = {
    "temperature": N_("not a body temperature: type the reading in °C, 30 to 45, e.g. 37.6 (or 376)"),
    "datetime": N_("not a time: type it like 2021-10-15 09:30, or 09:30 on the exam day"),
}


@dataclass(frozen=True)
class ExceptionFilled:
    """The form's answer: check `ticket` with `code` and `evidence`."""

    ticket: str
    code: str
    evidence: dict[str, str] = field(default_factory=dict)


class ExceptionForm(WholeGlyphs, ModalScreen[ExceptionFilled | None]):
    """The evidence fields of one outcome code; required fields and readings are checked here."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form.cancel"), *FOCUS_KEYS]

    def __init__(self, code: OutcomeCode, ticket: str | None, session_date: dt.date, *, about: str = "") -> None:
        super().__init__()
        localize_bindings(self)
        self.code = code
        self.ticket = ticket or ""
        self.session_date = session_date
        self.about = about  # e.g. that the candidate is admitted and this goes to the chief's review
        self.refused: list[str] = []  # scans that came while the form was open, said NOT RECORDED on it

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box", classes="modal-box"):
            title = Text(code_label(self.code), style="bold")
            title.append(f"  → {word(ACTION, self.code.action)}", style="")
            yield Label(title, id="form-title")
            if self.about:
                yield Static(self.about, id="form-about")
            yield Label(_("Ticket / ID number") + " *", classes="form-label")
            yield WedgeField(self.ticket, id="form-ticket", holds_scan=True)
            for evidence in self.code.evidence:
                suffix = ' * (' + _('required') + ')' if evidence.required else ""
                yield Label(evidence_label(evidence) + suffix, classes="form-label")
                yield WedgeField(placeholder=PLACEHOLDERS.get(evidence.kind, ""), id=f"ev-{evidence.key}",
                            type="number" if evidence.kind == "temperature" else "text")
            yield Static("", id="form-error")
            yield Label(_("Enter submit · Tab next field · Esc cancel"), classes="modal-hint")

    def on_mount(self) -> None:
        fields = [self.query_one(f"#ev-{e.key}", Input) for e in self.code.evidence]
        target = fields[0] if self.ticket and fields else self.query_one("#form-ticket", Input)
        target.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(WedgeField.Scanned)
    def _scan_landed(self, event: WedgeField.Scanned) -> None:
        """A scan into the empty ticket field is the ticket (the field holds it); any other (a burst's next code, or
        one in a reading or a note) is refused on the form by code, never joined to the ticket or taken as evidence."""
        event.stop()
        if event.field.id == "form-ticket" and not event.kept.strip():
            fields = [self.query_one(f"#ev-{e.key}", Input) for e in self.code.evidence]
            if fields:
                fields[0].focus()
            return
        self.refused.append(event.code)
        self.app.bell()
        self.query_one("#form-error", Static).update(Text(scans_refused(self.refused), style="bold red"))

    @on(Input.Changed)
    def _reading_typed(self, event: Input.Changed) -> None:
        """A reading typed without its point (381) says at once what it is read as (38.1 ℃)."""
        item = next((e for e in self.code.evidence if f"ev-{e.key}" == event.input.id), None)
        if item is None or item.kind != "temperature":
            return
        reading = _tenths(event.value)
        said = _("{field}: {typed} read as {reading} ℃").format(field=evidence_label(item), typed=event.value.strip(),
                                                                reading=reading) if reading else ""
        self.query_one("#form-error", Static).update(Text(said, style="bold"))

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        ticket_input = self.query_one("#form-ticket", Input)
        if not ticket_input.value.strip():
            self._fail(ticket_input, _("Fill in: {fields}").format(fields=_("Ticket / ID number")))
            return
        evidence: dict[str, str] = {}
        for item in self.code.evidence:
            field_input = self.query_one(f"#ev-{item.key}", Input)
            value = field_input.value.strip()
            if item.required and not value:
                self._fail(field_input, _("Fill in: {fields}").format(fields=evidence_label(item)))
                return
            if not value:
                continue
            refused = scan_in_text(evidence_label(item), value) if item.key in NOTE_KEYS else None
            if refused:
                field_input.value = ""
                self._fail(field_input, refused)
                return
            try:
                if item.kind == "temperature":
                    parse_temperature(value)
                    value = _tenths(value) or value  # recorded as read: 38.1, not 381
                elif item.kind == "datetime":
                    parse_local_datetime(value, self.session_date)
            except (PolicyError, ValueError):  # the policy's refusal is English for the log: the screen says its own
                self._fail(field_input, _("{field}: {error}").format(field=evidence_label(item), error=word(FIELD_ERROR, item.kind)))
                return
            evidence[item.key] = value
        self.dismiss(ExceptionFilled(ticket_input.value.strip(), self.code.code, evidence))

    def _fail(self, widget: Input, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(message, style="bold red"))
        widget.focus()


def _tenths(typed: str) -> str:
    """'38.1' for a reading typed as three digits without its point ('381'), if that is a body temperature; else ''."""
    text = typed.strip()
    if len(text) != 3 or not text.isdigit():
        return ""
    try:
        return f"{parse_temperature(text):.1f}"
    except PolicyError:
        return ""


class CodePicker(WholeGlyphs, ModalScreen[OutcomeCode | None]):
    """Every code of the policy with its key; Enter or the code's digit picks one."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker.cancel")]

    def __init__(self, policy: Policy) -> None:
        super().__init__()
        localize_bindings(self)
        self.policy = policy

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box", classes="modal-box"):
            yield Label(_("Choose an exception code"), id="picker-title")
            options = []
            for code in sorted(self.policy.codes.values(), key=lambda c: (c.key or "~", c.code)):
                prompt = Text(f"{'F' + code.key if code.key else '':<4}", style="bold")
                prompt.append(code_label(code))
                prompt.append(f"  → {word(ACTION, code.action)}", style="dim")
                options.append(Option(prompt, id=code.code))
            yield OptionList(*options, id="picker-list")

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.policy.codes.get(event.option.id or ""))

    def on_key(self, event: Key) -> None:
        code = self.policy.by_key(event.character or "") if event.character and event.character.isdigit() else None
        if code is not None:
            event.stop()
            self.dismiss(code)
