"""Import rosters: read every file, check everything, then write all of it or nothing.

Checks run in three rings: the file (readable, safe), the rows (domain
parsing), and the store (a ticket's ID, seats taken by candidates already
imported, candidates the event log mentions). Only a roster with no error
reaches the single write transaction.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import Callable, Sequence

from examops.adapters.store import roster_queries as q
from examops.adapters.store import utc_now
from examops.adapters.store.digests import loaded_digests
from examops.domain.event_payloads import RosterImported
from examops.domain.events import Event, Kind, new_event_id
from examops.domain.roster import N_, ParsedRoster, Phrase, Problem, RosterEntry, parse_rosters, said
from examops.i18n import CHINESE, normalise_language
from examops.i18n.roster_words import localised
from examops.services import ledger
from examops.services.bulk_work import cycle_collection_paused
from examops.services.marked_copies import copy_names, file_labels, write_new
from examops.services.roster_files import RosterFiles, UnreadableFile, WorkbookContent
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
            return _import(site, paths, files, dry_run, replace, errors_out, progress, cancel, lang)
    finally:
        files.close()


def _import(site: Site, paths: Sequence[str | Path], files: RosterFiles, dry_run: bool, replace: bool,
            errors_out: str | Path | None, progress: Progress | None, cancel: threading.Event | None,
            lang: str | None) -> ImportReport:
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
    with site.store.read() as conn:
        plan_rooms = {r.id: r for r in site.plan.rooms + site.plan.backup_rooms}
        report.problems.extend(_store_problems(conn, parsed.entries, replace, site, plan_rooms))
        tickets = set(map(_TICKET, parsed.entries))
        existing = q.candidates_by_ticket(conn)
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
    _write(site, parsed.entries, set(existing), existing.keys() - tickets if replace else set(), digests, report)
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


def _table_rows(entries: Sequence[RosterEntry], session_ids: Sequence[str]) -> tuple[list[tuple], list[tuple] | q.EverySession]:
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
    return candidate_rows, q.EverySession(session_ids, sorted(zip(map(_TICKET, entries), map(_ROOM, entries), map(_SEAT, entries))))


_TICKET, _NAME, _ID_NUMBER, _SEX, _SITE, _ROOM, _SEAT, _SESSION = map(
    attrgetter, ("ticket", "name", "id_number", "sex", "site", "room", "seat", "session"))


def _store_problems(conn, entries: Sequence[RosterEntry], replace: bool, site: Site, plan_rooms: dict) -> list[Problem]:  # noqa: ANN001
    """Conflicts between this roster and what the store already holds."""
    problems: list[Problem] = []
    tickets = set(map(_TICKET, entries))
    by_id = q.tickets_by_id_number(conn)

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
        for row in q.all_seats(conn):
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
        dropped = q.all_tickets(conn) - tickets
        if dropped:
            mentioned = q.tickets_in_log(conn, dropped)
            for ticket in mentioned:
                problems.append(Problem("error", entries[0].file if entries else "", None, None, None, None, ticket,
                                        said(N_("ticket {ticket} is missing from the new roster but the event log already "
                                                "mentions it"), ticket=ticket),
                                        N_("Keep this candidate in the roster: a candidate with recorded events cannot be "
                                           "dropped."), "drop-mentioned"))
    return problems


def _write(site: Site, entries: Sequence[RosterEntry], existing: set[str], dropped: set[str], digests: dict,
           report: ImportReport) -> None:
    """Write the whole roster in one transaction; big imports rebuild secondary indexes after."""
    store = site.store
    session_ids = [s.id for s in site.plan.sessions]
    candidate_rows, seat_rows = _table_rows(entries, session_ids)
    stale = sorted(({row[0] for row in candidate_rows} & existing) | dropped)  # rows to replace: only those already stored
    bulk = len(candidate_rows) >= BULK_THRESHOLD
    plan_room_ids = {r.id for r in site.plan.rooms + site.plan.backup_rooms}
    with store.write() as conn:
        # Loaded into empty tables, the sorted rows are what the tables hold: digested (while the indexes are built)
        # without reading 150k rows back.
        _, loaded = q.write_roster(conn, stale=stale, candidate_rows=candidate_rows, seat_rows=seat_rows, bulk=bulk,
                                   meanwhile=partial(loaded_digests, candidate_rows, seat_rows) if store.is_sqlite else None)
        new_rooms = sorted(set(map(_ROOM, entries)) - q.room_ids(conn) - plan_room_ids)
        if new_rooms:
            q.add_regular_rooms(conn, new_rooms)
        event = Event(new_event_id(), Kind.ROSTER_IMPORTED, utc_now(), site.device("admin"), 0, payload=RosterImported(
            files=digests, candidates=report.candidates, added=report.added, updated=report.updated, dropped=report.dropped,
        ).to_payload())
        store.append(conn, event)
        ledger.record_tables(site, conn, "roster import", loaded=loaded)

