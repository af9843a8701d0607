"""Photo packs: which candidate a file is for, the limits a photo must keep, and the log's record of photos.

Exam offices export one JPEG per candidate named by ticket (准考证号) or ID number (身份证号); a
name that went through Excel may have lost its leading zeros, an ID's X may be lower case, the
extension any case. Problems carry a code and parameters; the edge chooses the words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from examops.domain.event_payloads import PhotosImported
from examops.domain.events import Kind

if TYPE_CHECKING:
    from examops.domain.events import Event

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")
MIN_SIDE = 80
"""Pixels: a registration photo is about 300 × 400; under this no face can be compared."""
MAX_PIXELS = 16_000_000
"""Width × height: a registration photo is a fraction of a megapixel, a phone photo 12; past this a file is a mistake
or a bomb (and a PNG this size already takes 64 MB to decode)."""
MAX_FILE_BYTES = 20 * 1024 * 1024
"""Bytes of one photo file (or one zip entry, as the zip declares it before anything is inflated)."""
MAX_ZIP_RATIO = 100
"""Inflated ÷ compressed size of a zip entry over 1 MiB: JPEG and PNG hardly compress, a bomb does."""
MAX_PACK_BYTES = 8 * 1024 * 1024 * 1024
"""What a whole zip declares it inflates to."""
MAX_PACK_ENTRIES = 200_000

_JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


@dataclass(frozen=True, slots=True)
class PhotoProblem:
    """One thing wrong with a pack, a file in it, or a candidate; `params` fill the words."""

    severity: str  # "error" stops the import; "warning" and "note" do not
    code: str
    pack: str = ""
    entry: str | None = None
    ticket: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"severity": self.severity, "code": self.code, "pack": self.pack, "entry": self.entry,
                "ticket": self.ticket, **dict(self.params)}


def is_junk(name: str) -> bool:
    """What file managers and zip tools leave beside the photos (skipped with a note, never an error)."""
    parts = name.replace("\\", "/").split("/")
    base = parts[-1]
    return "__MACOSX" in parts or base.lower() in _JUNK_NAMES or base.startswith(".")


def entry_stem(name: str) -> str:
    """The name a photo is known by: the file's base name without its image extension, trimmed."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    lower = base.lower()
    for suffix in PHOTO_SUFFIXES:
        if lower.endswith(suffix):
            return base[: -len(suffix)].strip()
    return base.rsplit(".", 1)[0].strip() if "." in base[1:] else base


def has_photo_suffix(name: str) -> bool:
    return name.lower().rstrip().endswith(PHOTO_SUFFIXES)


@dataclass(frozen=True, slots=True)
class Match:
    """Which ticket a stem names and how: "ticket", "ticket-zeros" (leading zeros lost), "id"; or why none."""

    ticket: str | None
    how: str  # ticket | ticket-zeros | id | none | ambiguous
    candidates: tuple[str, ...] = ()  # the tickets an ambiguous stem could be


class CandidateIndex:
    """The roster's tickets and ID numbers, for naming a photo file's candidate."""

    def __init__(self, people: Iterable[tuple[str, str]]) -> None:
        self.by_ticket: dict[str, str] = {}
        self.by_id: dict[str, str] = {}
        self.by_stripped: dict[str, list[str]] = {}
        for ticket, id_number in people:
            self.by_ticket[ticket.upper()] = ticket
            if id_number:
                self.by_id[id_number.upper()] = ticket
            self.by_stripped.setdefault(ticket.upper().lstrip("0"), []).append(ticket)

    @property
    def tickets(self) -> list[str]:
        return sorted(self.by_ticket.values())

    def match(self, stem: str) -> Match:
        key = stem.strip().upper()
        if not key:
            return Match(None, "none")
        if key in self.by_ticket:
            return Match(self.by_ticket[key], "ticket")
        if key in self.by_id:
            return Match(self.by_id[key], "id")
        if key.isdigit():
            found = self.by_stripped.get(key.lstrip("0"), [])
            if len(found) == 1:
                return Match(found[0], "ticket-zeros")
            if len(found) > 1:
                return Match(None, "ambiguous", tuple(sorted(found)))
        return Match(None, "none")


@dataclass(frozen=True, slots=True)
class Named:
    """A photo file that passed its own checks, with the candidate its name gives."""

    pack: str
    entry: str
    ticket: str
    how: str


def assign(named: Sequence[Named]) -> tuple[dict[str, Named], list[PhotoProblem]]:
    """One file per candidate: two files for one candidate are both refused, each naming the other."""
    by_ticket: dict[str, list[Named]] = {}
    for item in named:
        by_ticket.setdefault(item.ticket, []).append(item)
    chosen: dict[str, Named] = {}
    problems: list[PhotoProblem] = []
    for ticket, items in by_ticket.items():
        if len(items) == 1:
            chosen[ticket] = items[0]
            continue
        for item in items:
            others = [f"{o.pack}:{o.entry}" if o.pack != item.pack else o.entry for o in items if o is not item]
            problems.append(PhotoProblem("error", "two-files", item.pack, item.entry, ticket, {"others": others}))
    return chosen, problems


def recorded_photos(in_pos_order: Iterable[Event]) -> dict[str, tuple[str, Event]]:
    """Ticket → (digest, the event that recorded it), folding photo imports and purges in log order."""
    held: dict[str, tuple[str, Event]] = {}
    for event in in_pos_order:
        if event.kind == Kind.PHOTOS_IMPORTED:
            for ticket, digest in PhotosImported.from_event(event).digests.items():
                held[ticket] = (digest, event)
        elif event.kind == Kind.PHOTOS_PURGED:
            held.clear()
    return held


def photo_differences(recorded: Mapping[str, tuple[str, Event]], live: Mapping[str, str]) -> list[tuple[str, str, Event | None]]:
    """(ticket, what is wrong, the recording event): "differs", "missing" from the store, "unrecorded" by the log."""
    found: list[tuple[str, str, Event | None]] = []
    for ticket in sorted(set(recorded) | set(live)):
        if ticket not in live:
            found.append((ticket, "missing", recorded[ticket][1]))
        elif ticket not in recorded:
            found.append((ticket, "unrecorded", None))
        elif recorded[ticket][0] != live[ticket]:
            found.append((ticket, "differs", recorded[ticket][1]))
    return found
