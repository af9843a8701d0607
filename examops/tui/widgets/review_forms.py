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
from textual.widgets import DataTable, Input, Label, Select, Static

from examops.domain.reallocation import AllocationPlan
from examops.tui.i18n import localize_bindings, t


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


class FieldsForm(ModalScreen[dict[str, str] | None]):
    """A title and a few fields; Enter submits once the required ones are filled, Esc cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="fields.cancel"),
        Binding("ctrl+s", "submit", "Submit", id="fields.submit"),
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
                yield Label(field.label + (f" * ({t('form.required')})" if field.required else ""), classes="form-label")
                if field.choices:
                    yield Select(field.choices, value=field.value or field.choices[0][1], allow_blank=False,
                                 id=f"field-{field.key}")
                else:
                    yield Input(field.value, id=f"field-{field.key}")
            yield Static("", id="fields-error")
            yield Label(t("form.hint"), classes="modal-hint")

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
            problem = t("form.missing", fields=field.label) if field.required and not value else None
            if problem is None and value and field.check is not None:
                problem = field.check(value)
                problem = t("form.bad_value", field=field.label, error=problem) if problem else None
            if problem:
                self.query_one("#fields-error", Static).update(Text(problem, style="bold red"))
                widget.focus()
                return
            values[field.key] = value
        self.dismiss(values)


class ReallocationPreview(ModalScreen[str | None]):
    """Who would move where; Enter confirms ("confirm"), N opens a room ("add_room"), Esc cancels."""

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
            yield Label(Text(t("review.preview.title"), style="bold"), id="preview-title")
            yield Static(self._summary(), id="preview-summary")
            yield DataTable(id="preview-moves", cursor_type="row", zebra_stripes=True)
            yield Static(self._missing(), id="preview-missing")
            hint = t("review.preview.hint_short") if self.plan.unplaced or not self.plan.moves else t("review.preview.hint")
            yield Label(hint, classes="modal-hint")

    def on_mount(self) -> None:
        table = self.query_one("#preview-moves", DataTable)
        for key in ("ticket", "name", "from", "to"):
            table.add_column(t(f"review.preview.{key}"), key=key)
        for move in self.plan.moves:
            table.add_row(move.ticket, move.name, f"{move.from_room or '-'}/{move.from_seat or '-'}",
                          Text(f"{move.room}/{move.seat}", style="bold"), key=move.case_id)
        table.display = bool(self.plan.moves)
        table.focus()

    def _summary(self) -> Text:
        if not self.plan.moves and not self.plan.unplaced:
            return Text(t("review.preview.none"))
        return Text(t("review.preview.count", count=len(self.plan.moves)))

    def _missing(self) -> Text:
        missing = self.plan.missing_seats()
        if not missing:
            return Text("")
        text = Text()
        for kind, count in sorted(missing.items()):
            text.append(t("review.preview.missing", kind=self.kind_label(kind), count=count) + "\n", style="bold red")
        text.append(t("review.preview.open_room"), style="bold")
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
    return None if value.isdigit() and int(value) > 0 else t("review.room.bad_capacity")


def approve_form(count: int, level_name: str, approver: str, recorded_by: str) -> FieldsForm:
    """The level's approver (a supervision group member on the phone, say), a note, and who records it."""
    return FieldsForm(t("review.form.approve", count=count, level=level_name), [
        FormField("by", t("review.form.approver"), approver, required=True),
        FormField("note", t("review.form.note")),
        FormField("recorded_by", t("review.form.recorded_by"), recorded_by, required=True),
    ], t("review.form.approve_sub"))


def decision_form(action: str, count: int, by: str) -> FieldsForm:
    """Reject (a reason) or resolve (how): who decides, and the words the service requires."""
    text_key, label = ("reason", t("review.form.reason")) if action == "reject" else ("note", t("review.form.resolution"))
    return FieldsForm(t(f"review.form.{action}", count=count), [
        FormField("by", t("review.form.by"), by, required=True),
        FormField(text_key, label, required=True),
    ])


def room_form(kind: str, kinds: Sequence[str]) -> FieldsForm:
    """A room opened on the spot: id, name, kind and seats."""
    return FieldsForm(t("review.room.title"), [
        FormField("room", t("review.room.id"), required=True),
        FormField("name", t("review.room.name"), required=True),
        FormField("kind", t("review.room.kind"), kind, choices=tuple((t(f"roster.kind.{k}"), k) for k in kinds)),
        FormField("capacity", t("review.room.capacity"), "30", required=True, check=_positive_int),
    ])


def documents_form(folder: str) -> FieldsForm:
    return FieldsForm(t("review.docs.title"), [FormField("out", t("review.docs.folder"), folder, required=True)])
