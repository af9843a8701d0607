"""The bureau report view: a session's live figures, arrivals, attendance per room, the zero-incident verdict, and
"build report" with its progress and the signed report's QR code.

The figures are `services.figures.session_figures`, recomputed by a timer-driven thread worker; the workbook is
`services.report.build_report`, run in another thread worker that posts its phases. Only the handlers touch widgets.
"""

from __future__ import annotations

import threading
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, ProgressBar, Sparkline
from textual.worker import Worker, WorkerState

from examops import locations
from examops.domain.figures import ARRIVAL_BUCKET_MINUTES, SessionFigures
from examops.domain.plan import Session
from examops.domain.qr_style import QR_BORDER, QR_ERROR_LEVEL
from examops.domain.said import os_reason
from examops.i18n import _, language, pgettext, spoken, word
from examops.i18n.report_words import incident_label, reason_text
from examops.services import gate_view
from examops.services.figures import session_figures
from examops.services.site import Site
from examops.tui.i18n import code_label, failure_words, localize_bindings
from examops.tui.messages import (
    FiguresComputed,
    FiguresFailed,
    ReportBuildFailed,
    ReportBuildProgressed,
    ReportBuilt,
)
from examops.tui.wide_glyphs import WholeGlyphs
from examops.tui.widgets.chief_lock import ChiefLock
from examops.tui.widgets.pin_modal import PinModal
from examops.tui.widgets.plain import DataTable, Label, Static
from examops.tui.widgets.review_forms import FieldsForm, FormField
from examops.tui.words import REPORT_BUILD_PHASE, REPORT_FIG, REPORT_ROOM_COLUMNS

REFRESH_EVERY_S = 3.0
# Every row adds up twice, as the room record does: 应到 = 原编排 − 调出 + 调入 = 实到 + 缺考 + 未到.
ROOM_COLUMNS = ("rostered", "moved_out", "moved_in", "expected", "present", "absent", "not_arrived")
QR_INFO_COLUMNS = 48  # #built-info's 44 columns, the frame's border and padding (report.tcss)
QR_GLYPHS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


class BuildCancelled(Exception):
    """Staff cancelled the build before the workbook was saved."""


def arrival_series(arrivals: dict[str, int]) -> list[tuple[str, int]]:
    """Every 5-minute slot from the first arrival to the last, the empty ones as 0, for an even time axis."""
    if not arrivals:
        return []
    minutes = [int(slot[:2]) * 60 + int(slot[3:]) for slot in arrivals]
    slots = (f"{m // 60:02d}:{m % 60:02d}" for m in range(min(minutes), max(minutes) + 1, ARRIVAL_BUCKET_MINUTES))
    return [(slot, arrivals.get(slot, 0)) for slot in slots]


def qr_blocks(payload: str) -> str:
    """The payload as the workbook's QR code (same error correction), two modules a character, quiet zone included."""
    import qrcode

    code = qrcode.QRCode(error_correction=getattr(qrcode.constants, f"ERROR_CORRECT_{QR_ERROR_LEVEL}"), border=QR_BORDER)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    return "\n".join("".join(QR_GLYPHS[pair] for pair in zip(top, bottom)) for top, bottom in zip(matrix[::2], matrix[1::2]))


class ReportQRCode(WholeGlyphs, ModalScreen[None]):
    """The built report: its file, fingerprint and digest, and its QR code, dark on light."""

    CSS_PATH = "../report.tcss"  # its rules are the report's: loaded with whichever of the two opens first

    BINDINGS = [Binding("escape,enter", "close", "Close", id="built.close")]

    def __init__(self, built: ReportBuilt) -> None:
        super().__init__()
        localize_bindings(self)
        self.built = built

    def compose(self) -> ComposeResult:
        built = self.built
        with Horizontal(id="built-box"):
            yield Static(Text(built.qr_blocks, style="#000000 on #ffffff", no_wrap=True), id="built-qr")
            with Vertical(id="built-info"):
                yield Label(Text(_("Bureau report written (signed)"), style="bold"), id="built-title")
                width, height = self._qr_size()
                yield Static(_("The QR code needs a terminal of {width}×{height} or larger; it is printed on the report's signature sheet")
                             .format(width=width, height=height), id="built-qr-note", classes="built-line")
                yield Static(_('File') + f'\n{built.out}', classes="built-line")
                yield Static(_('Key fingerprint') + f'\n{built.fingerprint}', classes="built-line")
                yield Static(_('Figures digest') + f'\n{built.figures_sha256}', classes="built-line")
                yield Static(_("Check it: examops report verify FILE.xlsx"), classes="built-line")
                yield Static(_("The QR code is the one on the report's signature sheet"), id="built-qr-same", classes="built-line")
                yield Label(_("Enter / Esc close"), classes="modal-hint")

    def _qr_size(self) -> tuple[int, int]:
        """The terminal size the code and the words beside it need: the code's cells, the words' column, the frame."""
        lines = self.built.qr_blocks.splitlines() or [""]
        return max(len(line) for line in lines) + QR_INFO_COLUMNS, len(lines) + 2

    def on_resize(self, event: events.Resize) -> None:
        """A code cut at the terminal's edge does not scan: on a small terminal the words say where to find it."""
        width, height = self._qr_size()
        self.set_class(event.size.width < width or event.size.height < height, "-no-qr")

    def action_close(self) -> None:
        self.dismiss(None)


class ReportScreen(WholeGlyphs, ChiefLock, Screen):
    """Figures, arrivals, rooms and the verdict, refreshed every few seconds; B builds the signed workbook."""

    CSS_PATH = "../report.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # 80 columns: figures two abreast, the verdict wider

    BINDINGS = [
        Binding("b", "build", "Build report", id="report.build"),
        Binding("x", "cancel_build", "Cancel build", id="report.cancel_build"),
        Binding("s", "next_session", "Session", id="report.session"),
        Binding("f5", "refresh", "Refresh", id="report.refresh"),
        Binding("escape", "back", "Back", id="report.back"),
    ]

    def __init__(self, site: Site, staff: str, session_id: str | None = None, *, from_lane: str | None = None,
                 can_return: bool = True, locked: bool | None = None) -> None:
        super().__init__()
        localize_bindings(self)
        self.site = site
        self.staff = staff
        self.session = gate_view.current_session(site, session_id)
        self.from_lane = from_lane
        self.locked = from_lane is not None if locked is None else locked
        self.can_return = can_return
        self.figures: SessionFigures | None = None
        # Not `loading`: that is Textual's Widget.loading, which covers the screen with a loading indicator,
        # blanking the view and taking the focus on each refresh.
        self.fetching = False
        self._load_again = False
        self.building = False
        self.cancel_requested = threading.Event()
        self.last_built: ReportBuilt | None = None
        self.updated_at = ""

    @property
    def session_id(self) -> str | None:
        return self.session.id if self.session else None

    @property
    def idle(self) -> bool:
        """Figures shown for the session, nothing computing or building (tests wait on this)."""
        return self.figures is not None and not self.fetching and not self._load_again and not self.building

    # -- layout --------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(_('Bureau report') + f' · {self.site.plan.exam_name} · {self.site.plan.site}', id="top-exam")
            yield Static(self._session_header(), id="top-lane")
        yield Static(_("Computing the figures…"), id="report-status")
        with Horizontal(id="report-top"):
            yield Static("", id="report-figures")
            with Vertical(id="report-verdict-box"):
                yield Static("", id="report-verdict")
                yield Static("", id="report-reasons")
        yield Label(_("Arrivals per {minutes} minutes").format(minutes=ARRIVAL_BUCKET_MINUTES), id="report-arrivals-title",
                    classes="panel-title")
        yield Sparkline([], id="report-arrivals")
        yield Label(_("Attendance per room ({rooms} rooms)").format(rooms=0), id="report-rooms-title", classes="panel-title")
        yield DataTable(id="report-rooms", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="report-build"):
            yield Static("", id="report-build-phase")
            yield ProgressBar(total=4, show_eta=False, id="report-progress")
        yield Footer()

    def _session_header(self) -> str:
        if self.session is None:
            return _("no session")
        return _("Session {session} {name}").format(session=self.session.id, name=self.session.name)

    def on_mount(self) -> None:
        table = self.query_one("#report-rooms", DataTable)
        table.add_column(_("Room"), key="room")
        for key in ROOM_COLUMNS:
            table.add_column(word(REPORT_ROOM_COLUMNS, key), key=key)
        table.focus()
        if self.locked:
            self._unlock()
        else:
            self._start()

    def _start(self) -> None:
        self.set_interval(REFRESH_EVERY_S, self.request_refresh)
        self.request_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.locked:
            return False
        if action == "cancel_build":
            return self.building
        if action == "back":
            return self.can_return and not self.building
        if action == "next_session":
            return len(self.site.plan.sessions) > 1 and not self.building
        return True

    def action_back(self) -> None:
        if self.can_return and not self.building:
            self.dismiss()

    # -- unlocking -------------------------------------------------------
    def lock_purpose(self) -> tuple[str, str]:
        if self.from_lane is None:
            return _("open the bureau report"), "open the report view"
        return _("open the bureau report (lane {lane})").format(lane=self.from_lane), f"open the bureau report from lane {self.from_lane}"

    def lock_who(self) -> str:
        return self.staff

    # -- the figures ---------------------------------------------------
    def request_refresh(self) -> None:
        """Recompute the figures; one computation runs at a time, a request meanwhile runs once after it."""
        if self.session is None:
            self.query_one("#report-status", Static).update(_("No session in the plan"))
            return
        if self.fetching:
            self._load_again = True
            return
        self.fetching = True
        self._load_again = False
        self._compute(self.session.id)

    def action_refresh(self) -> None:
        self.request_refresh()

    @work(thread=True, group="report-figures", exit_on_error=False)
    def _compute(self, session_id: str) -> None:
        try:
            figures = session_figures(self.site, session_id)
            at = self.site.clock.local().strftime("%H:%M:%S")
        except Exception as exc:  # noqa: BLE001 - shown on screen
            self.post_message(FiguresFailed(session_id, failure_words(exc)))
            return
        self.post_message(FiguresComputed(session_id, figures, at))

    def on_figures_computed(self, message: FiguresComputed) -> None:
        self.fetching = False
        if message.session_id == self.session_id:
            self.figures, self.updated_at = message.figures, message.at
            self._show(message.figures)
        else:
            self._load_again = True
        if self._load_again:
            self.request_refresh()

    def on_figures_failed(self, message: FiguresFailed) -> None:
        self.fetching = False
        self.query_one("#report-status", Static).update(Text(pgettext("report.failed", "Figures unavailable: {error}").format(error=message.error), style="bold red"))
        if self._load_again:
            self.request_refresh()

    def _show(self, figures: SessionFigures) -> None:
        self._show_status()
        self.query_one("#report-figures", Static).update(self._figures_table(figures))
        self._show_verdict(figures)
        self._show_arrivals(figures.arrivals)
        self._show_rooms(figures)

    def on_resize(self) -> None:
        if self.figures is not None:  # two or three figures abreast follows the width class Textual sets on resize
            self.call_after_refresh(lambda: self.query_one("#report-figures", Static).update(self._figures_table(self.figures)))

    def _show_status(self) -> None:
        parts = [_("Figures as of {at} · refreshed every {every} s").format(at=self.updated_at, every=int(REFRESH_EVERY_S))] if self.updated_at else []
        if self.last_built:
            parts.append(_("Last built: {out}").format(out=self.last_built.out))
        self.query_one("#report-status", Static).update("\n".join(parts))

    def _figures_table(self, figures: SessionFigures) -> Table:
        grid = Table.grid(padding=(0, 1))
        abreast = 2 if self.has_class("-narrow") else 3
        for _column in range(abreast):
            grid.add_column(style="dim")
            grid.add_column(justify="right", style="bold", min_width=4)
        keys = ("expected", "present", "absent", "not_arrived", "admitted_late", "exceptions", "approvals", "reallocated", "denied",
                "incidents", "duplicates", "voided", "conflicts")
        cells = [(word(REPORT_FIG, key), str(getattr(figures, key))) for key in keys]
        for row in range(0, len(cells), abreast):
            grid.add_row(*(part for cell in cells[row:row + abreast] for part in cell))
        policy_codes = self.site.policy.codes
        by_code = [f"{code_label(policy_codes[code]) if code in policy_codes else code} {n}"
                   for code, n in sorted(figures.exceptions_by_code.items())]
        by_kind = [f"{incident_label(kind, language())} {n}"
                   for kind, n in sorted(figures.incidents_by_kind.items())]
        table = Table.grid()
        table.add_column(overflow="fold")  # a long Chinese code label wraps whole, never cut with "…"
        table.add_row(grid)
        table.add_row("")
        table.add_row(Text.assemble((_("Exceptions by code: "), "dim"), " · ".join(by_code) or _("none")))
        table.add_row(Text.assemble((_("Incidents by kind: "), "dim"), " · ".join(by_kind) or _("none")))
        return table

    def _show_verdict(self, figures: SessionFigures) -> None:
        verdict = self.query_one("#report-verdict", Static)
        zero = figures.zero_incident
        verdict.update(_("✔  ZERO INCIDENTS · ZERO MISTAKES · ZERO ERRORS\n零事故、零失误、零差错") if zero
                      else _("✘  NOT ZERO-INCIDENT\n未达“零事故、零失误、零差错”"))
        verdict.set_class(zero, "-zero")
        verdict.set_class(not zero, "-not-zero")
        reasons = Text()
        if not zero:
            reasons.append(_("What stands in the way:") + "\n", style="bold")
            reasons.append("\n".join(f"▲ {reason_text(reason, language())}" for reason in figures.reasons))
        self.query_one("#report-reasons", Static).update(reasons)

    def _show_arrivals(self, arrivals: dict[str, int]) -> None:
        series = arrival_series(arrivals)
        sparkline = self.query_one("#report-arrivals", Sparkline)
        sparkline.data = [n for _slot, n in series]
        sparkline.styles.width = max(len(series) * 3, 3)
        title = _("Arrivals per {minutes} minutes").format(minutes=ARRIVAL_BUCKET_MINUTES)
        if series:
            peak_slot, peak = max(series, key=lambda slot: slot[1])
            span = _("{first}–{last} · peak {peak} at {at}").format(first=series[0][0], last=series[-1][0], peak=peak, at=peak_slot)
        else:
            span = _("no arrivals yet")
        self.query_one("#report-arrivals-title", Label).update(f"{title} · {span}")

    def _show_rooms(self, figures: SessionFigures) -> None:
        """One row a room (never the roster); cells are updated in place so the cursor stays put."""
        rows = {room: (f.rostered, len(f.moved_out), len(f.moved_in), f.expected, f.present, len(f.absent), len(f.not_arrived))
                for room, f in sorted(figures.rooms.items())}
        table = self.query_one("#report-rooms", DataTable)
        if [key.value for key in table.rows] == list(rows):
            for room, values in rows.items():
                for key, value in zip(ROOM_COLUMNS, values):
                    table.update_cell(room, key, Text(str(value), justify="right"))
        else:
            table.clear()
            for room, values in rows.items():
                table.add_row(room, *(Text(str(v), justify="right") for v in values), key=room)
        self.query_one("#report-rooms-title", Label).update(_("Attendance per room ({rooms} rooms)").format(rooms=len(rows)))

    # -- another session -------------------------------------------------
    def action_next_session(self) -> None:
        sessions = self.site.plan.sessions
        index = next((i for i, s in enumerate(sessions) if s.id == self.session_id), -1)
        self.session = sessions[(index + 1) % len(sessions)]
        self.figures = None
        self.query_one("#top-lane", Static).update(self._session_header())
        self.query_one("#report-status", Static).update(_("Computing the figures…"))
        self.request_refresh()

    # -- building the report -------------------------------------------
    def action_build(self) -> None:
        if self.building:
            self.notify(_("A report is being built, wait a moment"), severity="warning")
            return
        if self.session is None:
            self.notify(_("No session in the plan"), severity="warning")
            return
        self._ask_path(self.session)

    @work(group="report-dialog", exit_on_error=False)
    async def _ask_path(self, session: Session) -> None:
        offered = locations.default_report_path(session.id, session.date)
        field = FormField("out", _("Save to (.xlsx)"), str(offered), required=True,
                          check=lambda value: None if value.lower().endswith(".xlsx") else _("the file name must end in .xlsx"))
        values = await self.app.push_screen_wait(
            FieldsForm(_("Build the bureau report — session {session}").format(session=session.id), [field], _("Signed with this site's key; check it with examops report verify")))
        pin = values and await self.app.push_screen_wait(PinModal(_("sign the report of session {session}").format(session=session.id)))
        if not values or not pin or self.building:
            return
        self.building = True
        self.cancel_requested = threading.Event()
        self.query_one("#report-progress", ProgressBar).update(total=4, progress=0)
        self.query_one("#report-build-phase", Static).update("")
        self.query_one("#report-build").display = True
        self.refresh_bindings()
        lang = "zh" if language().startswith("zh") else "en"
        self._build(session.id, str(Path(values["out"]).expanduser()), lang, self.cancel_requested, pin)

    @work(thread=True, group="report-build", exit_on_error=False)
    def _build(self, session_id: str, out: str, lang: str, cancel: threading.Event, pin: str) -> None:
        from examops.services.report import ReportRefused, build_report

        def progress(phase: str, done: int, total: int) -> None:
            if cancel.is_set():
                raise BuildCancelled
            self.post_message(ReportBuildProgressed(phase, done, total))

        try:
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            result = build_report(self.site, session_ids=[session_id], out=out, lang=lang, progress=progress, pin=pin,
                                  by=self.staff or "")
            blocks = qr_blocks(result["qr_payload"])
        except BuildCancelled:
            self.post_message(ReportBuildFailed(_("Cancelled: no report written"), cancelled=True))
            return
        except ReportRefused as exc:
            self.post_message(ReportBuildFailed(spoken(exc)))
            return
        except OSError as exc:
            self.post_message(ReportBuildFailed(_("cannot write {path}: {error}").format(path=out, error=spoken(os_reason(exc)))))
            return
        except Exception as exc:  # noqa: BLE001 - shown on screen, never a crash
            self.post_message(ReportBuildFailed(failure_words(exc)))
            return
        self.post_message(ReportBuilt(result["out"], result["fingerprint"], result["figures_sha256"],
                                      result["qr_payload"], blocks))

    def action_cancel_build(self) -> None:
        if self.building:
            self.cancel_requested.set()
            self.query_one("#report-build-phase", Static).update(_("Cancelling… (not possible once saving started)"))

    def on_report_build_progressed(self, message: ReportBuildProgressed) -> None:
        if not self.building:
            return
        self.query_one("#report-progress", ProgressBar).update(total=message.total, progress=message.done)
        if not self.cancel_requested.is_set():
            self.query_one("#report-build-phase", Static).update(word(REPORT_BUILD_PHASE, message.phase))

    def _build_ended(self) -> None:
        self.building = False
        self.query_one("#report-build").display = False
        self.refresh_bindings()

    def on_report_built(self, message: ReportBuilt) -> None:
        self._build_ended()
        self.last_built = message
        self._show_status()
        self.notify(_("Report written: {out}").format(out=message.out))
        self.app.push_screen(ReportQRCode(message))

    def on_report_build_failed(self, message: ReportBuildFailed) -> None:
        self._build_ended()
        if message.cancelled:
            self.notify(message.error, severity="warning")
        else:
            self.notify(_("The report was not built: {error}").format(error=message.error), severity="error", timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and (event.worker.group or "").startswith("report-"):
            self.fetching = False
            if self.building:
                self._build_ended()
            self.notify(pgettext("report.failed", "Figures unavailable: {error}").format(error=str(event.worker.error)), severity="error", timeout=10)
