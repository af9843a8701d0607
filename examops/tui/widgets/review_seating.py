"""The review's seating and paperwork actions: reallocation with a preview, rooms opened on the spot, room documents.

`SeatingActions` is mixed into `ReviewScreen`, whose `site`, `session_id`,
`chief_name`, `busy`, `_ready` and `_decide` it uses; like the rest of the
screen, dialogs run in async workers and service calls in thread workers.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual import work

from examops import locations
from examops.i18n import _, language, word
from examops.services import seating
from examops.tui.i18n import failure_words
from examops.tui.messages import DecisionRefused, DocumentsWritten, ReallocationPlanned
from examops.tui.widgets.pin_modal import PinModal
from examops.tui.widgets.review_forms import ReallocationPreview, documents_form, room_form
from examops.tui.words import ROSTER_KIND

ROOM_KINDS = ("backup", "isolation")


class SeatingActions:
    """Reallocate (preview first), open a room, print room documents."""

    _preview_after_room = False

    def action_reallocate(self) -> None:
        if self._ready() and self.session_id:
            self.busy = "preview"
            self._plan()

    @work(thread=True, group="review-decisions", exit_on_error=False)
    def _plan(self) -> None:
        try:
            self.post_message(ReallocationPlanned(seating.plan_reallocation(self.site, self.session_id)))
        except Exception as exc:  # noqa: BLE001 - shown on screen
            self.post_message(DecisionRefused("reallocate", failure_words(exc)))

    def on_reallocation_planned(self, message: ReallocationPlanned) -> None:
        self.busy = None
        self._preview(message.plan)

    @work(group="review-dialog", exit_on_error=False)
    async def _preview(self, plan) -> None:  # noqa: ANN001 - an AllocationPlan
        choice = await self.app.push_screen_wait(ReallocationPreview(plan, lambda kind: word(ROSTER_KIND, kind)))
        if choice == "add_room":
            missing = plan.missing_seats()
            self._add_room(next(iter(sorted(missing)), "backup"), after_preview=True)
            return
        if choice != "confirm":
            return
        pin = await self.app.push_screen_wait(PinModal(_("seat {count} candidate(s) in backup/isolation rooms").format(count=len(plan.moves))))
        if pin:
            site, session, by = self.site, self.session_id, self.chief_name
            self._decide("reallocate", [lambda: len(seating.reallocate(site, session, by=by, pin=pin).moves)])

    def action_add_room(self) -> None:
        if self._ready():
            self._add_room("backup")

    @work(group="review-dialog", exit_on_error=False)
    async def _add_room(self, kind: str, *, after_preview: bool = False) -> None:
        values = await self.app.push_screen_wait(room_form(kind, ROOM_KINDS))
        pin = values and await self.app.push_screen_wait(PinModal(_("open room {room}").format(room=values["room"])))
        if not values or not pin:
            return
        self._preview_after_room = after_preview
        site, by = self.site, self.chief_name

        def open_room() -> int:
            return bool(seating.add_room(site, values["room"], name=values["name"], capacity=int(values["capacity"]),
                                         kind=values["kind"], by=by, pin=pin))

        self._decide("add_room", [open_room], values["room"])

    # -- room documents --------------------------------------------------
    def action_documents(self) -> None:
        if self._ready() and self.session_id:
            self._documents()

    @work(group="review-dialog", exit_on_error=False)
    async def _documents(self) -> None:
        folder = str(locations.default_documents_dir(self.session_id))
        values = await self.app.push_screen_wait(documents_form(folder))
        if values:
            self.busy = "documents"
            self._write_documents(values["out"])

    @work(thread=True, group="review-decisions", exit_on_error=False)
    def _write_documents(self, out: str) -> None:
        from examops.services import documents

        try:
            result = documents.write_room_documents(self.site, self.session_id, out,
                                                    lang="zh" if language().startswith("zh") else "en")
        except Exception as exc:  # noqa: BLE001 - DocumentsRefused, a full disk: shown on screen
            self.post_message(DecisionRefused("documents", failure_words(exc)))
            return
        self.post_message(DocumentsWritten(result["out"], [path for room in result["rooms"] for path in room["files"]]))

    def on_documents_written(self, message: DocumentsWritten) -> None:
        self.busy = None
        # One short line: the folder says where they are; listing every file would fill the screen.
        self.notify(_("{count} room documents written to {out}").format(count=len(message.files), out=_short_path(message.out)), timeout=10)


def _short_path(path: str) -> str:
    """A folder as short as it can be said: relative to the working directory, or under ~."""
    folder = Path(path).expanduser().absolute()
    for base, shown in ((Path.cwd(), ""), (Path.home(), "~")):
        if folder == base or base in folder.parents:
            relative = str(folder.relative_to(base))
            return os.path.join(shown, relative) if shown else relative
    return str(folder)
