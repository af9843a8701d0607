"""The verdict banner: one big coloured block staff read at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rich.text import Text
from textual.timer import Timer

from examops.domain import idnumber
from examops.domain.literal import shown
from examops.domain.policy import Policy
from examops.domain.verdict import Verdict
from examops.i18n import _, spoken, word
from examops.tui.i18n import code_label, reason_words
from examops.tui.widgets.plain import Static
from examops.tui.words import ACTION, AFTER_ADMISSION, VERDICT, VIA, WINDOW

SUGGESTIONS_SHOWN = 6  # what the detail lines hold at 80×24 with the card put away (gate.tcss, -suggesting)
STYLES = ("idle", "pending", "picked", "admitted", "exception", "denied", "duplicate",
          "unknown", "wrong_session", "invalid", "not_recorded", "to_confirm")
# Verdicts that borrow another's colour: outside the window is grey like a wrong session; an arrival is green.
STYLE_OF = {"outside_window": "wrong_session", "arrived": "admitted", "returned": "admitted", "no_reentry": "denied"}
CLOSED_STYLE = "denied"  # a closed session: red, and nothing to rescan


@dataclass(frozen=True)
class VerdictView:
    """What the banner and the detail lines say about one verdict."""

    style: str
    title: str
    subtitle: str = ""
    details: tuple[str, ...] = ()
    flash: bool = False


def shown_scan(value: str) -> str:
    """A scanned value fit for the screen: an ID-shaped value is masked, control characters dropped."""
    cleaned = "".join(ch if ch.isprintable() else "·" for ch in value)[:40]
    return idnumber.mask(cleaned) if idnumber.looks_like_id(idnumber.clean(cleaned)) else cleaned


def describe(verdict: Verdict, policy: Policy, when: Callable[[str | None], str]) -> VerdictView:
    """Turn a verdict into banner text; `when` renders a UTC stamp as local time."""
    kind = verdict.verdict
    code = policy.codes.get(verdict.code or "")
    label = code_label(code) if code else (verdict.code or "")
    action = word(ACTION, verdict.action) if verdict.action else ""
    said = spoken(verdict.failure) if verdict.failure is not None else reason_words(verdict.reason, policy)
    reason = (_("Reason: {reason}").format(reason=said),) if verdict.reason else ()
    title = word(VERDICT, kind) if kind in VERDICT else kind.upper()
    if kind == "session_closed":
        said = _("Closed by {by} at {at}: nothing more is recorded for this session").format(
            by=shown(verdict.closed_by or "?"), at=verdict.closed_at or "?")
        return VerdictView(CLOSED_STYLE, title, said, (_("Nothing to rescan: a later record needs the chief proctor's override"),))
    if kind in STYLE_OF:
        return _borrowed(verdict, title, when)
    if kind == "not_recorded":
        return VerdictView(kind, title, label, reason)
    if kind == "to_confirm":
        if verdict.card is not None and verdict.card.state == "out":
            title = _("CHECK THE FACE — BACK FROM A LEAVE, NOT YET IN")
        return _to_confirm(policy, title)
    if kind == "admitted":
        return VerdictView(kind, title, label, reason if label else ())
    if kind == "exception":
        return VerdictView(kind, title, f"{label} → {action}" if label else action, reason)
    if kind == "denied":
        return VerdictView(kind, title, label, reason)
    if kind == "duplicate":
        if verdict.first_lane is None and verdict.first_via:
            first = _("Admitted at the chief proctor's desk ({via}), {at}, by {staff}").format(
                via=word(VIA, verdict.first_via) if verdict.first_via in VIA else verdict.first_via, at=when(verdict.first_at) or "?", staff=verdict.first_by or "?")
        else:
            first = _("First admitted at lane {lane}, {at}, by {staff}").format(lane=verdict.first_lane or "?", at=when(verdict.first_at) or "?", staff=verdict.first_staff or "?")
        details = (_("Possible impersonation — call the chief proctor now"),) + _not_logged(verdict)
        return VerdictView(kind, title, first, details, flash=True)
    if kind == "unknown":
        lines = [_("The ID number's check character is wrong: one digit is mistyped")] if verdict.mistyped_id else []
        lines += [_("Near matches (check and rescan, or Ctrl+F to search):") if verdict.suggestions else _("No near match: check the ticket or press Ctrl+F to search")]
        # One short line each, the likeliest first: the ID (masked) when an ID was typed, else the ticket.
        by_id = idnumber.looks_like_id(idnumber.clean(verdict.scanned))
        lines += [f'  {s.id_masked if by_id else s.ticket}  {s.name}  ' + _('Room') + f" {s.room or '-'} " + _('Seat') + f" {s.seat or '-'}"
                  for s in verdict.suggestions[:SUGGESTIONS_SHOWN]]
        if len(verdict.suggestions) > SUGGESTIONS_SHOWN:
            lines.append("  " + _("… {count} more one slip away: check the number and rescan").format(count=len(verdict.suggestions) - SUGGESTIONS_SHOWN))
        return VerdictView(kind, title, _("Scanned: {scanned}").format(scanned=shown_scan(verdict.scanned)),
                           tuple(lines) + _not_logged(verdict))
    if kind == "wrong_session":
        return VerdictView(kind, title, _("no seat in this session"), reason + _not_logged(verdict))
    if kind == "invalid":
        scanned = (_("Scanned: {scanned}").format(scanned=shown_scan(verdict.scanned)),) if verdict.scanned else ()
        return VerdictView(kind, title, reason_words(verdict.reason, policy), scanned)
    return VerdictView("unknown", title, verdict.reason)


def _to_confirm(policy: Policy, title: str) -> VerdictView:
    """The card waits: which keys settle it (the ID-mismatch key is the site policy's)."""
    mismatch = policy.codes.get("id_mismatch")
    keys = (_("Enter admits · F{key} ID mismatch · Esc sets aside").format(key=mismatch.key) if mismatch and mismatch.key
            else _("Enter admits · Esc sets aside"))
    return VerdictView("to_confirm", title, keys, (_("Compare the face with the photo: nothing is recorded until Enter"),))


def _borrowed(verdict: Verdict, title: str, when: Callable[[str | None], str]) -> VerdictView:
    """The verdicts after admission and outside the window: the reason says what and when, or where to go."""
    reason = (_("Reason: {reason}").format(reason=verdict.reason),) if verdict.reason else ()
    if verdict.verdict in AFTER_ADMISSION:  # the service's reason is English; these say it in the catalog's words
        reason = (word(AFTER_ADMISSION, verdict.verdict).format(at=when(verdict.at) or "?"),)
    subtitle = reason[0] if verdict.verdict == "no_reentry" else ""
    if verdict.window in WINDOW and verdict.opens_at and verdict.closes_at:
        opens, closes = verdict.opens_at.split("T"), verdict.closes_at.split("T")
        subtitle = word(WINDOW, verdict.window).format(session=verdict.session or "", date=opens[0], opens=opens[1],
                                                      closes=closes[1])
        reason = ()
    elif verdict.go_room:
        subtitle = _("Go to room {room}, seat {seat}").format(room=verdict.go_room, seat=verdict.go_seat or "-")
    if verdict.verdict == "no_reentry":
        reason = ()
    return VerdictView(STYLE_OF[verdict.verdict], title, subtitle or verdict.reason, reason + _not_logged(verdict))


def _not_logged(verdict: Verdict) -> tuple[str, ...]:
    return () if verdict.recorded else (_("⚠ This scan was not logged: {reason}").format(reason=verdict.reason),)


class VerdictBanner(Static):
    """A full-width coloured block; a duplicate blinks until the card changes."""

    DEFAULT_CSS = """
    VerdictBanner { height: 5; content-align: center middle; text-align: center; text-style: bold; }
    """

    def __init__(self, view: VerdictView | None = None, **kwargs) -> None:  # noqa: ANN003
        super().__init__("", **kwargs)
        self._blink_timer: Timer | None = None
        self.view = view or VerdictView("idle", _("Ready — scan the next candidate"))

    def on_mount(self) -> None:
        self.show(self.view)

    def show(self, view: VerdictView) -> None:
        self.view = view
        for style in STYLES:
            self.set_class(style == view.style, f"-{style}")
        self.remove_class("-blink")
        text = Text(view.title, style="bold")
        if view.subtitle:
            text.append("\n" + view.subtitle, style="not bold")
        self.update(text, layout=False)
        self._set_blinking(view.flash)

    def _set_blinking(self, on: bool) -> None:
        if self._blink_timer is not None:
            self._blink_timer.stop()
            self._blink_timer = None
        if on and self.app.animation_level != "none":
            self._blink_timer = self.set_interval(0.4, lambda: self.toggle_class("-blink"))
