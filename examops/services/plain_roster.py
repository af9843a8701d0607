"""A site's first roster import on a SQLite store, without SQLAlchemy.

Importing SQLAlchemy costs a 50k import about as much as its SQLite inserts. A SQLite store whose `candidates`
and `seats` are empty (the import `examops init` is followed by) is imported here on SQLite's own connection
(`adapters.plain_roster_store`, the statements rendered from the store's own): the same reading and checking
(`roster.run_import`), the same rows and digests (`roster_rows`, `roster_digests`), the same two events sealed on
the admin device's chain and signed (ROSTER_IMPORTED, then PLAN_SET with the tables' digests), in one durable
transaction after the quick check found the file sound. Every other store (a roster already there, a store to
migrate, PostgreSQL, a drill to begin, a damaged file, any error of SQLite before the commit) gets None with
nothing written: the caller imports on the full path, which says every refusal as it always has.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Collection, Sequence

from examops import locations
from examops.adapters import quick_check
from examops.adapters.plain_roster_store import NotHere, PlainRosterStore
from examops.adapters.roster_digests import loaded_digests
from examops.domain.event_payloads import PlanSet
from examops.domain.events import Kind
from examops.domain.plan import PlanError
from examops.domain.policy import PolicyError
from examops.domain.roster import RosterEntry
from examops.domain.table_digests import differing_parts
from examops.services.bulk_work import cycle_collection_paused
from examops.services.lane_device import device_id
from examops.services.plain_site import OneShotSite, read_site
from examops.services.roster import (
    BULK_THRESHOLD,
    ImportReport,
    Progress,
    StoredRoster,
    new_rooms,
    roster_imported,
    run_import,
    table_rows,
)
from examops.services.roster_files import RosterFiles
from examops.services.site_settings import STORE_ID_KEY
from examops.services.system_events import system_event

REASON = "roster import"  # as `ledger.record_tables` is told by the full path


class PlainRoster:
    """`roster.RosterStore` on a `PlainRosterStore` whose roster tables are empty."""

    def __init__(self, store: PlainRosterStore, site: OneShotSite, store_id: str) -> None:
        self.store, self.site, self.store_id = store, site, store_id
        self.written = None  # the last event committed, for the witness file

    def stored(self, tickets: Collection[str], replace: bool) -> StoredRoster:
        return StoredRoster({}, {})  # nothing stored: no ID number, seat or dropped ticket to clash with

    def write(self, entries: Sequence[RosterEntry], existing: set[str], dropped: set[str], digests: dict,
              report: ImportReport) -> None:
        candidate_rows, seat_rows = table_rows(entries, [s.id for s in self.site.plan.sessions])
        signer = self.store.device_key(self.store_id)
        device = device_id(self.store_id, "admin")
        with self.store.load():
            recorded = self.store.recorded_digests()
            if recorded is not None and differing_parts(recorded, self.store.digests(loaded_digests((), ()))):
                raise NotHere("tables edited outside examops")  # the full path refuses it in words, nothing written
            rooms = new_rooms(entries, self.store.room_ids(), self.site.plan)
            loaded = self.store.write_roster(candidate_rows, seat_rows, rooms, bulk=len(candidate_rows) >= BULK_THRESHOLD)
            self.store.append(roster_imported(device, digests, report), signer)
            tables = PlanSet(digests=self.store.digests(loaded), reason=REASON).to_payload()
            self.written = self.store.append(system_event(self.site.clock, device, Kind.PLAN_SET, tables), signer)


def import_plain(db: str | None, paths: Sequence[str | Path], files: RosterFiles, *, dry_run: bool, replace: bool,
                 errors_out: str | Path | None, progress: Progress | None,
                 opened: Callable[[OneShotSite], None]) -> tuple[OneShotSite, ImportReport] | None:
    """The report of importing `paths` into the SQLite store `db` whose roster tables are empty, or None (nothing
    written: import on the full path). `opened(site)` runs once the site is read (the CLI speaks its language)."""
    url = locations.store_url(db)
    path = quick_check.sqlite_path(url)
    if path is not None:
        quick_check.take(path)  # a check this process began earlier (an import before) says nothing of the file now
    quick_check.begin(url)  # on a thread meanwhile: a store with no roster yet is small, its check quick
    store = PlainRosterStore.open(url)
    if store is None:
        return None
    try:
        try:
            site = read_site(store)
            store_id = store.setting(STORE_ID_KEY)
            if site is None or store_id is None or not store.roster_empty():
                return None
            check = quick_check.begun_for(store.path)
            if check is None or check.wait() != ["ok"]:
                return None  # the full path refuses a damaged store in its words, dry run or not
        except (NotHere, PlanError, PolicyError, KeyError, ValueError):
            return None  # the full path opens the site and says what is wrong with it
        opened(site)
        plain = PlainRoster(store, site, store_id)
        try:
            with cycle_collection_paused():
                report = run_import(site, plain, paths, files, dry_run, replace, errors_out, progress, None, None)
        except NotHere:
            return None  # rolled back: nothing written
        if plain.written is not None:  # committed: from here on nothing goes back to the full path
            store.witness(store_id, {plain.written.device: (plain.written.device_seq, plain.written.hash)})
        return site, report
    finally:
        store.close()
