"""The gate's side panels: the session's figures, the rooms and the recent scans.

The lane's own verdicts change them in place (`services.gate_fold`: an admission adds one to the admitted and to
its room, and so on), drawn just after the card's frame. The session is counted again on a worker only when the
store holds an event the lane did not write (another lane, the chief, a roster import): after each scan, on the
watcher's news and every PANELS_EVERY_S, one look at the events stored since the figures were counted says so. On
PostgreSQL, where positions cannot say it, every such step counts again. A recount never runs while a scan is
queued or checked (its card comes first), never two at once, and one asked for before a verdict came is not drawn.

`SidePanels` is mixed into `GateScreen`, whose `session`, `lane`, `site`, `pending_scans`, `panels_refreshing`,
`_panels_again`, `_panels_seen`, `_panels_timer`, `_panels`, `_panels_dirty`, `_own_writes`, `_folded`,
`_expected` and `_show_closed` it uses.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from examops.services.bulk_work import freeze_after_lane_start
from examops.tui.i18n import failure_words
from examops.tui.messages import OfflineCopyFailed, PanelsFailed, PanelsRefreshed, StoreChanged
from examops.tui.widgets.panels import CountersPanel, RecentScansTable, RoomsTable

if TYPE_CHECKING:
    from examops.domain.verdict import Verdict

PANELS_AFTER_SCAN_S = 0.3  # let the verdict's frame go out before the figures are recounted
LIVE_WAIT_S = 0.5
LIVE_MIN_GAP_S = 0.4  # recount at most this often however busy the other lanes are


class SidePanels:
    def _lane_wrote(self, verdict: Verdict | None) -> None:
        """One of the lane's own requests came back: fold its verdict into the figures on screen (drawn with the
        next panels step, after the card's frame); None, or a verdict the fold cannot say: count again."""
        self._folded += 1  # a recount asked for before this is behind it (`on_panels_refreshed`)
        if verdict is None or self._panels is None:
            self._panels_seen = None
            return
        from examops.services import gate_fold, gate_view  # not needed for the lane's first frame

        folded = gate_fold.fold_verdict(self._panels, verdict, lambda at: gate_view.local_time(self.site, at))
        if folded is None:
            self._panels_seen = None
        elif folded is not self._panels:
            self._panels, self._panels_dirty = folded, True
            self._own_writes.add(verdict.event_id)

    def _panels_soon(self) -> None:
        """Shortly (after the card's frame): draw the folded figures, and count again if anyone else stored an event."""
        if self._panels_timer is None:
            self._panels_timer = self.set_timer(PANELS_AFTER_SCAN_S, self._panels_after_scan)

    def _panels_after_scan(self) -> None:
        self._panels_timer = None
        if not self.pending_scans:
            self._draw_folded()
        self.request_panels(if_changed=True)

    def request_panels(self, *, if_changed: bool = False) -> None:
        """Refresh counters and recent scans; refreshes never pile up, one runs at a time, none while a scan waits.

        `if_changed` (after a scan, the watcher's news, the periodic safety net): count only where the store holds
        an event since the figures on screen were counted that is not one of the lane's own, folded in place.
        """
        if self.session is None or self.lane is None:  # no lane yet: `on_lane_ready` asks for the first figures
            return
        if self.pending_scans:  # a scan is queued or being checked: its card first; `_after_scan` asks again after it
            return
        if self.panels_refreshing:  # once it is done: a look, or a count if one was asked for
            self._panels_again = "count" if not if_changed or self._panels_again == "count" else "look"
            return
        self.panels_refreshing = True
        seen = self._panels_seen
        since = seen[1] if if_changed and seen is not None and seen[0] == self.session.id else None
        self._load_panels(self.session.id, since, frozenset(self._own_writes), self._folded)

    @work(thread=True, group="panels", exit_on_error=False)
    def _load_panels(self, session_id: str, since: int | None, own: frozenset[str], folded: int) -> None:
        from examops.services import gate_view

        site = self.lane.view_site
        try:
            version = gate_view.own_writes_only(site, since, own) if since is not None else None
            panels = None if version is not None else gate_view.lane_panels(site, self.lane.lane, session_id,
                                                                            expected=self._expected)
        except Exception as exc:  # noqa: BLE001 - shown in the panel
            self.post_message(PanelsFailed(failure_words(exc)))
        else:
            self.post_message(PanelsRefreshed(panels, session_id, panels.version if panels else version, folded))

    def on_panels_refreshed(self, message: PanelsRefreshed) -> None:
        if self.pending_scans or message.folded != self._folded or self.session is None or message.session != self.session.id:
            # A scan came while the figures were counted: they may be behind it, and drawing them now would delay
            # its card; the step after its verdict (`_after_scan`) asks again, from the figures folded on screen.
            return self._panels_done()
        self._panels_seen = (message.session, message.version)
        self._own_writes = set()
        panels = message.panels
        if panels is None:  # only the lane's own events since: the figures folded on screen are the store's
            self._draw_folded()
            return self._panels_done()
        first = self._panels is None
        self._panels, self._panels_dirty = panels, True
        if panels.closed:
            self._show_closed(self.session.id, *panels.closed)
        self._draw_folded()
        if first:  # the lane's start is over: its objects leave the collector's full passes (after this frame)
            self.call_after_refresh(freeze_after_lane_start)
        self._panels_done()

    def _draw_folded(self) -> None:
        panels = self._panels
        if panels is None or not self._panels_dirty:
            return
        self._panels_dirty = False
        self.query_one(CountersPanel).show(panels.counters)
        self.query_one(RoomsTable).show(panels.counters.rooms)
        self.query_one(RecentScansTable).show(panels.recent, self.site.policy)

    def on_panels_failed(self, message: PanelsFailed) -> None:
        self._panels_seen = None
        self._panels_dirty = True  # the figures come back over the error once counted
        self.query_one(CountersPanel).show_error(message.error)
        self._panels_done()

    def _panels_done(self) -> None:
        self.panels_refreshing = False
        again, self._panels_again = self._panels_again, None
        if again:
            self.request_panels(if_changed=again == "look")

    # -- other lanes, offline, upload ------------------------------------
    @work(thread=True, group="live", exit_on_error=False)
    def _watch_store(self) -> None:
        """Recount as soon as any lane stores an event; keep the offline copy of admissions current."""
        from examops.services.live import EventWatcher

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
