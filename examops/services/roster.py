"""Import rosters: read every file, check everything, then write all of it or nothing.

Checks run in three rings: the file (readable, safe), the rows (domain
parsing), and the store (a ticket's ID, seats taken by candidates already
imported, candidates the event log mentions). Only a roster with no error
reaches the single write transaction.

The store is reached through a `RosterStore`: `SiteRosterStore` (SQLAlchemy's, any store) here, or
`plain_roster.PlainRoster` (a SQLite store whose roster tables are empty, without SQLAlchemy). This module imports
no store library: the CLI's import into a fresh SQLite store never loads one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Collection, Mapping, Protocol, Sequence

from examops.adapters.roster_digests import loaded_digests
from examops.adapters.roster_rows import EverySession
from examops.domain.event_payloads import RosterImported
from examops.domain.events import Event, Kind, format_utc, new_event_id
from examops.domain.roster import N_, ParsedRoster, Phrase, Problem, RosterEntry, parse_rosters, said
from examops.i18n import CHINESE, normalise_language
from examops.i18n.roster_words import localised
from examops.services.bulk_work import cycle_collection_paused
from examops.services.marked_copies import copy_names, file_labels, write_new
from examops.services.roster_files import RosterFiles, UnreadableFile, WorkbookContent

if TYPE_CHECKING:
    from examops.services.site import Site

Progress = Callable[[str, int, int], None]
BULK_THRESHOLD = 5000


class ImportCancelled(Exception):
    pass


@dataclass
class ImportReport:
    """What an import found and did; `imported` is False whenever any error was found."""

    files: list[str]
    candidates: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    dropped: int = 0
    rooms: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    imported: bool = False
    errors_out: list[str] = field(default_factory=list)
    """Every marked copy written, one per readable input file (never over an existing file)."""
    marked_copies: list[tuple[str, str | None]] = field(default_factory=list)
    """(input file, its marked copy or None when the file could not be read), in input order."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def to_json(self) -> dict:
        return {
            "files": self.files,
            "imported": self.imported,
            "dry_run": self.dry_run,
            "candidates": self.candidates,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dropped": self.dropped,
            "rooms": self.rooms,
            "errors": sum(1 for p in self.problems if p.severity == "error"),
            "warnings": sum(1 for p in self.problems if p.severity == "warning"),
            "problems": [p.to_dict() for p in self.problems],
            "errors_out": self.errors_out,
            "marked_copies": [{"file": file, "copy": copy} for file, copy in self.marked_copies],
        }


def _file_problem(path: str, message: str, fix: str | Phrase, code: str) -> Problem:
    return Problem("error", path, None, None, None, None, None, message, fix, code)


def import_roster(
    site: Site,
    paths: Sequence[str | Path],
    *,
    dry_run: bool = False,
    replace: bool = False,
    errors_out: str | Path | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    lang: str | None = None,
    files: RosterFiles | None = None,
) -> ImportReport:
    """Import one roster made of `paths`; nothing is written unless every check passes.

    `--errors-out` copies are written in `lang`, by default the site's language (Chinese when the plan names none).
    `files` is a `RosterFiles(paths)` the caller started reading ahead (the CLI does, before opening the site).
    """
    files = files or RosterFiles(paths)
    try:
        with cycle_collection_paused():
            return run_import(site, SiteRosterStore(site), paths, files, dry_run, replace, errors_out, progress, cancel, lang)
    finally:
        files.close()


@dataclass
class StoredRoster:
    """What an import checks against: the roster the store holds now."""

    existing: Mapping[str, object]
    """Every stored candidate row (ticket, name, id_number, sex, site as attributes), by ticket."""
    by_id_number: Mapping[str, str]
    seats: Sequence = ()
    """Every stored seat row (session_id, ticket, room_id, seat as attributes); read only without --replace."""
    mentioned: Sequence[str] = ()
    """With --replace: the tickets the roster drops that the event log mentions, sorted."""


class RosterStore(Protocol):
    """The store half of an import."""

    def stored(self, tickets: Collection[str], replace: bool) -> StoredRoster: ...

    def write(self, entries: Sequence[RosterEntry], existing: set[str], dropped: set[str], digests: dict,
              report: ImportReport) -> None: ...


def run_import(site, store: RosterStore, paths: Sequence[str | Path], files: RosterFiles, dry_run: bool,  # noqa: ANN001, PLR0913
               replace: bool, errors_out: str | Path | None, progress: Progress | None, cancel: threading.Event | None,
               lang: str | None) -> ImportReport:
    """Read, check and (with no error, not a dry run) write through `store`; `site` gives the plan and the clock."""
    tick = progress or (lambda stage, done, total: None)
    report = ImportReport([str(p) for p in paths], dry_run=dry_run)
    # Keyed by each path as given: a content's own path is normalised (./a.xlsx reads as a.xlsx).
    contents: list[tuple[str, WorkbookContent]] = []
    digests, labels = {}, dict(zip(map(str, paths), file_labels(paths)))
    for index, path in enumerate(paths):
        tick("read", index, len(paths))
        try:
            content = files.read(index)
        except UnreadableFile as exc:
            report.problems.append(_file_problem(str(path), str(exc), "", "unreadable"))  # the refusal's sentence holds its fix
            continue
        contents.append((str(path), content))
        digests[Path(path).name] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        if cancel is not None and cancel.is_set():
            raise ImportCancelled()
    tick("read", len(paths), len(paths))
    parsed: ParsedRoster = parse_rosters(
        [(labels[given], c.sheets) for given, c in contents],
        sessions=site.plan.session_aliases(),
        today=site.clock.local().date(),
    )
    for given, content in contents:
        for note in content.notes:
            report.problems.append(Problem("note", labels[given], None, None, None, None, None, note, "", "reader-note"))
    report.problems.extend(localised(p) for p in parsed.problems)  # JSON and scripts read the process language
    tick("check", 0, 1)
    plan_rooms = {r.id: r for r in site.plan.rooms + site.plan.backup_rooms}
    tickets = set(map(_TICKET, parsed.entries))
    stored = store.stored(tickets, replace)
    report.problems.extend(_store_problems(stored, parsed.entries, replace, site, plan_rooms))
    existing = stored.existing
    if cancel is not None and cancel.is_set():
        raise ImportCancelled()
    report.candidates = len(tickets)
    report.rooms = sorted(set(map(_ROOM, parsed.entries)))
    changed = {e.ticket for e in parsed.entries if e.ticket in existing and _differs(existing[e.ticket], e)} if existing else set()
    report.added = len(tickets - existing.keys())
    report.updated = len(changed)
    report.unchanged = len(tickets & existing.keys()) - len(changed)
    report.dropped = len(existing.keys() - tickets) if replace else 0
    if report.errors:
        if errors_out:
            _write_marked_copies(report, paths, contents, labels, Path(errors_out),
                                 normalise_language(lang or site.plan.language, CHINESE))
        return report
    if dry_run:
        return report
    tick("write", 0, 1)
    store.write(parsed.entries, set(existing), existing.keys() - tickets if replace else set(), digests, report)
    tick("write", 1, 1)
    report.imported = True
    return report


def _write_marked_copies(report: ImportReport, paths: Sequence[str | Path], contents: list, labels: dict[str, str],
                         target: Path, lang: str) -> None:
    """One marked copy per input file that could be read, each under a name of its own, in `lang`."""
    from examops.adapters.excel_out.errors_workbook import write_errors_workbook

    read = dict(contents)
    for path, wished in zip(paths, copy_names(target, paths)):
        content = read.get(str(path))
        if content is None:
            report.marked_copies.append((str(path), None))
            continue
        label = labels[str(path)]
        own = [p for p in report.problems if p.file in (label, str(path))]
        written = write_new(wished, lambda out, content=content, own=own, label=label:
                            write_errors_workbook(content, own, out, file_label=label, lang=lang))
        report.errors_out.append(str(written))
        report.marked_copies.append((str(path), str(written)))


def _differs(row, entry: RosterEntry) -> bool:  # noqa: ANN001
    return (row.name, row.id_number, row.sex, row.site) != (entry.name, entry.id_number, entry.sex, entry.site)


def _expand_sessions(entries: Sequence[RosterEntry], session_ids: Sequence[str]):
    for entry in entries:
        for session in ([entry.session] if entry.session else session_ids):
            yield session, entry


def table_rows(entries: Sequence[RosterEntry], session_ids: Sequence[str]) -> tuple[list[tuple], list[tuple] | EverySession]:
    """The `candidates` rows (a ticket's first entry) and `seats` rows of a checked roster, each sorted.

    Rows in primary-key order append to the B-trees instead of splitting pages all over. Built column by column
    (zip and attrgetter, no Python code per row); a roster exported in ticket order sorts in one pass.
    """
    tickets = list(map(_TICKET, entries))
    if len(set(tickets)) == len(tickets):
        firsts = entries
    else:
        unique: dict[str, RosterEntry] = {}
        for entry in entries:
            unique.setdefault(entry.ticket, entry)
        firsts = list(unique.values())
        tickets = list(unique)
    ids = list(map(_ID_NUMBER, firsts))
    candidate_rows = sorted(zip(tickets, map(_NAME, firsts), ids, [number[-4:] for number in ids], map(_SEX, firsts),
                                map(_SITE, firsts)))
    if any(map(_SESSION, entries)):
        seat_rows = sorted((s, e.ticket, e.room, e.seat) for s, e in _expand_sessions(entries, session_ids))
        return candidate_rows, seat_rows
    # Every candidate sits every session: one sorted placement each, written to every session by the store.
    return candidate_rows, EverySession(session_ids, sorted(zip(map(_TICKET, entries), map(_ROOM, entries), map(_SEAT, entries))))


_TICKET, _NAME, _ID_NUMBER, _SEX, _SITE, _ROOM, _SEAT, _SESSION = map(
    attrgetter, ("ticket", "name", "id_number", "sex", "site", "room", "seat", "session"))


def _store_problems(stored: StoredRoster, entries: Sequence[RosterEntry], replace: bool, site, plan_rooms: dict) -> list[Problem]:  # noqa: ANN001
    """Conflicts between this roster and what the store already holds."""
    problems: list[Problem] = []
    tickets = set(map(_TICKET, entries))
    by_id = stored.by_id_number

    def at(entry: RosterEntry, field_name: str, value: str, message: Phrase, fix: str, code: str) -> Problem:
        return Problem("error", entry.file, entry.sheet, entry.row, entry.columns.get(field_name), None, value, message, fix, code)

    for entry in entries if by_id else ():  # a first import: no stored ID number to clash with
        owner = by_id.get(entry.id_number)
        if owner is not None and owner != entry.ticket and owner not in tickets:
            problems.append(at(entry, "id_number", entry.id_number,
                               said(N_("this ID number already belongs to ticket {ticket} in the store"), ticket=owner),
                               N_("Check both candidates; one ID number belongs to one ticket."), "id-in-store"))
    # Seats held by candidates this roster does not mention stay taken.
    kept = {}
    if not replace:
        for row in stored.seats:
            if row.ticket not in tickets:
                kept[(row.session_id, row.room_id, row.seat)] = row.ticket
    session_ids = [s.id for s in site.plan.sessions]
    planned_regular = {r.id for r in site.plan.rooms}  # when the plan lists rooms, the roster must use them

    def room_refused(room_id: str) -> bool:
        room = plan_rooms.get(room_id)
        return (room is None and bool(planned_regular) and room_id not in planned_regular) or (room is not None and room.kind != "regular")

    refused_rooms = {room for room in set(map(_ROOM, entries)) if room_refused(room)}
    # Row by row only when some seat is held or some room refused (a fresh import: neither); a room once per row.
    for entry in entries if kept or refused_rooms else ():
        for session in [entry.session] if entry.session else session_ids:
            holder = kept.get((session, entry.room, entry.seat))
            if holder is not None:
                problems.append(at(entry, "seat", str(entry.seat),
                                   said(N_("room {room} seat {seat} in session {session} is already taken by ticket {ticket} "
                                           "in the store"), room=entry.room, seat=entry.seat, session=session, ticket=holder),
                                   N_("Give this candidate a free seat, or import the whole corrected roster with --replace."),
                                   "seat-in-store"))
        if entry.room not in refused_rooms:
            continue
        room = plan_rooms.get(entry.room)
        if room is None:
            problems.append(at(entry, "room", entry.room, said(N_("room {room} is not one of the plan's [[rooms]]"), room=entry.room),
                               N_("Use a room the plan lists, or add it to the plan's [[rooms]] and run examops init again."),
                               "room-not-in-plan"))
        else:
            problems.append(at(entry, "room", entry.room,
                               said(N_("room {room} is a backup room of the plan, not a regular room") if room.kind == "backup"
                                    else N_("room {room} is an isolation room of the plan, not a regular room"), room=entry.room),
                               N_("Seat candidates in regular rooms; backup and isolation rooms are filled on the day."),
                               "room-is-backup"))
    if replace:
        for ticket in stored.mentioned:
                problems.append(Problem("error", entries[0].file if entries else "", None, None, None, None, ticket,
                                        said(N_("ticket {ticket} is missing from the new roster but the event log already "
                                                "mentions it"), ticket=ticket),
                                        N_("Keep this candidate in the roster: a candidate with recorded events cannot be "
                                           "dropped."), "drop-mentioned"))
    return problems


def roster_imported(device: str, digests: dict, report: ImportReport) -> Event:
    """The ROSTER_IMPORTED event of a checked roster (both stores log it, sealed and signed, with the tables' digests)."""
    return Event(new_event_id(), Kind.ROSTER_IMPORTED, format_utc(dt.datetime.now(dt.timezone.utc)), device, 0,
                 payload=RosterImported(files=digests, candidates=report.candidates, added=report.added,
                                        updated=report.updated, dropped=report.dropped).to_payload())


def new_rooms(entries: Sequence[RosterEntry], stored_rooms: set[str], plan: object) -> list[str]:
    """Rooms the roster names that neither the store nor the plan knows (stored as regular rooms)."""
    plan_room_ids = {r.id for r in plan.rooms + plan.backup_rooms}
    return sorted(set(map(_ROOM, entries)) - stored_rooms - plan_room_ids)


class SiteRosterStore:
    """The store of an open `Site` (SQLAlchemy: SQLite or PostgreSQL)."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def stored(self, tickets: Collection[str], replace: bool) -> StoredRoster:
        from examops.adapters.store import roster_queries as q

        with self.site.store.read() as conn:
            by_id = q.tickets_by_id_number(conn)
            seats = [] if replace else q.all_seats(conn)
            mentioned = []
            if replace:
                dropped = q.all_tickets(conn) - set(tickets)
                mentioned = q.tickets_in_log(conn, dropped) if dropped else []
            existing = q.candidates_by_ticket(conn)
        return StoredRoster(existing, by_id, seats, mentioned)

    def write(self, entries: Sequence[RosterEntry], existing: set[str], dropped: set[str], digests: dict,
              report: ImportReport) -> None:
        _write(self.site, entries, existing, dropped, digests, report)


def _write(site: Site, entries: Sequence[RosterEntry], existing: set[str], dropped: set[str], digests: dict,
           report: ImportReport) -> None:
    """Write the whole roster in one transaction; big imports rebuild secondary indexes after."""
    from examops.adapters.store import roster_queries as q
    from examops.services import ledger

    store = site.store
    session_ids = [s.id for s in site.plan.sessions]
    candidate_rows, seat_rows = table_rows(entries, session_ids)
    stale = sorted(({row[0] for row in candidate_rows} & existing) | dropped)  # rows to replace: only those already stored
    bulk = len(candidate_rows) >= BULK_THRESHOLD
    with store.write() as conn:
        from examops.services.table_edits import edits_since_record

        edits = edits_since_record(conn)  # before the import records the tables anew (`ledger.record_tables`)
        if edits is not None:
            from examops.services.site import SiteError

            raise SiteError(edits.refusal(site.clock, init=False))
        # Loaded into empty tables, the sorted rows are what the tables hold: digested (while the indexes are built)
        # without reading 150k rows back.
        _, loaded = q.write_roster(conn, stale=stale, candidate_rows=candidate_rows, seat_rows=seat_rows, bulk=bulk,
                                   meanwhile=partial(loaded_digests, candidate_rows, seat_rows) if store.is_sqlite else None)
        rooms = new_rooms(entries, q.room_ids(conn), site.plan)
        if rooms:
            q.add_regular_rooms(conn, rooms)
        store.append(conn, roster_imported(site.device("admin"), digests, report))
        ledger.record_tables(site, conn, "roster import", loaded=loaded)

