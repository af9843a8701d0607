"""The gate's side panels: the session's figures, the rooms and the recent scans, recounted on a worker.

`SidePanels` is mixed into `GateScreen`, whose `session`, `lane`, `site`, `pending_scans`, `panels_refreshing`,
`_panels_again`, `_panels_seen`, `_panels_timer`, `_expected` and `_show_closed` it uses. A recount never runs while a
scan is queued or checked (its card comes first), never two at once, and a watcher worker asks for one as soon as any
lane stores an event.
"""

from __future__ import annotations

import time

from textual import work
from textual.worker import get_current_worker

from examops.services import gate_view
from examops.services.live import EventWatcher
from examops.tui.i18n import failure_words
from examops.tui.messages import OfflineCopyFailed, PanelsFailed, PanelsRefreshed, StoreChanged
from examops.tui.widgets.panels import CountersPanel, RecentScansTable, RoomsTable

PANELS_AFTER_SCAN_S = 0.3  # let the verdict's frame go out before the figures are recounted
LIVE_WAIT_S = 0.5
LIVE_MIN_GAP_S = 0.4  # recount at most this often however busy the other lanes are


class SidePanels:
    def _panels_soon(self) -> None:
        """Recount shortly: a lane's own scan and the watcher's news of it come as one recount, after the card's frame."""
        if self._panels_timer is None:
            self._panels_timer = self.set_timer(PANELS_AFTER_SCAN_S, self._panels_after_scan)

    def _panels_after_scan(self) -> None:
        self._panels_timer = None
        self.request_panels()

    def request_panels(self, *, if_changed: bool = False) -> None:
        """Refresh counters and recent scans; refreshes never pile up, one runs at a time, none while a scan waits.

        `if_changed` (the periodic refresh, a safety net behind the watcher): skip the counting where the store
        says nothing was stored since the figures on screen were read.
        """
        if self.session is None:
            return
        if self.pending_scans:  # a scan is queued or being checked: its card first; `_after_scan` recounts after it
            return
        if self.panels_refreshing:
            self._panels_again = self._panels_again or not if_changed
            return
        self.panels_refreshing = True
        seen = self._panels_seen
        since = seen[1] if if_changed and seen is not None and seen[0] == self.session.id else None
        self._load_panels(self.session.id, since)

    @work(thread=True, group="panels", exit_on_error=False)
    def _load_panels(self, session_id: str, since: int | None = None) -> None:
        try:
            panels = gate_view.lane_panels(self.lane.view_site, self.lane.lane, session_id, unless_at=since,
                                           expected=self._expected)
        except Exception as exc:  # noqa: BLE001 - shown in the panel
            self.post_message(PanelsFailed(failure_words(exc)))
        else:
            if panels is not None:
                self._panels_seen = (session_id, panels.version)
            self.post_message(PanelsRefreshed(panels))

    def on_panels_refreshed(self, message: PanelsRefreshed) -> None:
        panels = message.panels
        if panels is None:
            return self._panels_done()
        if self.pending_scans:
            # A scan came while the figures were counted: they are already behind it, and drawing them now would
            # delay its card; the recount after its verdict (`_after_scan`) brings them.
            self._panels_seen = None
            self._panels_again = False
            return self._panels_done()
        if panels.closed and self.session:
            self._show_closed(self.session.id, *panels.closed)
        self.query_one(CountersPanel).show(panels.counters)
        self.query_one(RoomsTable).show(panels.counters.rooms)
        self.query_one(RecentScansTable).show(panels.recent, self.site.policy)
        self._panels_done()

    def on_panels_failed(self, message: PanelsFailed) -> None:
        self._panels_seen = None
        self.query_one(CountersPanel).show_error(message.error)
        self._panels_done()

    def _panels_done(self) -> None:
        self.panels_refreshing = False
        if self._panels_again:
            self._panels_again = False
            self.request_panels()

    # -- other lanes, offline, upload ------------------------------------
    @work(thread=True, group="live", exit_on_error=False)
    def _watch_store(self) -> None:
        """Recount as soon as any lane stores an event; keep the offline copy of admissions current."""
        worker = get_current_worker()
        watcher = EventWatcher(self.site.store)
        try:
            while not worker.is_cancelled:
                if not watcher.wait(LIVE_WAIT_S):
                    continue
                try:
                    self.lane.refresh_mirror()
                except Exception as exc:  # noqa: BLE001 - shown; a lost server is the lane worker's to notice
                    if not self.site.store.unreachable(exc):
                        self.post_message(OfflineCopyFailed(failure_words(exc)))
                self.post_message(StoreChanged())
                time.sleep(LIVE_MIN_GAP_S)
        finally:
            watcher.close()

    def on_store_changed(self, _message: StoreChanged) -> None:
        self._panels_soon()
