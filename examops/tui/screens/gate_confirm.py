"""The gate's identity check: the card with the photo waits for the staffer before anyone is admitted.

A lane that confirms checks each scan with `hold_admission`: a clean admission comes back `to_confirm`,
written nowhere, and the card waits. Enter admits (the same code checked again, now written, so a lane
that admitted the candidate meanwhile makes it a duplicate); the ID-mismatch F-key opens its form and
records the exception for the chief; Esc sets the candidate aside, not admitted and not recorded — the
event log records what happened to a candidate, and a look at a card changed nothing (a doubt about
the face is the ID-mismatch exception). While a check is on its way or a card waits, later scans are
held in order (`ConfirmLine`) and the screen says how many; each is checked when its turn comes.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

from examops.domain.confirm import ConfirmLine, confirms
from examops.domain.verdict import CandidateCard, Verdict
from examops.i18n import _
from examops.services.site_head import SiteHead, full_site, site_has_photos
from examops.tui.i18n import failure_words
from examops.tui.messages import ScanRequest
from examops.tui.photo_terminal import PhotoTerminal
from examops.tui.widgets.card import CandidatePanel
from examops.tui.widgets.verdict import VerdictBanner, VerdictView

if TYPE_CHECKING:
    from examops.services.site import Site


class ConfirmingGate:
    """Mixed into `GateScreen` (which gives `submit`, `_set_detail`, `_show_pending`, `_hint`):
    the waiting card, the held scans, the photo beside the card."""

    site: Site | SiteHead
    pending_scans: int
    card: CandidateCard | None
    last_verdict: Verdict | None

    def _setup_confirm(self, site: Site | SiteHead, mode: str, terminal: PhotoTerminal | None) -> None:
        self.photos_error = ""
        try:
            self.has_photos = site_has_photos(site)
        except Exception as exc:  # noqa: BLE001 - a lane that starts offline still scans; on_mount says why no photos
            self.has_photos, self.photos_error = False, failure_words(exc)
        self.confirming = confirms(mode, self.has_photos)
        self.shows_photos = self.has_photos or self.confirming
        self.photo_terminal = terminal or PhotoTerminal()
        self.line: ConfirmLine[ScanRequest] = ConfirmLine()

    def _say_photos_error(self) -> None:
        if self.photos_error:
            self.notify(_("The photos could not be read: {error}").format(error=self.photos_error),
                        severity="warning", timeout=15)

    def _photo_view(self):  # noqa: ANN202 - a PhotoView
        from examops.tui.widgets.photo import PhotoView  # Pillow and the photo widget: only where photos are shown

        return PhotoView(self.photo_terminal, self._photo_for, id="photo")

    def _photo_for(self, ticket: str) -> bytes | None:
        """The candidate's photo (on the photo widget's worker): the store is open by the time a card shows."""
        from examops.services import photos

        return photos.photo_for(full_site(self.site), ticket)

    @property
    def waiting_card(self) -> bool:
        return self.line.waiting is not None

    def _holds(self, request: ScanRequest) -> bool:
        """While a check is on its way or a card waits, a new scan waits its turn (True: held)."""
        if not self.confirming or not (self.pending_scans or self.waiting_card or self.line.queued):
            return False
        self.line.hold(request)
        self._show_pending()
        if self.holding_alarm:  # the alarm's note counts it too
            self._say_waiting()
        return True

    def _show_card(self, card: CandidateCard | None, session_label: str = "", go=None) -> None:  # noqa: ANN001
        """The card, and beside it the photo of the same candidate."""
        self.query_one(CandidatePanel).show(card, session_label, go)
        if self.shows_photos:
            self.query_one("#photo").show(card.ticket if card else None)

    def _card_shown(self, request: ScanRequest, verdict: Verdict) -> None:
        """After a verdict is on screen: a `to_confirm` card waits from now on; otherwise the next held scan goes."""
        if verdict.verdict == "to_confirm":
            self.line.wait_for(request, time.monotonic())
        else:
            self._release_held()

    def _release_held(self) -> None:
        if self.waiting_card or self.pending_scans or self.holding_alarm:  # an alarm holds them until seen
            return
        request = self.line.next_held()
        if request is not None:
            self.submit(request, settled=True)

    def _confirm_waiting(self, key_at: float) -> None:
        """Enter: admit the candidate on the card, if the card was on screen when the key came."""
        if not self.line.confirms(key_at):
            self._hint(_("A new card has just appeared: look at it, then press Enter"))
            return
        request = self.line.settle()
        self.submit(replace(request, confirmed=True), settled=True)

    def _set_aside(self) -> None:
        """Esc: not admitted, nothing recorded; the next held scan comes up."""
        request = self.line.settle()
        self._reads.forget()  # nothing was recorded: a rescan right away is a scan, not the scanner's double read
        ticket = self.card.ticket if self.card else request.code
        self.card = None
        self.last_verdict = None
        self.query_one(VerdictBanner).show(VerdictView("idle", _("Set aside — not admitted, nothing recorded")))
        self._show_card(None)
        self._set_detail((_("{ticket} was not admitted: scan again to check them again").format(ticket=ticket),))
        self._show_pending()
        self._release_held()

    def _form_settles(self, ticket: str) -> bool:
        """An exception form for the waiting candidate settles the card (its event is the record)."""
        if self.waiting_card and self.card is not None and self.card.ticket == ticket:
            self.line.settle()
            return True
        return False

    def _waiting_note(self) -> str:
        return _("{count} waiting").format(count=self.line.queued) if self.line.queued else ""
