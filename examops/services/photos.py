"""Registration photos: import a pack (all of it or nothing), find a candidate's photo, purge them all after the exam.

The bytes live in the store's `photos` table (so every lane on a shared PostgreSQL sees them), never
in bundles or reports; each import logs the SHA-256 of every photo it stored, so `verify` names a
photo swapped or edited behind the log. Checking reads each file once and keeps only its facts;
writing reads the chosen files again (a file changed in between refuses the whole import).
"""

from __future__ import annotations

import getpass
import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from examops.adapters.store import photo_queries as pq
from examops.adapters.store import roster_queries as rq
from examops.domain.event_payloads import PhotosImported, PhotosPurged
from examops.domain.events import Kind
from examops.domain.photo_pack import CandidateIndex, Named, PhotoProblem, assign, entry_stem, is_junk
from examops.domain.said import N_, said
from examops.services.site import Site, SiteError

if TYPE_CHECKING:
    from examops.adapters.photo_files import PhotoFacts
# Pillow (photo_files) is imported where a pack is read: a gate that only asks whether the site has photos starts without it.

Progress = Callable[[str, int, int], None]


class ImportCancelled(Exception):
    pass


def has_photos(site: Site) -> bool:
    """True when the site holds at least one photo (the gate then waits for the staffer's confirmation)."""
    with site.store.read() as conn:
        return pq.any_photo(conn)


def photo_for(site: Site, ticket: str) -> bytes | None:
    """The stored image bytes (JPEG or PNG) of the candidate's photo, or None."""
    with site.store.read() as conn:
        return pq.photo_data(conn, ticket)


def photos_for(site: Site, tickets: Sequence[str]) -> dict[str, bytes]:
    """Ticket → image bytes for those of `tickets` that have a photo."""
    with site.store.read() as conn:
        return pq.photo_data_of(conn, tickets)


def photo_counts(site: Site) -> dict[str, int]:
    """Candidates with and without a photo, and photos of tickets the roster no longer has."""
    with site.store.read() as conn:
        total, with_photo, orphaned = pq.counts(conn)
    return {"with_photo": with_photo, "without_photo": total - with_photo, "not_in_roster": orphaned}


@dataclass
class PhotoImportReport:
    """What an import found and did; `imported` is False whenever any error was found."""

    packs: list[str]
    files: int = 0
    skipped: int = 0
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    without_photo: list[str] = field(default_factory=list)
    problems: list[PhotoProblem] = field(default_factory=list)
    dry_run: bool = False
    imported: bool = False

    @property
    def errors(self) -> list[PhotoProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def photos(self) -> int:
        return len(self.added) + len(self.replaced) + len(self.unchanged)

    def to_json(self) -> dict:
        return {
            "packs": self.packs, "imported": self.imported, "dry_run": self.dry_run, "files": self.files,
            "skipped": self.skipped, "photos": self.photos, "added": len(self.added), "replaced": self.replaced,
            "unchanged": len(self.unchanged), "without_photo": self.without_photo,
            "errors": len(self.errors), "warnings": sum(1 for p in self.problems if p.severity == "warning"),
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass
class _Checked:
    named: list[Named] = field(default_factory=list)
    facts: dict[tuple[str, str], PhotoFacts] = field(default_factory=dict)
    packs: dict[str, str] = field(default_factory=dict)  # pack path → digest


def import_photos(site: Site, packs: Sequence[str | Path], *, dry_run: bool = False, by: str = "",
                  authorise: Callable[[], str | None] | None = None,
                  progress: Progress | None = None, cancel: threading.Event | None = None) -> PhotoImportReport:
    """Import photo packs (zips, folders, single images); nothing is written unless every file passes.

    Replacing a candidate's photo is how an impostor's face would get onto the gate's card: it needs the chief's
    PIN, asked of `authorise` only when a photo would be replaced (a wrong one is refused and logged).
    """
    tick = progress or (lambda stage, done, total: None)
    report = PhotoImportReport([str(p) for p in packs], dry_run=dry_run)
    with site.store.read() as conn:
        index = CandidateIndex((ticket, id_number) for id_number, ticket in rq.tickets_by_id_number(conn).items())
        stored = pq.photo_digests(conn)
    checked = _check(packs, index, report, tick, cancel)
    chosen, duplicates = assign(checked.named)
    report.problems.extend(duplicates)
    if not index.tickets:
        report.problems.append(PhotoProblem("error", "no-roster"))
    for ticket in sorted(chosen):
        item = chosen[ticket]
        digest = checked.facts[(item.pack, item.entry)].digest
        (report.added if ticket not in stored else report.unchanged if stored[ticket] == digest else report.replaced).append(ticket)
    report.without_photo = [t for t in index.tickets if t not in chosen and t not in stored]
    if report.without_photo and index.tickets:
        report.problems.append(PhotoProblem("warning", "no-photo", params={"count": len(report.without_photo)}))
    if report.errors or dry_run:
        return report
    if report.replaced and not _replacing_allowed(site, report, authorise, by):
        return report
    to_write = {t: chosen[t] for t in report.added + report.replaced}
    _write(site, to_write, checked, report, by or getpass.getuser(), tick, cancel)
    report.imported = True
    return report


def _replacing_allowed(site: Site, report: PhotoImportReport, authorise: Callable[[], str | None] | None, by: str) -> bool:
    pin = authorise() if authorise is not None else None
    if pin is None:
        report.problems.append(PhotoProblem("error", "replace-needs-pin", params={"count": len(report.replaced)}))
        return False
    if not site.check_pin(pin, who=by or getpass.getuser(), purpose="photos import: replace"):
        report.problems.append(PhotoProblem("error", "replace-wrong-pin", params={"count": len(report.replaced)}))
        return False
    return True


def _check(packs: Sequence[str | Path], index: CandidateIndex, report: PhotoImportReport, tick: Progress,
           cancel: threading.Event | None) -> _Checked:
    from examops.adapters import photo_files
    from examops.adapters.photo_files import PhotoFacts, Refused

    checked = _Checked()
    for pack_path in packs:
        name = str(pack_path)
        try:
            pack = photo_files.open_pack(pack_path)
        except Refused as exc:
            report.problems.append(PhotoProblem("error", exc.code, name, params=exc.params))
            continue
        with pack:
            checked.packs[Path(name).name] = pack.digest
            photos = [e for e in pack.entries if not is_junk(e.name)]
            report.skipped += len(pack.entries) - len(photos)
            report.files += len(photos)
            total = len(photos)
            for number, (entry, outcome) in enumerate(photo_files.probe_entries(pack, photos)):
                if number % 50 == 0:
                    tick("check", number, total)
                    if cancel is not None and cancel.is_set():
                        raise ImportCancelled()
                match = index.match(entry_stem(entry.name))
                facts = outcome if isinstance(outcome, PhotoFacts) else None
                if isinstance(outcome, Refused):
                    report.problems.append(PhotoProblem("error", outcome.code, name, entry.name, match.ticket, outcome.params))
                if match.ticket is None:
                    params = {"stem": entry_stem(entry.name), "tickets": list(match.candidates)}
                    code = "ambiguous-name" if match.how == "ambiguous" else "no-candidate"
                    report.problems.append(PhotoProblem("error", code, name, entry.name, None, params))
                elif facts is not None:
                    checked.named.append(Named(name, entry.name, match.ticket, match.how))
                    checked.facts[(name, entry.name)] = facts
            tick("check", total, total)
    return checked


def _write(site: Site, to_write: dict[str, Named], checked: _Checked, report: PhotoImportReport, by: str,
           tick: Progress, cancel: threading.Event | None) -> None:
    """One transaction: every new or replaced photo and the event recording their digests."""
    from examops.adapters import photo_files

    by_pack: dict[str, list[tuple[str, Named]]] = {}
    for ticket, item in sorted(to_write.items()):
        by_pack.setdefault(item.pack, []).append((ticket, item))
    done, total = 0, len(to_write)
    with site.store.write() as conn:
        for pack_name, items in by_pack.items():
            with photo_files.open_pack(pack_name) as pack:
                entries = {e.name: e for e in pack.entries}
                rows = []
                for ticket, item in items:
                    data = pack.read(entries[item.entry])
                    facts = checked.facts[(item.pack, item.entry)]
                    if hashlib.sha256(data).hexdigest() != facts.digest:
                        raise SiteError(said(N_("{pack}: {entry} changed while it was imported: nothing was imported"),
                                              pack=pack_name, entry=item.entry))
                    rows.append({"ticket": ticket, "format": facts.format, "width": facts.width, "height": facts.height,
                                 "digest": facts.digest, "source": item.entry, "data": data})
                    if len(rows) >= 200:
                        pq.write_photos(conn, rows)
                        done += len(rows)
                        rows = []
                        tick("write", done, total)
                        if cancel is not None and cancel.is_set():
                            raise ImportCancelled()
                pq.write_photos(conn, rows)
                done += len(rows)
        digests = {t: checked.facts[(n.pack, n.entry)].digest for t, n in sorted(to_write.items())}
        payload = PhotosImported(digests=digests, replaced=tuple(report.replaced), packs=checked.packs, by=by).to_payload()
        site.store.append(conn, site.system_event(Kind.PHOTOS_IMPORTED, payload))
    tick("write", total, total)


@dataclass(frozen=True)
class PurgeResult:
    removed: int
    reclaim_failure: str | None  # the photos are gone from the table, but the file or server kept their old pages


def purge_photos(site: Site, pin: str | None, *, by: str = "", reason: str = "") -> PurgeResult:
    """Remove every photo (the chief's PIN), recorded; then the store gives back the pages that held them."""
    who = by or getpass.getuser()
    if not site.check_pin(pin, who=who, purpose="photos purge"):
        raise SiteError(said(N_("wrong PIN: only the chief proctor can purge the photos (the attempt is logged)")))
    with site.store.write() as conn:
        removed = pq.purge_photos(conn)
        site.store.append(conn, site.system_event(Kind.PHOTOS_PURGED, PhotosPurged(removed=removed, by=who, reason=reason).to_payload()))
    return PurgeResult(removed, pq.reclaim_space(site.store))
