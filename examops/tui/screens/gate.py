"""The gate lane: one scan field that always has focus, a big verdict, the card, live figures.

Every check goes through one long-lived thread worker (`gate_lane`) that takes requests from a queue in order
and posts `ScanRecorded`/`ScanFailed`; only the handlers touch widgets, and nothing shows as
recorded before `Lane.check` has returned (it commits first). On a shared store the lane is a
`ResilientLane`: when the server stops answering it records on this laptop under a full-width
OFFLINE banner, and the same worker uploads the queue once a probe finds the server again.
The lane's own verdicts change the side figures in place; they are counted again when another lane (or the chief)
stores an event (gate_panels). Where the site has photos the
card waits for the staffer before admitting (`gate_confirm`).
"""

from __future__ import annotations

import queue
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

from examops.domain.plan import Session
from examops.domain.scan_stream import DoubleReadFilter
from examops.domain.verdict import CandidateCard, Verdict
from examops.i18n import _, word
from examops.services.lane_time import current_session, entry_window, local_time
from examops.services.site_head import SiteHead
from examops.tui.i18n import code_label, localize_bindings
from examops.tui.messages import LeaveRequest, ScanFailed, ScanRecorded, ScanRequest
from examops.tui.photo_terminal import PhotoTerminal
from examops.tui.screens.gate_alarm import AlarmGate
from examops.tui.screens.gate_candidate import CandidateKeys
from examops.tui.screens.gate_confirm import ConfirmingGate
from examops.tui.screens.gate_lane import LaneWorker
from examops.tui.screens.gate_offline import OfflineLane
from examops.tui.screens.gate_panels import SidePanels
from examops.tui.wide_glyphs import WholeGlyphs
from examops.tui.widgets.card import CandidatePanel
from examops.tui.widgets.panels import ClockPanel, CodesPanel, CountersPanel, RecentScansTable, RoomsTable
from examops.tui.widgets.plain import Label, Static
from examops.tui.widgets.scan_field import ScanField
from examops.tui.widgets.verdict import VerdictBanner, VerdictView, describe, shown_scan
from examops.tui.words import GATE_KEY

if TYPE_CHECKING:  # the store and the lane's services (SQLAlchemy) load on the lane worker, after the first frame
    from examops.services.counters import ExpectedCounts
    from examops.services.gate_view import LanePanels
    from examops.services.offline import ResilientLane
    from examops.services.site import Site

PANELS_EVERY_S = 2.0
CHECKING_AFTER_S = 0.06  # 'checking…' only for a verdict slower than this: a few frames, shorter than a glance
CLOCK_EVERY_S = 1.0
PROBE_EVERY_S = 2.0  # while offline: is the shared store back?


class GateScreen(LaneWorker, CandidateKeys, AlarmGate, ConfirmingGate, OfflineLane, SidePanels, WholeGlyphs, Screen):
    """One lane's screen: scanner first, keyboard only."""

    # 80×24 and up: narrower side panel, small room/seat, fewer panels on a short screen (gate.tcss)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    BINDINGS = [
        Binding("escape", "clear", "Clear", id="gate.clear"),
        Binding("ctrl+f,f10", "search", "Find", id="gate.search"),
        Binding("f12,ctrl+o", "codes", "Codes", id="gate.codes"),
        Binding("f11,ctrl+r", "roster", "Rooms", id="gate.roster"),
        Binding("ctrl+l", "leave", "Out", id="gate.leave"),
        Binding("ctrl+g", "leave_final", "Gone", id="gate.leave_final"),
        # the app's keys again, under the gate's shorter words, so every key fits an 80-column footer
        Binding("ctrl+t", "review", "Review", id="gate.review"),
        Binding("ctrl+b", "report", "Report", id="gate.report"),
        *(Binding(f"f{n}", f"code('{n}')", f"Code {n}", show=False, id=f"gate.code{n}") for n in range(1, 10)),
    ]

    def __init__(self, site: Site | SiteHead, lane: str, staff: str, session_id: str | None = None, *,
                 confirm: str = "photo", photo_terminal: PhotoTerminal | None = None) -> None:
        super().__init__()
        self._setup_confirm(site, confirm, photo_terminal)
        self._setup_alarm()
        codes = {f"gate.code{c.key}": code_label(c) for c in site.policy.codes.values() if c.key}
        localize_bindings(self, {**codes, **{f"gate.{key}": word(GATE_KEY, key) for key in GATE_KEY}})
        self.site = site  # a head until the lane worker opened the store (`_open_lane`)
        self.lane: ResilientLane | None = None  # the lane worker makes it, after the first frame
        self._lane_staff = (lane, staff)
        self.offline = False
        self._lane_prepared = False
        self._ready = False
        self._probing = False
        self._upload_queued = False
        self._offline_detail = ""
        self.session_id = session_id
        self.session: Session | None = current_session(site, session_id)
        self.closed: tuple[str, str, str] | None = None  # (session, by, HH:MM) once the chief closed the lane's session
        self.card: CandidateCard | None = None
        self.last_verdict: Verdict | None = None
        self.pending_scans = 0
        self.panels_refreshing = False
        self._panels_again: str | None = None  # asked for while one ran: "look" (anything not ours?) or "count"
        self._panels_timer: Timer | None = None
        self._checking_timer: Timer | None = None
        self._panels_seen: tuple[str, int | None] | None = None  # (session, store version) of the figures' last count
        self._panels: LanePanels | None = None  # the figures: the last count, and the lane's verdicts since
        self._panels_dirty = False  # folded in, not drawn yet
        self._own_writes: set[str] = set()  # the lane's events folded in since that count (their ids)
        self._folded = 0  # the lane's requests come back so far (a count asked for before one is behind it)
        self._expected: ExpectedCounts | None = None  # the recount's expected counts, counted again only after a roster import
        self._requests: queue.Queue[ScanRequest | LeaveRequest | str | None] = queue.Queue()
        self._reads = DoubleReadFilter()

    # -- layout --------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(f"{self.site.plan.exam_name} · {self.site.plan.site}", id="top-exam")
            yield Static(self._lane_line(self.session), id="top-lane")  # in the first frame, not one layout later
        yield Static("", id="offline-banner")
        yield Static(_("⚠ The scan field lost the focus — press Esc"), id="focus-warning")
        with Horizontal(id="gate-main"):
            with Vertical(id="gate-left"):
                with Horizontal(id="scan-row"):
                    yield ScanField(placeholder=_("Scan the ticket or ID, or type it, press Enter"), id="scan", select_on_focus=False)
                    yield Static("", id="scan-pending")
                yield VerdictBanner(VerdictView("pending", _("The lane is starting…"), _(
                    "Scans are kept and checked, in order, as soon as the lane is ready")), id="verdict")
                with Horizontal(id="card-row"):
                    if self.shows_photos:
                        yield self._photo_view()
                    yield CandidatePanel(id="card")
                yield Static("", id="detail")
                yield Label(_("Recent scans (this lane)"), classes="panel-title -recent")
                yield RecentScansTable(id="recent")
            with Vertical(id="gate-right"):
                yield ClockPanel(id="clock")
                yield Label(_("Session figures"), classes="panel-title")
                yield CountersPanel(id="counters")
                yield Label(_("Rooms admitted/expected"), classes="panel-title")
                yield RoomsTable(id="rooms")
                yield Label(_("Exception codes (F-key, or digit+Enter)"), classes="panel-title", id="codes-title")
                yield CodesPanel(id="codes")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        scan = self.scan_input
        scan.cursor_blink = self.app.animation_level != "none"
        scan.focus()
        self.set_class(self.shows_photos, "-photos")
        self._say_photos_error()
        self.query_one(CodesPanel).show(self.site.policy)
        self._tick()
        self.set_interval(CLOCK_EVERY_S, self._tick)
        self.set_interval(PANELS_EVERY_S, lambda: self.request_panels(if_changed=True))
        self.set_interval(PROBE_EVERY_S, self._probe_if_offline)
        self.watch(self.app, "app_focus", lambda _: self._update_focus_warning(), init=False)
        # The store opens on the lane worker after the first frame (SQLAlchemy is a third of a lane's start-up);
        # scans typed meanwhile wait in its queue, and the figures come once it is ready (`on_lane_ready`).
        self.call_after_refresh(self._check_lane)

    def on_unmount(self) -> None:
        self._requests.put(None)
        self.workers.cancel_group(self, "live")

    @property
    def scan_input(self) -> ScanField:
        return self.query_one("#scan", ScanField)

    @property
    def idle(self) -> bool:
        """The lane ready, no scan waiting for its verdict and no panel refresh running (tests wait on this)."""
        return (self.lane is not None and self.pending_scans == 0 and not self.panels_refreshing
                and self._panels_timer is None)

    @property
    def lane_ready(self) -> bool:
        """The store is open and the lane made (`on_lane_ready`): what needs the store (Ctrl+F, F11, review, report)
        opens only then."""
        return self._ready

    def starting(self) -> bool:
        """True, and a word, while the lane is not ready: a key that needs the store says so, never nothing."""
        if not self.lane_ready:
            self._hint(_("The lane is still starting: wait a moment, then press the key again"))
        return not self.lane_ready

    def action_review(self) -> None:
        if not self.starting():
            self.app.action_review()

    def action_report(self) -> None:
        if not self.starting():
            self.app.action_report()

    def submit(self, request: ScanRequest, *, settled: bool = False) -> None:
        """Queue a check; until its verdict returns the banner says only 'checking' (a confirming lane may hold it)."""
        self._scan_past_alarm(request)
        if not settled and self._holds(request):
            return
        self.queue_request(request)

    def queue_request(self, request: ScanRequest | LeaveRequest) -> None:
        """Queue a check or an exit for the lane worker; until it returns the banner says only 'checking'.

        The card is forgotten at once (no key acts on it any more), but the 'checking' state is drawn only if the
        verdict has not come within `CHECKING_AFTER_S`: most come sooner, and drawing the empty card and then the
        new one costs the scan a second frame, with a layout pass each.
        """
        self.pending_scans += 1
        self._requests.put(request)
        self.card = None
        self.last_verdict = None
        self.picked_state = None
        if self._checking_timer is None and self.pending_scans == 1:
            self._checking_timer = self.set_timer(CHECKING_AFTER_S, self._show_checking)
        elif self._checking_timer is None:  # 'checking' is on screen already: its queue depth follows each scan
            self._show_pending()

    def _show_checking(self) -> None:
        self._checking_timer = None
        if not self.pending_scans or self.holding_alarm:  # an alarm stays until seen (gate_alarm)
            return
        self.query_one(VerdictBanner).show(VerdictView("pending", _("Checking…")))
        if self.shows_photos:
            self._show_card(None)
        else:
            self.query_one(CandidatePanel).blank()  # no size changes: this frame and the card's are repaints
        self._set_detail(())
        self._show_pending()

    def on_scan_recorded(self, message: ScanRecorded) -> None:
        self.pending_scans -= len(message.requests)
        for verdict in message.verdicts:
            self._lane_wrote(verdict)
        if message.verdict.verdict == "not_recorded":
            self._reads.forget()
        self._ring_for_alarm(message)
        if self._waits_behind_alarm(message):
            return
        view = self._show_verdict(message)
        self._after_scan()
        self._alarm_shown(message, view.details)
        self._card_shown(message.request, message.verdict)

    def _show_verdict(self, message: ScanRecorded) -> VerdictView:
        verdict = message.verdict
        view = describe(verdict, self.site.policy, lambda at: local_time(self.site, at))
        card = verdict.card if not message.also else None  # several scans not recorded: no one candidate's card
        if verdict.verdict == "not_recorded":
            view = replace(view, details=(*_scan_again(message.requests, message.verdicts), *view.details))
        self.last_verdict = verdict
        self.card = card
        self.picked_state = None
        self.query_one(VerdictBanner).show(view)
        go = (verdict.go_room, verdict.go_seat) if verdict.go_room else None
        self._show_card(card, self._session_label(verdict.session), go)
        self._set_detail(view.details, suggesting=bool(verdict.suggestions))
        if verdict.verdict == "session_closed" and verdict.session:
            self._show_closed(verdict.session, verdict.closed_by or "?", verdict.closed_at or "?")
        return view

    def on_scan_failed(self, message: ScanFailed) -> None:
        self.pending_scans -= len(message.requests)
        self._ring_for_alarm(message)
        if self._waits_behind_alarm(message):
            return
        lines = self._show_failure(message.error, message.requests)
        self._after_scan()
        self._alarm_shown(message, lines)
        self._release_held()

    def _show_failure(self, error: str, requests: tuple[ScanRequest, ...] = ()) -> tuple[str, ...]:
        """NOT RECORDED: the codes to scan again, as scanned (a failed burst's commit: all of them), then why."""
        self._reads.forget()
        self.card = None
        self.last_verdict = None
        self.picked_state = None
        self.query_one(VerdictBanner).show(VerdictView("not_recorded", _("NOT RECORDED — rescan")))
        self._show_card(None)
        lines = (*_scan_again(requests), _("The scan failed: {error}").format(error=error))
        self._set_detail(lines)
        return lines

    def _after_scan(self) -> None:
        """After a verdict (or an exit's answer) is drawn: the next queued request gets its own 'checking' delay."""
        if self._checking_timer is not None:
            self._checking_timer.stop()
            self._checking_timer = None
        if self.pending_scans:
            self._checking_timer = self.set_timer(CHECKING_AFTER_S, self._show_checking)
        self._show_pending()
        self._panels_soon()

    def _show_pending(self) -> None:
        count = self.pending_scans
        checking = _("checking… ({count})").format(count=count) if count else ""
        note = " ".join(filter(None, (checking, self._waiting_note())))
        # Below 120 columns: on the field's lower border, which takes no width from its hint (a box beside the field
        # cut it); wider, in the fixed box beside the field. Either is a repaint, never a layout pass.
        narrow = not self.has_class("-wide")
        self.scan_input.border_subtitle = note if narrow else ""
        self.query_one("#scan-pending", Static).change("" if narrow else note, layout=False)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_pending)  # the note follows the width class Textual sets on resize

    def _set_detail(self, lines: tuple[str, ...] | list[str], style: str = "", *, suggesting: bool = False) -> None:
        self.set_class(suggesting, "-suggesting").query_one("#detail", Static).update(Text("\n".join(lines), style=style), layout=False)

    # -- the scan field ------------------------------------------------
    @on(ScanField.Scanned, "#scan")
    def _scanned(self, event: ScanField.Scanned) -> None:
        """One Enter-terminated code, in the order scanned; a scanner's double read counts once."""
        event.stop()
        code = event.code
        if code.strip() and not self._reads.is_scan(code, event.at):
            return
        if not code.strip():
            if not self._acknowledge_alarm(event.at):
                self.admit_card(event.at)
        elif len(code.strip()) == 1 and self.site.policy.by_key(code.strip()):
            self.action_code(code.strip())
        else:
            self.take_scan(code, event.at)

    def scanned_elsewhere(self, code: str, at: float) -> None:
        """A scanner's code that landed in Ctrl+F's or F11's search field (`WedgeField`): a scan like any other."""
        if self._reads.is_scan(code, at):
            self.take_scan(code, at)

    def take_scan(self, code: str, at: float) -> None:
        """A scanned code: checked in the order read, judged as of now however long it waits."""
        read_at = self.lane.site.clock.now() if self.lane is not None else None
        self.submit(ScanRequest(code, at=at, read_at=read_at))

    def _hint(self, text: str) -> None:
        self.app.bell()
        self.notify(text, severity="warning", timeout=3)

    # -- focus ----------------------------------------------------------
    def watch_focused(self) -> None:
        self._update_focus_warning()

    def _update_focus_warning(self) -> None:
        if not self.is_mounted:
            return
        lost = self.focused is not self.scan_input or not self.app.app_focus
        self.set_class(lost, "-focus-lost")

    def on_key(self, event: Key) -> None:
        """Any printable key while the field has lost focus goes back into the field."""
        if self.focused is self.scan_input or not event.is_printable or not event.character:
            return
        event.stop()
        event.prevent_default()
        self.scan_input.focus()
        self.scan_input.insert_text_at_cursor(event.character)

    # -- actions -------------------------------------------------------
    def action_clear(self) -> None:
        """Esc: bring focus back if it was lost, otherwise clear the field and the card."""
        if self.focused is not self.scan_input:
            self.scan_input.focus()
            return
        self.scan_input.clear()
        if self._acknowledge_alarm():
            return
        if self.pending_scans:
            return
        if self.waiting_card:
            return self._set_aside()
        self.card = None
        self.last_verdict = None
        self.picked_state = None
        self.query_one(VerdictBanner).show(VerdictView("idle", _("Ready — scan the next candidate")))
        self._show_card(None)
        self._set_detail(())

    def action_roster(self) -> None:
        if self.starting():
            return
        from examops.tui.screens.roster import RosterScreen  # not needed for the lane's first frame
        self.app.push_screen(RosterScreen(self.site, can_return=True, scanned=self.scanned_elsewhere))

    # -- clock and panels ----------------------------------------------
    def _tick(self) -> None:
        now = self.site.clock.local()
        window = entry_window(self.site, self.session_id)
        session = window.session if window else None
        changed = session != self.session
        self.session = session
        closed = self.closed[1:] if self.closed and session and self.closed[0] == session.id else None
        self.query_one(ClockPanel).show(now, window, closed)
        self.query_one("#top-lane", Static).change(self._lane_line(session))  # every second: unchanged, so no layout pass
        if changed:
            self.request_panels()

    def _lane_line(self, session: Session | None) -> str:
        name, staff = self._lane_staff
        lane = _('Lane {lane}').format(lane=name) + ' · ' + _('Staff {staff}').format(staff=staff) + ' · '
        return lane + (_("Session {session} {name}").format(session=session.id, name=session.name) if session else _("no session"))

    def _show_closed(self, session: str, by: str, at: str) -> None:
        if self.closed != (session, by, at):
            self.closed = (session, by, at)
            self._tick()

    def _session_label(self, session_id: str | None) -> str:
        try:
            session = self.site.plan.session(session_id) if session_id else None
        except KeyError:
            return session_id or ""
        return f"{session.id} {session.name}" if session else ""


def _scan_again(requests: tuple[ScanRequest, ...], verdicts: tuple[Verdict, ...] = ()) -> tuple[str, ...]:
    """The line that says whom to scan again: each one's ticket where the lane found the candidate, else the code
    as scanned (an ID number masked)."""
    if not requests:
        return ()
    cards = [verdict.card for verdict in verdicts] or [None] * len(requests)
    codes = [card.ticket if card is not None else shown_scan(request.code.strip()) for request, card in zip(requests, cards)]
    return (_("Not recorded, scan again: {codes}").format(codes="  ".join(codes)),)
