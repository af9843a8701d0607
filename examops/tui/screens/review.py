"""The chief proctor's review: every exception of the session, its approval chain, decisions and reallocation.

Reads and decisions run in thread workers over `services.review` and
`services.seating` and post messages; dialogs (a form, then the PIN) run in
async workers; only the handlers touch widgets and the screen's state.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from examops.i18n import _, spoken, word
from examops.services import gate_view, photos, review, seating
from examops.services.chief_record import chief_record
from examops.services.site import Site
from examops.tui.i18n import code_label, failure_words, localize_bindings
from examops.tui.messages import CasesFailed, CasesLoaded, DecisionRecorded, DecisionRefused, FiltersChanged
from examops.tui.photo_terminal import PhotoTerminal
from examops.tui.wide_glyphs import WholeGlyphs
from examops.tui.widgets.chief_lock import ChiefLock
from examops.tui.widgets.photo import PhotoView
from examops.tui.widgets.pin_modal import PinModal
from examops.tui.widgets.plain import DataTable, Label, Static
from examops.tui.widgets.review_filters import FilterBar
from examops.tui.widgets.review_forms import approve_form, decision_form
from examops.tui.widgets.review_panes import AlarmsTable, CaseDetail, CasesTable, level_label
from examops.tui.widgets.review_seating import SeatingActions
from examops.tui.widgets.tamper_warning import TamperWarning
from examops.tui.words import BINDING, REVIEW_DONE, REVIEW_PURPOSE

REFRESH_EVERY_S = 3.0


class ReviewScreen(WholeGlyphs, ChiefLock, SeatingActions, Screen):
    """Cases, filters, detail and alarms; every decision asks for the chief proctor's PIN."""

    CSS_PATH = "../review.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # 24 rows: a shorter detail, the alarms stay on screen

    BINDINGS = [
        # The footer holds the decisions and the way back (80 columns); the rest are in Ctrl+P's list with their keys.
        Binding("space", "mark", "Mark", id="review.mark"),
        Binding("m", "mark_code", "Mark code", id="review.mark_code", show=False),
        Binding("u", "unmark", "Unmark all", id="review.unmark", show=False),
        Binding("a", "approve", "Approve", id="review.approve"),
        Binding("r", "reject", "Reject", id="review.reject"),
        Binding("s", "resolve", "Resolve", id="review.resolve"),
        Binding("p", "reallocate", "Seat", id="review.reallocate"),
        Binding("n", "add_room", "Open room", id="review.add_room", show=False),
        Binding("d", "documents", "Documents", id="review.documents", show=False),
        Binding("f", "filters", "Filter", id="review.filters"),
        Binding("ctrl+b", "app.report", "Report", id="review.report", show=False),
        Binding("c", "clear_filters", "Clear filters", id="review.clear_filters", show=False),
        Binding("f5", "refresh", "Refresh", id="review.refresh", show=False),
        Binding("escape", "back", "Back to lane", id="review.gate"),
    ]

    def __init__(self, site: Site, staff: str, session_id: str | None = None, *, from_lane: str | None = None,
                 locked: bool | None = None, photo_terminal: PhotoTerminal | None = None) -> None:
        super().__init__()
        self.photo_terminal = photo_terminal if _has_photos(site) else None
        localize_bindings(self, {"review.gate": word(BINDING, "back")})  # "Back": the footer's 80 columns are tight
        self.site = site
        self.chief_name = staff
        self.session = gate_view.current_session(site, session_id)
        self.session_id = self.session.id if self.session else None
        self.from_lane = from_lane
        self.locked = from_lane is not None if locked is None else locked
        self.filters: dict[str, str] = {}
        self.all_cases: list[review.CaseView] = []
        self.cases: list[review.CaseView] = []
        self.alarms: list[dict] = []
        self.marked: set[str] = set()
        self.approvers: dict[str, str] = {}
        # Not `loading`: that is Textual's Widget.loading, which covers the screen with a loading indicator,
        # hiding every widget on each refresh (an open filter list closes, focus moves).
        self.fetching = False
        self.loaded = False
        self.busy: str | None = None
        self._load_again = False

    # -- layout --------------------------------------------------------
    def compose(self) -> ComposeResult:
        session = _("Session {session} {name}").format(session=self.session.id, name=self.session.name) if self.session else ""
        with Horizontal(id="topbar"):
            yield Static(_('Exception review') + f' · {self.site.plan.exam_name} · {self.site.plan.site}', id="top-exam")
            yield Static(session, id="top-lane")
        yield TamperWarning(self.site, id="review-tamper")
        yield FilterBar(self.site.policy, id="review-filters")
        yield Static(_("Loading…"), id="review-summary")
        yield CasesTable(id="review-cases")
        photo = None if self.photo_terminal is None else PhotoView(
            self.photo_terminal, lambda ticket: photos.photo_for(self.site, ticket), id="review-photo")
        yield CaseDetail(photo, id="review-detail")
        yield Label(_("Duplicate-scan alarms (possible impersonation): {count}").format(count=0), id="review-alarms-title", classes="panel-title")
        yield AlarmsTable(id="review-alarms")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(CasesTable).focus()
        if self.locked:
            self._unlock()
        else:
            self._start()

    def _start(self) -> None:
        self.set_interval(REFRESH_EVERY_S, self.request_refresh)
        self.request_refresh()
        self.query_one(TamperWarning).start()

    @property
    def idle(self) -> bool:
        """Loaded, nothing loading and no decision running (tests wait on this)."""
        return self.loaded and not self.fetching and not self._load_again and self.busy is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.from_lane is not None or not isinstance(self.focused, CasesTable)
        return not self.locked

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()
        if self.loaded:  # the detail follows the table in focus: a case, or a duplicate alarm
            self._show_detail(self.query_one(CasesTable).highlighted_id)

    # -- unlocking -------------------------------------------------------
    def lock_purpose(self) -> tuple[str, str]:
        if self.from_lane is None:
            return _("open the exception review"), "open the review screen"
        return _("open the exception review (lane {lane})").format(lane=self.from_lane), f"open the review from lane {self.from_lane}"

    def lock_who(self) -> str:
        return self.chief_name

    # -- loading -------------------------------------------------------
    def request_refresh(self) -> None:
        """Reload the cases and alarms; one load runs at a time, the last request wins."""
        if self.fetching:
            self._load_again = True
            return
        self.fetching = True
        self._load_again = False
        self._load(self.session_id, dict(self.filters))

    @work(thread=True, group="review-load", exit_on_error=False)
    def _load(self, session_id: str | None, filters: dict[str, str]) -> None:
        try:
            all_cases = review.list_cases(self.site, session=session_id)
            cases = review.list_cases(self.site, session=session_id, **filters) if filters else all_cases
            alarms = review.duplicate_alarms(self.site, session_id) + [
                _conflict_alarm(flag) for flag in review.conflicts(self.site, session_id)]
            record = chief_record(self.site)
        except Exception as exc:  # noqa: BLE001 - shown on screen
            self.post_message(CasesFailed(failure_words(exc)))
            return
        self.post_message(CasesLoaded(filters, all_cases, cases, alarms, record))

    def on_cases_loaded(self, message: CasesLoaded) -> None:
        self.fetching = False
        if message.filters == self.filters:
            self.loaded = True
            self.all_cases, self.cases, self.alarms = message.all_cases, message.cases, message.alarms
            self.pin_record = message.record
            self.marked &= {v.case.id for v in self.cases}
            bar = self.query_one(FilterBar)
            bar.show_choices("lane", sorted({v.case.exception.lane for v in self.all_cases if v.case.exception.lane}))
            bar.show_choices("room", sorted({v.card.room for v in self.all_cases if v.card.room}))
            self._show()
        else:
            self._load_again = True
        if self._load_again:
            self.request_refresh()

    def on_cases_failed(self, message: CasesFailed) -> None:
        self.fetching = False
        self.query_one("#review-summary", Static).update(Text(_("Loading failed: {error}").format(error=message.error), style="bold red"))
        if self._load_again:
            self.request_refresh()

    def _when(self, at: str | None) -> str:
        return gate_view.local_time(self.site, at)

    def _show(self) -> None:
        table = self.query_one(CasesTable)
        table.show(self.cases, self.marked, self.site.policy, self._when)
        self._show_detail(table.highlighted_id)
        self.query_one(AlarmsTable).show(self.alarms, self._when)
        self.query_one("#review-alarms-title", Label).update(_("Duplicate-scan alarms (possible impersonation): {count}").format(count=len(self.alarms)))
        self.query_one("#review-alarms-title").set_class(bool(self.alarms), "-alarm")
        self._show_summary()

    def _show_summary(self) -> None:
        statuses = [v.status for v in self.all_cases]
        line = _("{shown}/{total} shown · pending {pending} · approved {approved} · marked {marked}").format(shown=len(self.cases), total=len(self.all_cases), pending=statuses.count("pending"), approved=statuses.count("approved"), marked=len(self.marked))
        record = getattr(self, "pin_record", None)
        if record is not None:  # what the PIN was used for: the most telling first, only what happened
            kinds = [e.kind for e in record.entries]
            counts = [(kinds.count("unsealed_decision"), _("decisions without the chief's seal {count}")),
                      (record.refused_pins, _("wrong PINs {count}")), (kinds.count("plan_changed"), _("plan changed {count}")),
                      (kinds.count("pin_changed"), _("PIN changed {count}")), (kinds.count("override_granted"), _("overrides {count}")),
                      (kinds.count("early_leave_authorised"), _("early leaves authorised {count}"))]
            line = " · ".join([text.format(count=n) for n, text in counts if n] + [line])
        self.query_one("#review-summary", Static).update(Text(line))

    def _show_detail(self, case_id: str | None) -> None:
        alarms = self.query_one(AlarmsTable)
        if self.focused is alarms:  # the chief is looking at a duplicate alarm
            self._show_alarm(alarms.highlighted_id)
            return
        self.query_one(CaseDetail).show(self._view(case_id), self.site.policy, self.site.plan.approval_levels, self._when)

    def _view(self, case_id: str | None) -> review.CaseView | None:
        return next((v for v in self.cases if v.case.id == case_id), None)

    @on(DataTable.RowHighlighted, "#review-cases")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(str(event.row_key.value) if event.row_key else None)

    @on(DataTable.RowHighlighted, "#review-alarms")
    def _alarm_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.focused is event.data_table:  # a refill highlights its first row too: the chief may be on a case
            self._show_alarm(str(event.row_key.value) if event.row_key else None)

    def _show_alarm(self, event_id: str | None) -> None:
        alarm = next((a for a in self.alarms if a.get("event_id") == event_id), None)
        self.query_one(CaseDetail).show_alarm(alarm, self._when)

    # -- filters -------------------------------------------------------
    def on_filters_changed(self, message: FiltersChanged) -> None:
        self.filters = message.filters
        self.request_refresh()

    def action_filters(self) -> None:
        self.query_one(FilterBar).focus_first()

    def action_clear_filters(self) -> None:
        self.query_one(FilterBar).clear()

    def action_back(self) -> None:
        if self.focused is not self.query_one(CasesTable):
            self.query_one(CasesTable).focus()
        elif self.from_lane is not None:
            self.dismiss()

    def action_refresh(self) -> None:
        self.request_refresh()

    # -- marking -------------------------------------------------------
    def action_mark(self) -> None:
        table = self.query_one(CasesTable)
        case_id = table.highlighted_id
        if case_id is None:
            return
        self.marked ^= {case_id}
        table.set_mark(case_id, case_id in self.marked)
        table.action_cursor_down()
        self._show_summary()

    def action_mark_code(self) -> None:
        view = self._view(self.query_one(CasesTable).highlighted_id)
        if view is None:
            self.notify(_("Nothing to act on: mark cases with Space, or move the cursor to one"), severity="warning")
            return
        ids = {v.case.id for v in self.cases if v.status == "pending" and v.case.code == view.case.code}
        self.marked |= ids
        self.query_one(CasesTable).show(self.cases, self.marked, self.site.policy, self._when)
        self._show_summary()
        code = self.site.policy.codes.get(view.case.code)
        self.notify(_("Marked {count} pending '{code}' case(s)").format(count=len(ids), code=code_label(code) if code else view.case.code))

    def action_unmark(self) -> None:
        self.marked.clear()
        self.query_one(CasesTable).show(self.cases, self.marked, self.site.policy, self._when)
        self._show_summary()

    def _targets(self) -> list[review.CaseView]:
        """The marked cases, or the highlighted one when nothing is marked."""
        if self.marked:
            return [v for v in self.cases if v.case.id in self.marked]
        view = self._view(self.query_one(CasesTable).highlighted_id)
        return [view] if view else []

    def _ready(self, targets: list | None = None) -> bool:
        if self.busy is not None:
            self.notify(_("The previous action is still running, wait a moment"), severity="warning")
            return False
        if targets is not None and not targets:
            self.notify(_("Nothing to act on: mark cases with Space, or move the cursor to one"), severity="warning")
            return False
        return True

    # -- decisions: a form, the PIN, then a worker over the service -----
    def action_approve(self) -> None:
        targets = self._targets()
        if self._ready(targets):
            self._approve([v.case.id for v in targets], next((v.next_level for v in targets if v.next_level),
                                                              self.site.plan.approval_levels[-1]))

    @work(group="review-dialog", exit_on_error=False)
    async def _approve(self, ids: list[str], level: str) -> None:
        form = approve_form(len(ids), level_label(level), self.approvers.get(level, ""), self.chief_name)
        values = await self.app.push_screen_wait(form)
        pin = values and await self.app.push_screen_wait(
            PinModal(_("approve {count} case(s) ({level})").format(count=len(ids), level=level_label(level))))
        if not values or not pin:
            return
        self.approvers[level], self.chief_name = values["by"], values["recorded_by"]
        site, session = self.site, self.session_id

        def approve() -> int:
            return len(review.approve(site, ids, level=level, by=values["by"], note=values["note"],
                                      recorded_by=values["recorded_by"], pin=pin, session=session))

        self._decide("approve", [approve])

    def action_reject(self) -> None:
        targets = self._targets()
        if self._ready(targets):
            self._decide_each("reject", [v.case.id for v in targets])

    def action_resolve(self) -> None:
        targets = self._targets()
        if self._ready(targets):
            self._decide_each("resolve", [v.case.id for v in targets])

    @work(group="review-dialog", exit_on_error=False)
    async def _decide_each(self, action: str, ids: list[str]) -> None:
        """Reject or resolve each case in turn (the services decide one case at a time)."""
        values = await self.app.push_screen_wait(decision_form(action, len(ids), self.chief_name))
        pin = values and await self.app.push_screen_wait(PinModal(word(REVIEW_PURPOSE, action).format(count=len(ids))))
        if not values or not pin:
            return
        self.chief_name = values["by"]
        decide = review.reject if action == "reject" else review.resolve
        words = {k: v for k, v in values.items() if k in ("reason", "note")}

        def one(case_id: str) -> Callable[[], int]:
            return lambda: bool(decide(self.site, case_id, by=values["by"], pin=pin, **words))

        self._decide(action, [one(case_id) for case_id in ids])

    def _decide(self, action: str, calls: list[Callable[[], int]], detail: str = "") -> None:
        self.busy = action
        self._run_decision(action, calls, detail)

    @work(thread=True, group="review-decisions", exit_on_error=False)
    def _run_decision(self, action: str, calls: list[Callable[[], int]], detail: str) -> None:
        """Run the service calls in order; the first refusal stops the rest."""
        done = 0
        for call in calls:
            try:
                done += int(call())
            except (review.ReviewRefused, seating.Shortage) as exc:
                self.post_message(DecisionRefused(action, spoken(exc), done, dict(getattr(exc, "missing", {}))))
                return
            except Exception as exc:  # noqa: BLE001 - shown on screen, never a crash
                self.post_message(DecisionRefused(action, failure_words(exc), done))
                return
        self.post_message(DecisionRecorded(action, done, detail))

    def on_decision_recorded(self, message: DecisionRecorded) -> None:
        self.busy = None
        if message.action in ("approve", "reject", "resolve"):
            self.marked.clear()
        self.notify(word(REVIEW_DONE, message.action).format(count=message.count, room=message.detail))
        self.request_refresh()
        if message.action == "add_room" and self._preview_after_room:
            self._preview_after_room = False
            self.action_reallocate()

    def on_decision_refused(self, message: DecisionRefused) -> None:
        self.busy = None
        self._preview_after_room = False
        error = _("{done} done, the rest not: {error}").format(done=message.done, error=message.error) if message.done else _("Not done: {error}").format(error=message.error)
        self.notify(error, severity="error", timeout=10)
        self.request_refresh()
        if message.missing_seats:
            self.action_reallocate()  # the preview says how many seats are missing and offers a room

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and (event.worker.group or "").startswith("review-"):
            self.busy = None
            self.fetching = False
            self.notify(_("Not done: {error}").format(error=str(event.worker.error)), severity="error", timeout=10)


def _conflict_alarm(flag: dict) -> dict:
    """An offline lanes' admission conflict, shown with the duplicate-scan alarms."""
    return {**flag, "at": flag.get("conflicting_at") or flag.get("at"), "lane": flag.get("conflicting_lane"),
            "staff": _("admitted offline at two lanes (conflict)"), "first_lane": flag.get("kept_lane"), "first_at": flag.get("kept_at")}


def _has_photos(site: Site) -> bool:
    """Photos beside the cases; a store that does not answer shows its cases' loading error, not a crash here."""
    try:
        return photos.has_photos(site)
    except Exception:  # noqa: BLE001 - the case load says what is wrong with the store
        return False
