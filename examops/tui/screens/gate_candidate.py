"""What the gate's keys do to one candidate: Enter on the card, F-key forms, exits, a pick from Ctrl+F.

`CandidateKeys` is mixed into `GateScreen`, whose `site`, `lane`, `session`, `card`, `last_verdict`,
`pending_scans`, `holding_alarm` (gate_alarm), `starting`, `scanned_elsewhere`, `scan_input`, `_reads`, `submit`, the photo confirmation's `confirming`/`waiting_card`/`_show_card`, `queue_request`, `_hint` and `_set_detail` it uses. Every key acts on
the code typed in the field if there is one, else on the candidate on the card; the card is what the
candidate's state in the session allows (an admitted candidate is never offered "press Enter to admit").
Exits go through the lane worker's queue like scans, so they keep their order.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

from examops.domain.literal import shown
from examops.domain.scan import classify, masked
from examops.domain.verdict import CandidateCard
from examops.i18n import _, word
from examops.tui.i18n import failure_words
from examops.tui.messages import LeaveRecorded, LeaveRefused, LeaveRequest, ScanRequest
from examops.tui.widgets.verdict import VerdictBanner, VerdictView
from examops.tui.words import LEAVE_REFUSED, PICKED, VERDICT

if TYPE_CHECKING:  # the forms and the search are imported when a key first opens one: the first frame needs none
    from examops.tui.widgets.exception_form import ExceptionFilled
    from examops.tui.widgets.exit_form import EarlyLeaveAuthorised, ExitFilled

# After these verdicts Enter on the empty field must not send the card's ticket again (it would be an alarm).
NO_ENTER_AFTER = ("admitted", "duplicate", "arrived", "returned", "no_reentry")
ADMITTED_VERDICTS = ("admitted", "arrived", "returned")
ENTER_STATES = ("expected", "out")  # a pick Enter may check in: not yet arrived, or back from a temporary leave


class CandidateKeys:
    """Enter, F-keys, Ctrl+L / Ctrl+G and Ctrl+F on the candidate on the card."""

    picked_state: str | None = None  # the state of a candidate picked from Ctrl+F (None: the card came from a scan)

    # -- Enter on the empty field ----------------------------------------
    def admit_card(self, key_at: float | None = None) -> None:
        """Enter on the empty field: check in the candidate on the card if their state allows it."""
        if self.waiting_card and not self.pending_scans:  # a confirming lane: Enter confirms the card with the photo
            return self._confirm_waiting(time.monotonic() if key_at is None else key_at)
        if self.pending_scans:
            self._hint(_("Still checking the previous scan, wait a moment"))
            return
        if self.card is None or self.card.room is None or not self._enter_checks_in():
            self._hint(_("No candidate on the card to admit: scan or search first"))
            return
        self.submit(ScanRequest(self.card.ticket))

    def _enter_checks_in(self) -> bool:
        if self.picked_state is not None:
            return self.picked_state in ENTER_STATES or bool(self.card and self.card.arriving)
        last = self.last_verdict.verdict if self.last_verdict else None
        return last not in NO_ENTER_AFTER

    def _card_admitted(self) -> bool:
        """The card's candidate is in: admitted by the last scan, or picked while admitted."""
        if self.picked_state is not None:
            return self.picked_state == "admitted"
        return bool(self.last_verdict and self.last_verdict.verdict in ADMITTED_VERDICTS)

    def _card_target(self) -> str | None:
        """The candidate on the card a key may act on: not after a duplicate (who stands there is in doubt)."""
        last = self.last_verdict.verdict if self.last_verdict else None
        if self.card is None or self.card.room is None or last == "duplicate":
            return None
        return self.card.ticket

    def _exit_target(self, *, final: bool) -> str | None:
        """The card's candidate, only if they are inside (or, for good, out on a leave): an exit needs an entry.

        A card left by a refusal, a pending exception or a photo still to confirm holds someone who never came in;
        prefilled, the form would take a reason for an exit the store then refuses.
        """
        ticket = self._card_target()
        inside = self._card_admitted() or (final and self.picked_state == "out")
        return ticket if inside else None

    def _take_field(self) -> str:
        typed = self.scan_input.value.strip()
        self.scan_input.clear()
        return typed

    # -- F-keys: an exception, before or after admission -------------------
    def action_code(self, key: str) -> None:
        code = self.site.policy.by_key(key)
        if code is None:
            self.app.bell()
            return
        self.open_form(code)

    def open_form(self, code) -> None:  # noqa: ANN001 - an OutcomeCode
        if self.pending_scans:
            self._hint(_("Still checking the previous scan, wait a moment"))
            return
        typed = self._take_field()
        ticket = typed or self._card_target()  # the code in the field first, else the card
        about = ""
        if not typed and ticket and self._card_admitted():
            about = _("{name} is admitted: this goes to the chief proctor's review, the admission stands").format(
                name=shown(self.card.name))
        session_date = self.session.date if self.session else self.site.clock.local().date()
        from examops.tui.widgets.exception_form import ExceptionForm

        self.app.push_screen(ExceptionForm(code, ticket, session_date, about=about), self._form_done)

    def _form_done(self, filled: ExceptionFilled | None) -> None:
        self.scan_input.focus()
        self._reads.forget()  # staff did something in between: the next read of the same code is a scan of its own
        if filled is not None:
            self.submit(ScanRequest(filled.ticket, filled.code, filled.evidence), settled=self._form_settles(filled.ticket))

    def action_codes(self) -> None:
        from examops.tui.widgets.exception_form import CodePicker

        self.app.push_screen(CodePicker(self.site.policy), lambda code: code and self.open_form(code))

    # -- exits: a temporary leave (back through the gate) or for good ------
    def action_leave(self) -> None:
        self._open_exit(final=False)

    def action_leave_final(self) -> None:
        self._open_exit(final=True)

    def _open_exit(self, *, final: bool) -> None:
        """Ctrl+L / Ctrl+G: the exit form, unless an alarm is (or may be about to be) on screen.

        The form covers the card and the exit's answer replaces it: a burst's alarm drawn behind the form, or one
        on screen with cards waiting, would vanish unseen. So while scans are still being checked, an alarm holds
        (until Esc or Enter goes past it) or a card waits for Enter, the key is refused with a word and the field
        keeps what was typed.
        """
        if self.session is None:
            self._hint(_("No session in the plan"))
            return
        if self.pending_scans:
            self._hint(_("Still checking the previous scan, wait a moment"))
            return
        if self._alarm_first(_("An alarm is on screen: press Esc to see it through first, then the exit key")):
            return
        typed = self._take_field()
        ticket = typed or self._exit_target(final=final)
        about = f"{shown(self.card.name)} · {self.card.ticket}" if not typed and ticket and self.card else ""
        from examops.tui.widgets.exit_form import ExitForm

        self.app.push_screen(ExitForm(ticket, final=final, about=about, early_from=self._early_leave_from(final)),
                             lambda filled: self._exit_done(filled, about))

    def _early_leave_from(self, final: bool) -> str | None:
        """For good before the plan allows it: the local time it is allowed from (the chief's PIN is asked)."""
        from examops.services.exits import early_leave_from

        return early_leave_from(self.site, self.session.id) if final and self.session else None

    def _exit_done(self, filled: ExitFilled | None, about: str = "") -> None:
        self.scan_input.focus()
        self._reads.forget()  # the candidate comes back through the gate: that scan is never a double read
        if filled is None:
            return
        scan = classify(filled.ticket)
        request = LeaveRequest(scan.value or filled.ticket, filled.reason, filled.final)
        allowed_from = self._early_leave_from(filled.final)
        if allowed_from is None:
            self.queue_request(request)
            return
        self._ask_authorisation(request, allowed_from, about or masked(request.code))

    def _ask_authorisation(self, request: LeaveRequest, allowed_from: str, about: str, error: str = "") -> None:
        from examops.tui.widgets.exit_form import EarlyLeaveAuthorisation

        self.app.push_screen(EarlyLeaveAuthorisation(allowed_from, about, authorised_by=request.authorised_by, error=error),
                             lambda answer: self._authorised(request, answer))

    def _authorised(self, request: LeaveRequest, answer: EarlyLeaveAuthorised | None) -> None:
        """The chief's name and PIN go with the exit to the service, which checks the PIN; Esc records nothing."""
        self.scan_input.focus()
        if answer is None:
            self._hint(_("Early leave not recorded: the chief proctor did not authorise it"))
            return
        self.queue_request(replace(request, authorised_by=answer.authorised_by, pin=answer.pin))

    def record_leave(self, request: LeaveRequest) -> None:
        """On the lane worker: record the exit through the service, in line with the scans."""
        from examops.services import exits, ledger

        try:
            done = exits.record_exit(self.site, request.code, session=self.session.id, reason=request.reason,
                                     final=request.final, by=self.lane.staff, lane=self.lane.lane,
                                     authorised_by=request.authorised_by, pin=request.pin)
        except exits.ExitRefused as exc:
            said = str(exc)
            if exc.key in ("too_early", "wrong_pin"):  # the screen's own words: no command-line options in them
                said = word(LEAVE_REFUSED, exc.key).format(time=exc.allowed_from)
            self.post_message(LeaveRefused(request, exc.key, said))
        except ledger.SessionClosed as exc:  # the chief signed the session off: nothing to retry
            self.post_message(LeaveRefused(request, "closed", str(exc)))
        except Exception as exc:  # noqa: BLE001 - shown as not recorded
            self.post_message(LeaveRefused(request, "", failure_words(exc)))
        else:
            self.post_message(LeaveRecorded(request, done))

    def on_leave_recorded(self, message: LeaveRecorded) -> None:
        self.pending_scans -= 1
        self._lane_wrote(None)  # an exit: counted again (its row, and the figures the fold does not know)
        done = message.done
        self.card, self.last_verdict, self.picked_state = done.card, None, done.card.state if done.card else None
        title = _("LEFT FOR GOOD — no re-entry, counted on the report") if done.final else _(
            "TEMPORARY LEAVE — checked again at the gate on return")
        where = _("Room {room}, seat {seat}").format(room=done.room or "-", seat=done.seat or "-")
        self.query_one(VerdictBanner).show(VerdictView("picked", title, f"{shown(done.name)} · {done.ticket} · {where}"))
        self._show_card(done.card, self._session_label(done.session))
        lines = (_("Reason: {reason}").format(reason=shown(done.reason)),)
        if done.authorised_early_by:
            lines += (_("Early, before the allowed time: authorised by the chief proctor {name}").format(
                name=shown(done.authorised_early_by)),)
        self._set_detail(lines)
        self._after_scan()

    def on_leave_refused(self, message: LeaveRefused) -> None:
        self.pending_scans -= 1
        style, title = ("invalid", _("EXIT NOT RECORDED")) if message.key else ("not_recorded", _("NOT RECORDED — rescan"))
        if message.key == "closed":
            style, title = "denied", word(VERDICT, "session_closed")
        said = message.error if message.key in ("too_early", "wrong_pin") or message.key not in LEAVE_REFUSED else word(
            LEAVE_REFUSED, message.key)
        self.query_one(VerdictBanner).show(VerdictView(style, title, said))
        self._show_card(None)  # the exit was queued with the card forgotten (`queue_request`)
        self._set_detail((_("Scanned: {scanned}").format(scanned=shown(message.request.code)),))
        self.app.bell()
        self._after_scan()
        allowed_from = self._early_leave_from(True) if message.key == "wrong_pin" else None
        calm = not (self.pending_scans or self.holding_alarm or self.waiting_card) and self.app.screen is self
        if allowed_from and calm:  # the chief tries the PIN again, over nothing that waits for the staffer
            self._ask_authorisation(replace(message.request, pin=""), allowed_from, masked(message.request.code), said)

    def _alarm_first(self, words: str) -> bool:
        """True (and a word) while an alarm holds, or a card waits for the staffer's Enter or Esc (a confirming lane):
        what the key would draw would replace it; an Enter after that would admit a candidate whose photo is gone."""
        if self.holding_alarm:
            self._hint(words)
        elif self.waiting_card:
            self._hint(_("The card waits: Enter admits, Esc sets aside — then this key"))
        return self.holding_alarm or self.waiting_card

    # -- Ctrl+F -----------------------------------------------------------
    def action_search(self) -> None:
        """Ctrl+F; the pick replaces the card, so not over an alarm (one that came while the search was open neither)."""
        if self.starting():
            return
        if self._alarm_first(_("An alarm is on screen: press Esc to see it through first, then Ctrl+F")):
            return
        from examops.tui.widgets.search import SearchModal

        self.app.push_screen(SearchModal(self.lane.view_site, self.session.id if self.session else None,
                                         scanned=self.scanned_elsewhere), self._picked)

    def _picked(self, card: CandidateCard | None) -> None:
        if card is None or self.pending_scans:
            return
        if self._alarm_first(_("An alarm is on screen: press Esc to see it through first, then Ctrl+F")):
            return
        state = card.state or "expected"
        if self.confirming and (state in ENTER_STATES or card.arriving):  # the card with the photo, waiting for Enter
            return self.submit(ScanRequest(card.ticket))
        self.card, self.last_verdict, self.picked_state = card, None, state
        key = "arriving" if card.arriving else state
        title = word(PICKED, key) if key in PICKED else word(PICKED, "expected")
        self.query_one(VerdictBanner).show(VerdictView("picked", title))
        self._show_card(card, self._session_label(card.session))
        lines = ()
        if state == "admitted":
            lines = (_("Ctrl+L temporary leave · Ctrl+G early leave for good · F-key: an exception after admission"),)
        self._set_detail(lines)
