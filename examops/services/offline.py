"""A lane that keeps scanning when the shared PostgreSQL store stops answering.

Online, a scan goes to the shared store exactly as `Lane` sends it. When the
server does not answer, the lane records on a SQLite cache on this laptop
(`EXAMOPS_HOME/lanes/`): the same schema, with the plan, the roster and the
admissions already stored anywhere, so a ticket admitted before the outage is
still a `duplicate`. The lane's chain there links on from the last event it
stored in the shared store (the anchor), and `try_upload` merges the queue
back through `sync.merge_events` when the server answers again: idempotent,
chain-checked, colliding admissions flagged. On a SQLite store the lane is a
plain `Lane`.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping, Sequence

from examops import locations
from examops.adapters.store import (
    DBAPIError,
    IntegrityError,
    ServerUnreachable,
    Store,
    StoreError,
    WriteFailed,
    describe_failure,
    lane_cache,
)
from examops.adapters.store import events as event_log
from examops.domain.events import Event, Kind
from examops.domain.said import N_, Said, said
from examops.domain.verdict import Verdict
from examops.services import ledger
from examops.services.gate import Lane
from examops.services.site import PLAN_KEY, POLICY_KEY, STORE_ID_KEY, Site

UPLOAD_EVERY_S = 2.0
MIRROR_EVERY_S = 3.0
# Identity values are taken at insert and committed in any order: re-read this far back so none is skipped.
MIRROR_LOOKBACK = 500
# Never the chief's PIN hash: a lane laptop's cache is no place to guess it offline.
COPIED_SETTINGS = (PLAN_KEY, POLICY_KEY, STORE_ID_KEY)
ROSTER_KEY = "lane_cache_roster"
MIRROR_POS_KEY = "lane_cache_admissions_pos"


@dataclass
class UploadResult:
    """One attempt to send the offline queue to the shared store."""

    uploaded: int = 0
    already: int = 0
    conflicts: list[dict] = field(default_factory=list)
    error: Said | str | None = None
    """Why the lane is still offline (the server still does not answer, or it refused the queue)."""
    unreachable: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def cache_path(site: Site, lane: str) -> Path:
    """This lane's cache of this store: one file per store and lane."""
    safe_lane = re.sub(r"[^\w.-]+", "_", lane).strip("._") or "lane"
    return locations.home() / "lanes" / f"{site.store_id[:8]}-{safe_lane}.sqlite3"


class _SharedLane(Lane):
    """The lane on the shared store: remembers what it stored; a write the server never answered goes to `fallback`."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.last_stored: Event | None = None
        self.admitted_here: dict[str, tuple[str, str]] = {}
        self.fallback: Callable[[Event], Event] | None = None

    def _write(self, event: Event) -> Event:
        try:
            return super()._write(event)
        except ServerUnreachable as exc:
            return self._unanswered(event, exc)

    def _unanswered(self, event: Event, failure: ServerUnreachable) -> Event:
        if self.fallback is None:
            raise failure
        return self.fallback(event)

    def _stored(self, event: Event) -> None:
        self.last_stored = event
        if event.kind == Kind.ADMITTED:
            self.admitted_here[event.id] = (event.session, event.ticket)


class ResilientLane:
    """A gate lane on a shared store that falls back to this laptop when the server does not answer."""

    def __init__(self, site: Site, lane: str, staff: str, device: str | None = None, *, prepare: bool = True):
        self.site = site
        self.shared = _SharedLane(site, lane, staff, device)
        self.lane, self.staff, self.device = lane, staff, self.shared.device
        self.online = True
        self.offline_reason: str | Said = ""
        self.local_site: Site | None = None
        self.local: Lane | None = None
        self.cache_error: Said | str | None = None
        self.carried_over: UploadResult | None = None
        """The upload at start of what an earlier run left queued, if there was any."""
        self._start_head: tuple[int, str] | None = None
        self._mirror_pos = 0
        self._mirrored: set[str] = set()
        self._mirror_at = 0.0
        self._upload_at = 0.0
        self._mirror_lock = threading.Lock()
        if prepare and self.can_go_offline:
            self.prepare()

    @property
    def can_go_offline(self) -> bool:
        """Only a lane on a shared server has somewhere else to write."""
        return not self.site.store.is_sqlite

    def session(self, session_id: str | None = None):  # noqa: ANN201 - a Session
        return self.shared.session(session_id)

    def warm(self) -> None:
        self.shared.warm()

    # -- the cache on this laptop ----------------------------------------
    def prepare(self) -> None:
        """Make or refresh the local cache, then upload what an earlier run left queued.

        A failure leaves the lane working online only (`cache_error` says why).
        """
        if not self.can_go_offline:
            return
        try:
            self._prepare()
        except (StoreError, DBAPIError, OSError) as exc:
            self.cache_error = describe_failure(exc) if isinstance(exc, DBAPIError) else getattr(exc, "said", None) or str(exc)

    def _prepare(self) -> None:
        path = cache_path(self.site, self.lane)
        store = Store.open(f"sqlite:///{path}", create=True)
        with self.site.store.read() as conn:
            settings = {key: self.site.store.get_setting(key, conn) for key in COPIED_SETTINGS}
            fingerprint = lane_cache.roster_fingerprint(conn)
            self._start_head = Store.head(conn, self.device)
        with store.write() as conn:
            for key, value in settings.items():
                if value is None:
                    Store.delete_setting(conn, key)
                elif store.get_setting(key, conn) != value:
                    Store.put_setting(conn, key, value)
            Store.forget_secrets(conn)  # a cache made by older code held the PIN hash (migrated into its secrets)
        if store.get_setting(ROSTER_KEY) != fingerprint:
            lane_cache.copy_roster(self.site.store, store)
            with store.write() as conn:
                Store.put_setting(conn, ROSTER_KEY, fingerprint)
        self._mirror_pos = int(store.get_setting(MIRROR_POS_KEY) or 0)
        self.local_site = Site(store, self.site.plan, self.site.policy, self.site.clock, override=self.site.override)
        self.refresh_mirror()
        self.local = Lane(self.local_site, self.lane, self.staff, device=self.device)
        self.shared.fallback = self._record_offline
        if self.queued_events():
            self.online = False
            self.offline_reason = said(N_("scans recorded on this laptop by an earlier run wait for upload"))
            self.carried_over = self.try_upload()

    def refresh_mirror(self) -> int:
        """Copy the admissions stored since the last refresh into the cache; how many rows came."""
        if self.local_site is None or not self.online:
            return 0
        with self._mirror_lock:
            since = max(self._mirror_pos - MIRROR_LOOKBACK, 0)
            with self.site.store.read() as conn:
                rows = lane_cache.admissions_since(conn, since)
            self._mirror_at = time.monotonic()
            top = max((row.pos for row in rows), default=self._mirror_pos)
            fresh = [row for row in rows if row.event_id not in self._mirrored]
            if fresh:
                with self.local_site.store.write() as conn:
                    lane_cache.mirror_admissions(conn, fresh)
                    Store.put_setting(conn, MIRROR_POS_KEY, str(top))
            self._mirror_pos = top
            self._mirrored.update(row.event_id for row in fresh)
            for row in rows:
                self.shared.admitted_here.pop(row.event_id, None)
            return len(fresh)

    # -- scanning --------------------------------------------------------
    def check_burst(self, scans: list[tuple[str, str | None, Mapping[str, str]]], *,
                    session_id: str | None = None, read_at: Sequence[dt.datetime | None] = ()) -> list[Verdict]:
        """`Lane.check_burst` on a SQLite store; a shared store's lane commits each scan (its fallback is per write).
        Each scan is judged as of its `read_at` (in order; missing or None: now), as a lone scan is."""
        if not self.can_go_offline:
            return self.shared.check_burst(scans, session_id=session_id, read_at=read_at)
        reads = [*read_at[:len(scans)], *[None] * (len(scans) - len(read_at))]
        return [self.check(code, session_id=session_id, outcome=outcome, evidence=evidence, scanned_at=read)
                for (code, outcome, evidence), read in zip(scans, reads)]

    def check(self, code: str, *, session_id: str | None = None, outcome: str | None = None,
              evidence: Mapping[str, str] | None = None, hold_admission: bool = False,
              scanned_at: dt.datetime | None = None) -> Verdict:
        """`Lane.check` on the shared store, or on this laptop while the server does not answer."""
        if self.local is None:  # a SQLite store, or no copy on this laptop
            try:
                return self.shared.check(code, session_id=session_id, outcome=outcome, evidence=evidence,
                                     hold_admission=hold_admission, scanned_at=scanned_at)
            except DBAPIError as exc:
                if not self.site.store.unreachable(exc):
                    raise
                failure = said(N_("{failure} and this laptop has no offline copy ({error})"), failure=describe_failure(exc),
                               error=self.cache_error or "")
                return Verdict("not_recorded", self.session(session_id).id, reason=str(failure), failure=failure)
        if self.online:
            try:
                verdict = self.shared.check(code, session_id=session_id, outcome=outcome, evidence=evidence,
                                     hold_admission=hold_admission, scanned_at=scanned_at)
            except DBAPIError as exc:
                if not self.site.store.unreachable(exc):
                    raise
                try:
                    self._go_offline(describe_failure(exc))
                except WriteFailed as local_failure:
                    failure = said(N_("{failure} and this laptop's copy failed too: {error}"), failure=describe_failure(exc),
                                   error=local_failure.said)
                    return Verdict("not_recorded", self.session(session_id).id, reason=str(failure), failure=failure)
            else:
                return verdict if self.online else replace(verdict, offline=True)
        verdict = self.local.check(code, session_id=session_id, outcome=outcome, evidence=evidence,
                                     hold_admission=hold_admission, scanned_at=scanned_at)
        return replace(verdict, offline=True)

    def _record_offline(self, event: Event) -> Event:
        """A write the server never answered: the same event (same id) goes to this laptop's queue.

        If the server did commit it before vanishing, the upload finds the identical event there.
        """
        self._go_offline(said(N_("the shared store does not answer")))
        return ledger.record(self.local_site.store, event, override=self.site.override)[0]

    def _go_offline(self, reason: Said) -> None:
        """Anchor the local chain on the last event the shared store holds, and carry this lane's admissions over."""
        if not self.online:
            return
        anchor = (self.shared.last_stored.device_seq, self.shared.last_stored.hash) if self.shared.last_stored else self._start_head
        with self.local_site.store.write() as conn:
            head_seq, _ = Store.head(conn, self.device)
            if anchor is not None and anchor[0] > head_seq:
                Store.set_anchor(conn, self.device, *anchor)
            for event_id, (session, ticket) in list(self.shared.admitted_here.items()):
                lane_cache.carry_admission(conn, session, ticket, event_id)
        self.shared.admitted_here.clear()
        self.online = False
        self.offline_reason = reason
        self._upload_at = time.monotonic()

    # -- back online -----------------------------------------------------
    @property
    def pending(self) -> int:
        """Events recorded on this laptop that the shared store does not hold yet."""
        if self.local_site is None or self.online:
            return 0
        with self.local_site.store.read() as conn:
            anchor_seq, _ = Store.head_anchor(conn, self.device)
            return lane_cache.count_after(conn, self.device, anchor_seq)

    def queued_events(self) -> list[Event]:
        """The offline queue, in chain order: what `try_upload` sends."""
        with self.local_site.store.read() as conn:
            anchor_seq, _ = Store.head_anchor(conn, self.device)
            return event_log.device_chain(conn, self.device, after_seq=anchor_seq)

    def server_answers(self) -> bool:
        """One round trip to the shared store (safe from any thread)."""
        return lane_cache.server_answers(self.site.store)

    def try_upload(self) -> UploadResult:
        """If the server answers, merge the offline queue into it and go back online."""
        if self.online or self.local_site is None:
            return UploadResult()
        self._upload_at = time.monotonic()
        if not self.server_answers():
            return UploadResult(error=said(N_("the shared store does not answer")), unreachable=True)
        queued = self.queued_events()
        result = None
        if queued:
            from examops.services.sync import MergeRefused, merge_events  # only an upload needs the merge (not start-up)

            try:
                result = merge_events(self.site.store, queued, merged_by=f"upload-{self.lane}")
            except MergeRefused as exc:
                return UploadResult(error=said(N_("the shared store refused the queue: {reason}"), reason=exc))
            except (WriteFailed, IntegrityError, DBAPIError) as exc:
                return UploadResult(error=exc.said if isinstance(exc, WriteFailed) else describe_failure(exc),
                                    unreachable=isinstance(exc, ServerUnreachable))
            last = queued[-1]
            try:
                with self.local_site.store.write() as conn:
                    Store.set_anchor(conn, self.device, last.device_seq, last.hash)
            except WriteFailed as exc:  # uploaded; the next attempt finds it all there already and notes it again
                return UploadResult(error=said(N_("uploaded, but this laptop could not note it: {reason}"), reason=exc.said))
            self.shared.last_stored = last
        self.online = True
        self.offline_reason = ""
        try:
            self.refresh_mirror()
        except (DBAPIError, StoreError):
            pass  # the next refresh catches up; the upload itself is done
        if result is None:
            return UploadResult()
        return UploadResult(uploaded=result.new, already=result.already, conflicts=result.conflicts)

    def maintain(self, *, mirror: bool = True) -> Said | None:
        """Between scans: retry the upload while offline, refresh the admissions copy while online (unless `mirror`
        is False: `keep_mirror` does it on a thread of its own).

        Returns a line for the operator when something changed or failed.
        """
        if self.local is None:
            return None
        now = time.monotonic()
        if not self.online:
            if now - self._upload_at < UPLOAD_EVERY_S:
                return None
            result = self.try_upload()
            if not result.ok:
                return None if result.unreachable else said(N_("upload failed: {error}"), error=result.error)
            return describe_upload(result)
        if not mirror or now - self._mirror_at < MIRROR_EVERY_S:
            return None
        return self._refresh_told()

    def keep_mirror(self, stop: threading.Event, note: Callable[[Said | None], None]) -> None:
        """Refresh the admissions copy every MIRROR_EVERY_S while online, on a thread of its own (as the gate
        screen's watcher does), so no scan waits for it; uploads stay between scans, in the queue's order."""
        if self.local is None:
            return

        def run() -> None:
            while not stop.wait(MIRROR_EVERY_S):
                if self.online:
                    note(self._refresh_told())

        threading.Thread(target=run, name="mirror", daemon=True).start()

    def _refresh_told(self) -> Said | None:
        try:
            self.refresh_mirror()
        except (DBAPIError, StoreError) as exc:
            self._mirror_at = time.monotonic()
            if isinstance(exc, DBAPIError) and self.site.store.unreachable(exc):
                return None  # the next scan finds out and goes offline
            return said(N_("the offline copy of admissions was not refreshed: {error}"), error=str(exc))
        return None

    @property
    def view_site(self) -> Site:
        """Where the lane's panels read from: the shared store, or this laptop while offline."""
        return self.local_site if not self.online and self.local_site is not None else self.site


def describe_upload(result: UploadResult) -> Said:
    """What an upload did, for the operator (`str()` English, `spoken()` the site's language)."""
    already = said(N_(" ({count} the server had already committed before it went away)"), count=result.already) \
        if result.already else ""
    conflicts = said(N_(", {count} admission conflict(s) flagged for the chief proctor"), count=len(result.conflicts)) \
        if result.conflicts else ""
    return said(N_("back online: {count} event(s) uploaded{already}{conflicts}"), count=result.uploaded, already=already,
                conflicts=conflicts)

