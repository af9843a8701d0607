"""The review screen's modals: a small fields form (names, notes, reasons, a room) and the reallocation preview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select

from examops.domain.reallocation import AllocationPlan
from examops.i18n import _, pgettext, word
from examops.tui.i18n import localize_bindings
from examops.tui.wide_glyphs import WholeGlyphs
from examops.tui.widgets.form_keys import FOCUS_KEYS
from examops.tui.widgets.plain import DataTable, Label, Static
from examops.tui.words import REVIEW_FORM, REVIEW_PREVIEW, ROSTER_KIND


@dataclass(frozen=True)
class FormField:
    """One line of a `FieldsForm`: text by default, a choice when `choices` is given."""

    key: str
    label: str
    value: str = ""
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    check: Callable[[str], str | None] | None = None
    """Returns what is wrong with a value, in words, or None."""


class FieldsForm(WholeGlyphs, ModalScreen[dict[str, str] | None]):
    """A title and a few fields; Enter submits once the required ones are filled, Esc cancels."""

    CSS_PATH = "../chief_forms.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="fields.cancel"),
        Binding("ctrl+s", "submit", "Submit", id="fields.submit"),
        *FOCUS_KEYS,
    ]

    def __init__(self, title: str, fields: Sequence[FormField], subtitle: str = "") -> None:
        super().__init__()
        localize_bindings(self)
        self.title_text = title
        self.subtitle = subtitle
        self.fields = list(fields)

    def compose(self) -> ComposeResult:
        with Vertical(id="fields-box", classes="modal-box"):
            yield Label(Text(self.title_text, style="bold"), id="fields-title")
            if self.subtitle:
                yield Static(self.subtitle, id="fields-subtitle")
            for field in self.fields:
                yield Label(field.label + (' * (' + _('required') + ')' if field.required else ""), classes="form-label")
                if field.choices:
                    yield Select(field.choices, value=field.value or field.choices[0][1], allow_blank=False,
                                 id=f"field-{field.key}")
                else:
                    yield Input(field.value, id=f"field-{field.key}")
            yield Static("", id="fields-error")
            yield Label(_("Enter submit · Tab next field · Esc cancel"), classes="modal-hint")

    def on_mount(self) -> None:
        empty = [f for f in self.fields if not f.choices and f.required and not f.value]
        first = empty[0] if empty else self.fields[0]
        self.query_one(f"#field-{first.key}").focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        values: dict[str, str] = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.key}")
            value = str(widget.value if isinstance(widget, Select) else widget.value).strip()
            problem = _("Fill in: {fields}").format(fields=field.label) if field.required and not value else None
            if problem is None and value and field.check is not None:
                problem = field.check(value)
                problem = _("{field}: {error}").format(field=field.label, error=problem) if problem else None
            if problem:
                self.query_one("#fields-error", Static).update(Text(problem, style="bold red"))
                widget.focus()
                return
            values[field.key] = value
        self.dismiss(values)


class ReallocationPreview(WholeGlyphs, ModalScreen[str | None]):
    """Who would move where; Enter confirms ("confirm"), N opens a room ("add_room"), Esc cancels."""

    CSS_PATH = "../chief_forms.tcss"

    BINDINGS = [
        Binding("enter", "confirm", "Confirm", id="preview.confirm", priority=True),
        Binding("n", "add_room", "Open a room", id="preview.add_room"),
        Binding("escape", "cancel", "Cancel", id="preview.cancel"),
    ]

    def __init__(self, plan: AllocationPlan, kind_label: Callable[[str], str]) -> None:
        super().__init__()
        localize_bindings(self)
        self.plan = plan
        self.kind_label = kind_label

    def compose(self) -> ComposeResult:
        with Vertical(id="preview-box", classes="modal-box"):
            yield Label(Text(_("Reallocation preview: backup and isolation rooms"), style="bold"), id="preview-title")
            yield Static(self._summary(), id="preview-summary")
            yield DataTable(id="preview-moves", cursor_type="row", zebra_stripes=True)
            yield Static(self._missing(), id="preview-missing")
            hint = _("N open a room · Esc cancel") if self.plan.unplaced or not self.plan.moves else _("Enter confirm (chief's PIN) · N open a room · Esc cancel")
            yield Label(hint, classes="modal-hint")

    def on_mount(self) -> None:
        table = self.query_one("#preview-moves", DataTable)
        for key in ("ticket", "name", "from", "to"):
            table.add_column(word(REVIEW_PREVIEW, key), key=key)
        for move in self.plan.moves:
            table.add_row(move.ticket, move.name, f"{move.from_room or '-'}/{move.from_seat or '-'}",
                          Text(f"{move.room}/{move.seat}", style="bold"), key=move.case_id)
        table.display = bool(self.plan.moves)
        table.focus()

    def _summary(self) -> Text:
        if not self.plan.moves and not self.plan.unplaced:
            return Text(_("Nobody to seat (a case moves once every level has approved it)"))
        return Text(_("{count} candidate(s) would move:").format(count=len(self.plan.moves)))

    def _missing(self) -> Text:
        missing = self.plan.missing_seats()
        if not missing:
            return Text("")
        text = Text()
        for kind, count in sorted(missing.items()):
            text.append(_("{count} seat(s) missing in {kind} rooms").format(kind=self.kind_label(kind), count=count) + "\n", style="bold red")
        text.append(_("Press N to open another room on the spot, then reallocate"), style="bold")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return bool(self.plan.moves) and not self.plan.unplaced
        return True

    def action_confirm(self) -> None:
        if self.plan.moves and not self.plan.unplaced:
            self.dismiss("confirm")

    def action_add_room(self) -> None:
        self.dismiss("add_room")

    def action_cancel(self) -> None:
        self.dismiss(None)


def _positive_int(value: str) -> str | None:
    return None if value.isdigit() and int(value) > 0 else _("a whole number above 0")


def approve_form(count: int, level_name: str, approver: str, recorded_by: str) -> FieldsForm:
    """The level's approver (a supervision group member on the phone, say), a note, and who records it."""
    return FieldsForm(_("Approve {count} case(s) — {level}").format(count=count, level=level_name), [
        FormField("by", _("Approver's name"), approver, required=True),
        FormField("note", _("Note")),
        FormField("recorded_by", _("Recorded by"), recorded_by, required=True),
    ], _("A phone approval by the supervision group is recorded by the chief: the approver's name and a note"))


def decision_form(action: str, count: int, by: str) -> FieldsForm:
    """Reject (a reason) or resolve (how): who decides, and the words the service requires."""
    text_key, label = ("reason", _("Reason for rejecting")) if action == "reject" else ("note", _("How it was resolved (certificate arrived, normal re-test…)"))
    return FieldsForm(word(REVIEW_FORM, action).format(count=count), [
        FormField("by", _("Decided by"), by, required=True),
        FormField(text_key, label, required=True),
    ])


def room_form(kind: str, kinds: Sequence[str]) -> FieldsForm:
    """A room opened on the spot: id, name, kind and seats."""
    return FieldsForm(_("Open a room on the spot"), [
        FormField("room", _("Room id"), required=True),
        FormField("name", pgettext("review.room.name", "Name"), required=True),
        FormField("kind", _("Kind"), kind, choices=tuple((word(ROSTER_KIND, k), k) for k in kinds)),
        FormField("capacity", _("Seats"), "30", required=True, check=_positive_int),
    ])


def documents_form(folder: str) -> FieldsForm:
    return FieldsForm(_("Print room documents (door list, sign-in sheet, seat labels)"), [FormField("out", _("Folder"), folder, required=True)])
