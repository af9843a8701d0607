"""The gate's lane worker: the store opened after the first frame, then every request checked in the order queued.

After the first frame `GateScreen` starts `_check_lane`, one long-lived thread worker. Before any request it opens
the full site (SQLAlchemy, the store, the quick check begun for its file) and makes the lane, then posts `LaneReady`
once the quick check has answered; the 'starting' banner gives way to 'Ready', or to NOT RECORDED when the store is
damaged. From then on it takes requests from the queue one at a time: a wedge scanner's burst queued while the lane
was busy is one group commit, leaves and uploads take their turn in the same line, and each verdict is posted
(`ScanRecorded`/`ScanFailed`) only after its commit.

`LaneWorker` is mixed into `GateScreen`, whose `site`, `lane`, `session_id`, `confirming`, `pending_scans`,
`_lane_staff`, `_lane_prepared`, `_ready`, `_expected`, `_requests`, `_upload`, `record_leave`, `_show_failure`,
`_watch_store` and `request_panels` it uses.
"""

from __future__ import annotations

import contextlib
import queue
from typing import TYPE_CHECKING

from textual import work
from textual.worker import Worker, WorkerState, get_current_worker

from examops.i18n import _
from examops.services.site_head import full_site, quick_check_refusal
from examops.tui.i18n import failure_words
from examops.tui.messages import (
    LaneFailed,
    LaneReady,
    LaneWentOffline,
    LeaveRequest,
    OfflineCopyFailed,
    OfflineQueueGrew,
    QueueUploaded,
    ScanFailed,
    ScanRecorded,
    ScanRequest,
)
from examops.tui.screens.gate_offline import UPLOAD
from examops.tui.widgets.verdict import VerdictBanner, VerdictView

if TYPE_CHECKING:  # the store and the lane's services (SQLAlchemy) load on the lane worker, after the first frame
    from examops.domain.verdict import Verdict

LANE_WORKER = "lane-checks"


class LaneWorker:
    @work(thread=True, group="lane", name=LANE_WORKER, exit_on_error=False)
    def _check_lane(self) -> None:
        """Check requests one at a time, in the order they were queued; uploads take their turn in the same line."""
        worker = get_current_worker()
        if self.lane is None and not self._open_lane():
            return
        if not self._lane_prepared:
            self._lane_prepared = True
            self.lane.prepare()
            if self.lane.cache_error:
                self.post_message(OfflineCopyFailed(self.lane.cache_error))
            carried = self.lane.carried_over
            if not self.lane.online:
                self.post_message(LaneWentOffline(self.lane.offline_reason, self.lane.pending))
            elif carried is not None:
                self.post_message(QueueUploaded(carried.uploaded, len(carried.conflicts)))
            with contextlib.suppress(Exception):  # only a head start: the first scan meets and says any failure itself
                self.lane.warm()
        carried: list[ScanRequest | LeaveRequest | str | None] = []  # a request read past the end of a burst
        while not worker.is_cancelled:
            try:
                request = carried.pop() if carried else self._requests.get(timeout=0.5)
            except queue.Empty:
                continue
            if request is None:
                return
            if request == UPLOAD:
                self._upload()
                continue
            if isinstance(request, LeaveRequest):
                self.record_leave(request)
                continue
            burst = [request]
            while self._groups(burst[-1]):
                try:
                    later = self._requests.get_nowait()
                except queue.Empty:
                    break
                if isinstance(later, ScanRequest) and self._groups(later):
                    burst.append(later)
                else:
                    carried.append(later)
                    break
            self._check_requests(burst)

    def _open_lane(self) -> bool:
        """On the lane worker, before any request: the full site (SQLAlchemy, the store, the quick check begun for its
        file) and the lane; ready once the quick check has answered. False: the store cannot be opened."""
        from examops.services import gate_fold  # noqa: F401 - imported here, not inside the first verdict's handler
        from examops.services.counters import ExpectedCounts
        from examops.services.offline import ResilientLane

        try:
            site = full_site(self.site)
        except Exception as exc:  # noqa: BLE001 - said on screen, and the lane stops (`on_lane_failed`)
            self.post_message(LaneFailed(failure_words(exc)))
            return False
        self._expected = ExpectedCounts()
        lane, staff = self._lane_staff
        self.site, self.lane = site, ResilientLane(site, lane, staff, prepare=False)
        refusal = quick_check_refusal(site)  # its answer before the lane says it is ready; every write waits for it too
        self.post_message(LaneReady(site, failure_words(refusal) if refusal else ""))
        return True

    def on_lane_ready(self, message: LaneReady) -> None:
        self._ready = True
        self.app.site = message.site  # review and report open on the full site
        if message.damage:
            self.query_one(VerdictBanner).show(VerdictView("not_recorded", _("NOT RECORDED — the store is damaged"),
                                                           message.damage))
        elif not self.pending_scans and self.query_one(VerdictBanner).view.style == "pending":
            self.query_one(VerdictBanner).show(VerdictView("idle", _("Ready — scan the next candidate")))
        self.refresh_bindings()
        self._watch_store()
        self.request_panels()

    def on_lane_failed(self, message: LaneFailed) -> None:
        self.app.exit(return_code=2, message=_("The lane cannot start: {error}").format(error=message.error))

    def _groups(self, request: ScanRequest) -> bool:
        """A scan that may share a commit with the next: one the lane writes at once (no card held for a photo)."""
        return not (self.confirming and not request.confirmed)

    def _check_requests(self, burst: list[ScanRequest]) -> None:
        """Check the scans that were queued together; each verdict is posted only after its commit.

        A wedge scanner's burst, queued while the lane was busy, is one group commit (`check_burst`, one fsync, as
        `examops check --stdin` does), each scan judged as of when it was read; if that commit fails, one NOT
        RECORDED card names every scan of the burst.
        """
        was_online = self.lane.online
        try:
            if len(burst) == 1:
                request = burst[0]
                verdicts = [self.lane.check(request.code, session_id=self.session_id, outcome=request.outcome,
                                            evidence=request.evidence,
                                            hold_admission=self.confirming and not request.confirmed,
                                            scanned_at=request.read_at)]
            else:
                verdicts = self.lane.check_burst([(r.code, r.outcome, r.evidence) for r in burst], session_id=self.session_id,
                                                 read_at=[r.read_at for r in burst])
        except Exception as exc:  # noqa: BLE001 - the lane shows it as NOT RECORDED: one card naming every scan of the burst
            self.post_message(ScanFailed(burst[0], failure_words(exc), tuple(burst[1:])))
        else:
            self._post_verdicts(burst, verdicts)
        if not self.lane.online:
            pending = self.lane.pending
            self.post_message(LaneWentOffline(self.lane.offline_reason, pending) if was_online else OfflineQueueGrew(pending))

    def _post_verdicts(self, burst: list[ScanRequest], verdicts: list[Verdict]) -> None:
        """One message per verdict, in order; a run of scans the burst's failed commit left unrecorded is one
        message, so one NOT RECORDED card names them all (not one card, and one Esc, per scan)."""
        start = 0
        while start < len(burst):
            end = start + 1
            if verdicts[start].verdict == "not_recorded":
                while end < len(burst) and verdicts[end].verdict == "not_recorded":
                    end += 1
            self.post_message(ScanRecorded(burst[start], verdicts[start], tuple(zip(burst[start + 1:end], verdicts[start + 1:end]))))
            start = end

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name == LANE_WORKER and event.state == WorkerState.ERROR:
            self.app.bell()
            self._show_failure(str(event.worker.error))
            self._check_lane()
