"""The gate's alarm stays until the staffer has seen it: the cards of a burst's later scans wait behind it.

Each scan of a wedge scanner's burst is still checked and recorded as it comes (nothing is held back from the
log), but while an alarm (a duplicate, a denial, a scan not recorded) is on screen, the card of every scan whose
Enter arrived before the alarm was drawn waits (`AlarmHold`); the detail says how many and that Esc (or Enter on
the empty field) goes on. A confirming lane keeps its held scans unchecked until then. A scan typed after the
alarm was drawn is a look at it and goes on.

The bell rings when an alarm is known (`AlarmHold.rings`): once for a burst, whether its card is drawn or waits;
a waiting alarm drawn after Esc rings no more. The exit keys wait for the alarm to be seen (`_open_exit`).
"""

from __future__ import annotations

import time

from examops.domain.alarm_hold import ALARM_VERDICTS, PASSED_OVER, AlarmHold
from examops.i18n import ngettext
from examops.tui.messages import ScanFailed, ScanRecorded

Shown = ScanRecorded | ScanFailed


def _is_alarm(message: Shown) -> bool:
    return isinstance(message, ScanFailed) or message.verdict.verdict in ALARM_VERDICTS


def _recorded(message: Shown) -> bool:
    """The scan is in the log: only then may the note under an alarm say its card waits 'recorded'."""
    return isinstance(message, ScanRecorded) and message.verdict.recorded


def _comes_alone(message: Shown) -> bool:
    return isinstance(message, ScanFailed) or message.verdict.verdict not in PASSED_OVER


def _key_at(message_or_request) -> float | None:  # noqa: ANN001 - a ScanRecorded/ScanFailed or a ScanRequest
    request = getattr(message_or_request, "request", message_or_request)
    return None if request.confirmed else request.at  # an Enter on the card is a look at it


class AlarmGate:
    """Mixed into `GateScreen` (`app`, `_show_verdict`, `_show_failure`, `_after_scan`, `_card_shown`, `_set_detail`) and
    `ConfirmingGate` (`confirming`, `line`, `waiting_card`, `_release_held`)."""

    def _setup_alarm(self) -> None:
        self.alarm_hold: AlarmHold[Shown] = AlarmHold()
        self._alarm_lines: tuple[str, ...] = ()

    @property
    def holding_alarm(self) -> bool:
        return self.alarm_hold.holding

    def _ring_for_alarm(self, message: Shown) -> None:
        """The bell, when an alarm is recorded (or a scan failed): before its card is drawn or set waiting."""
        if self.alarm_hold.rings(_key_at(message), alarm=_is_alarm(message)):
            self.app.bell()

    def _waits_behind_alarm(self, message: Shown) -> bool:
        """A verdict has just come (recorded, or failed): True when its card waits instead of being drawn now."""
        hold = self.alarm_hold
        typed_before = hold.holds(_key_at(message))
        if not typed_before and not hold.queued:
            return False  # no alarm holds, or typed after it was drawn with nothing waiting: drawn as ever
        hold.wait(message, alarm=_comes_alone(message))
        self._after_scan()
        if typed_before:
            self._say_waiting()
        else:  # typed after the card on screen was drawn: a look at it; the cards waiting before it come first
            self._show_next_waiting()
        return True

    def _alarm_shown(self, message: Shown, lines: tuple[str, ...], passed: int = 0) -> None:
        """A verdict's card is drawn: an alarm holds from this frame on (and any card while an alarm waits)."""
        self.alarm_hold.shown(time.monotonic(), alarm=_is_alarm(message))
        more = ngettext("{count} admitted just before this one", "{count} admitted just before this one", passed)
        self._alarm_lines = (*lines, more.format(count=passed)) if passed else tuple(lines)
        if passed or self.holding_alarm:
            self._say_waiting()

    def _say_waiting(self) -> None:
        """The detail under the card, and while it holds, how many later scans wait and which key goes on
        ('recorded' only when every one of them is: a card not recorded may be among them)."""
        waiting = [message for message, _alarm in self.alarm_hold.waiting]
        count = sum(len(message.requests) for message in waiting) + (self.line.queued if self.confirming else 0)
        note = ()
        if self.holding_alarm and count:
            if self.confirming or not all(map(_recorded, waiting)):
                words = ngettext("{count} more scan waiting — Esc or Enter shows it",
                                 "{count} more scans waiting — Esc or Enter: the next", count)
            else:
                words = ngettext("{count} more scan recorded — Esc or Enter shows it",
                                 "{count} more scans recorded — Esc or Enter: the next", count)
            note = (words.format(count=count),)
        lines = self._alarm_lines  # the note second, after the card's first line: at 80×24 the detail has three rows
        self._set_detail((*lines[:1], *note, *lines[1:]), suggesting=self.has_class("-suggesting"))

    def _acknowledge_alarm(self, key_at: float | None = None) -> bool:
        """Esc, or Enter on the empty field: True when it showed the next waiting card (or let a held scan go)."""
        hold = self.alarm_hold
        key_at = time.monotonic() if key_at is None else key_at
        if not hold.holding or self.waiting_card or key_at < hold.shown_at:
            return False  # a key that came before the alarm was drawn is no look at it
        if hold.queued:
            self._show_next_waiting()
            return True
        hold.release()
        if self.confirming and self.line.queued and not self.pending_scans:
            self._say_waiting()
            self._release_held()
            return True
        return False

    def _scan_past_alarm(self, request) -> None:  # noqa: ANN001 - a ScanRequest
        """A confirming lane: a scan typed after the alarm was drawn lets the scans held behind it go first."""
        hold = self.alarm_hold
        if not (self.confirming and hold.holding) or hold.holds(_key_at(request)):
            return
        if hold.queued:
            self._show_next_waiting()
        else:
            hold.release()
            self._say_waiting()
            self._release_held()

    def _show_next_waiting(self) -> None:
        step = self.alarm_hold.next()
        if step is None:
            return
        message, _alone, passed = step
        if isinstance(message, ScanFailed):
            self._alarm_shown(message, self._show_failure(message.error, message.requests), passed)
            self._release_held()
        else:
            view = self._show_verdict(message)
            self._alarm_shown(message, view.details, passed)
            self._card_shown(message.request, message.verdict)
