"""Typed event payloads: one frozen dataclass per event kind.

The stored JSON is a dataclass's fields, exactly as the writers have always
stored them: a field made with `optional()` is left out while it is None, an
`Origin` is written as `from_room`/`from_seat`, everything else is always
written. So a payload written through these classes hashes as before, and
every payload in every existing store reads back: a key a class does not
know is kept in `extra` and written back, a key an older writer left out
reads as the field's default.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Mapping, TypeVar

from examops.domain.events import Kind

if TYPE_CHECKING:
    from examops.domain.events import Event

P = TypeVar("P", bound="Payload")
_OMIT_NONE = {"omit_none": True}
_ORIGIN_KEYS = ("from_room", "from_seat")


def optional(default: Any = None) -> Any:
    """A field some writers leave out: not written while it is None."""
    return field(default=default, metadata=_OMIT_NONE)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a candidate sat before the chief's decision placed them (stored as from_room/from_seat)."""

    room: str | None = None
    seat: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Payload:
    """What every payload has: the chief's override reason, and the keys this code does not know."""

    event_kind: ClassVar[str] = ""
    override: str | None = optional()  # recorded into a closed session: the chief's reason (ledger adds it)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # JSON arrays arrive as lists; a frozen payload holds tuples
            value = getattr(self, f.name)
            if isinstance(value, list):
                object.__setattr__(self, f.name, tuple(value))

    @classmethod
    def from_payload(cls: type[P], payload: Mapping[str, Any]) -> P:
        names = _field_names(cls)
        values = {name: payload[name] for name in names if name in payload}
        if "origin" in names and any(key in payload for key in _ORIGIN_KEYS):
            values["origin"] = Origin(payload.get("from_room"), payload.get("from_seat"))
        known = names | (set(_ORIGIN_KEYS) if "origin" in names else set())
        extra = {key: value for key, value in payload.items() if key not in known}
        return cls(**values, extra=extra)

    @classmethod
    def from_event(cls: type[P], event: Event) -> P:
        if cls.event_kind and event.kind != cls.event_kind:
            raise ValueError(f"event {event.id} is {event.kind!r}, not {cls.event_kind!r}")
        return cls.from_payload(event.payload)

    def to_payload(self) -> dict[str, Any]:
        """The payload as stored: the same keys and values the writers have always written."""
        stored = dict(self.extra)
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "extra" or (value is None and f.metadata.get("omit_none")):
                continue
            if isinstance(value, Origin):
                stored.update(from_room=value.room, from_seat=value.seat)
            elif f.name != "origin":
                stored[f.name] = list(value) if isinstance(value, tuple) else value
        return stored


@functools.cache
def _field_names(cls: type[Payload]) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls) if f.name != "extra")


@dataclass(frozen=True, slots=True, kw_only=True)
class GateOutcome(Payload):
    """A lane's screening of a candidate: the code chosen, what it leads to, the evidence, the seat."""

    code: str = ""
    action: str = ""
    reason: str = ""
    evidence: Mapping[str, str] = field(default_factory=dict)
    room: str | None = None
    seat: int | None = None
    via: str = ""  # how the candidate was found: "ticket" or "id_number"
    missing: tuple[str, ...] | None = optional()  # evidence still needed; written only when some is
    after_admission: bool | None = optional()  # raised about a candidate already admitted: the admission stands


@dataclass(frozen=True, slots=True, kw_only=True)
class ExceptionRecorded(GateOutcome):
    event_kind = Kind.EXCEPTION


@dataclass(frozen=True, slots=True, kw_only=True)
class Denied(GateOutcome):
    event_kind = Kind.DENIED


@dataclass(frozen=True, slots=True, kw_only=True)
class Admitted(Payload):
    """An admission: at the gate (a screening), or by the chief's decision (an exception, an origin)."""

    event_kind = Kind.ADMITTED
    room: str | None = None
    seat: int | None = None
    via: str = ""  # "ticket"/"id_number" at the gate; "approval", "resolve", "reallocation", "move" by the chief
    code: str | None = optional()
    action: str | None = optional()
    reason: str | None = optional()
    evidence: Mapping[str, str] | None = optional()
    missing: tuple[str, ...] | None = optional()
    exception_id: str | None = optional()  # the case this admission seats
    origin: Origin | None = None  # None for a gate admission
    by: str | None = optional()


@dataclass(frozen=True, slots=True, kw_only=True)
class Moved(Payload):
    """An admitted candidate put in another seat by hand."""

    event_kind = Kind.MOVED
    room: str | None = None
    seat: int | None = None
    origin: Origin | None = None
    via: str = "move"
    by: str = ""
    reason: str | None = optional()  # why the chief moved them (written by every move since it was asked for)


@dataclass(frozen=True, slots=True, kw_only=True)
class DuplicateScan(Payload):
    """A scan of a candidate already admitted; names the first admission."""

    event_kind = Kind.DUPLICATE
    first_event: str | None = None
    first_lane: str | None = None  # None: admitted at the chief's desk (first_via says how, first_by who decided)
    first_at: str | None = None
    first_staff: str | None = optional()
    first_via: str | None = optional()
    first_by: str | None = optional()


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownScan(Payload):
    event_kind = Kind.UNKNOWN
    scanned: str = ""  # an ID-shaped value is masked


@dataclass(frozen=True, slots=True, kw_only=True)
class WrongSessionScan(Payload):
    event_kind = Kind.WRONG_SESSION


@dataclass(frozen=True, slots=True, kw_only=True)
class Voided(Payload):
    """A correction: the target event no longer counts."""

    event_kind = Kind.VOIDED
    target: str = ""
    target_kind: str = ""
    reason: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Approved(Payload):
    event_kind = Kind.APPROVED
    exception_id: str = ""
    level: str = ""
    by: str = ""
    note: str = ""
    recorded_by: str | None = None  # who typed it in, when the approver gave it by phone


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejected(Payload):
    event_kind = Kind.REJECTED
    exception_id: str = ""
    by: str = ""
    reason: str = ""
    level: str | None = None

    @property
    def remark(self) -> str:
        return self.reason


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolved(Payload):
    event_kind = Kind.RESOLVED
    exception_id: str = ""
    by: str = ""
    note: str = ""

    @property
    def remark(self) -> str:
        return self.note


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomOpened(Payload):
    event_kind = Kind.ROOM_OPENED
    room: str = ""
    name: str = ""
    capacity: int | None = None
    kind: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentRecorded(Payload):
    event_kind = Kind.INCIDENT
    room: str | None = None
    kind: str = ""
    note: str = ""
    severity: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionClosed(Payload):
    event_kind = Kind.SESSION_CLOSED
    by: str = ""
    reason: str | None = optional()  # why it was closed before the session's end, when it was


@dataclass(frozen=True, slots=True, kw_only=True)
class AdmissionConflict(Payload):
    """Two lanes admitted one candidate offline: which admission holds the seat, which is flagged."""

    event_kind = Kind.CONFLICT
    kept: str | None = None
    conflicting: str = ""
    kept_lane: str | None = None
    kept_at: str | None = None
    conflicting_lane: str | None = None
    conflicting_at: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RosterImported(Payload):
    event_kind = Kind.ROSTER_IMPORTED
    files: Mapping[str, str] = field(default_factory=dict)  # file name → SHA-256
    candidates: int = 0
    added: int = 0
    updated: int = 0
    dropped: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class PinRefused(Payload):
    event_kind = Kind.PIN_REFUSED
    who: str = ""
    purpose: str = ""


ALARM_RESOLUTIONS = ("double_read", "rescan", "incident")


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmResolved(Payload):
    """The chief's finding on a duplicate-scan alarm or an admission conflict: a scanner double read, a mistaken
    re-scan, or a real incident; with a note."""

    event_kind = Kind.ALARM_RESOLVED
    target: str = ""  # the alarm's event id
    target_kind: str = ""
    resolution: str = ""  # one of ALARM_RESOLUTIONS
    note: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanChanged(Payload):
    """`init` on a live store with the chief's PIN: the plan (and policy) digest before and after."""

    event_kind = Kind.PLAN_CHANGED
    old_digest: str = ""
    new_digest: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PinChanged(Payload):
    """The chief's PIN was replaced, with the old PIN."""

    event_kind = Kind.PIN_CHANGED
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class OverrideGranted(Payload):
    """The chief's PIN let a command record into closed sessions, for this reason."""

    event_kind = Kind.OVERRIDE_GRANTED
    reason: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceEnrolled(Payload):
    """The chief's PIN let a laptop's public key sign events for that laptop's device chains."""

    event_kind = Kind.DEVICE_ENROLLED
    public_key: str = ""
    laptop: str = ""
    role: str = "lane"  # "desk": the chief's desk, enrolled by init; it signs every later enrolment
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class OutsideWindowScan(Payload):
    """A scan while the session's doors are not open (another day, too early, the paper over): no admission, no denial."""

    event_kind = Kind.OUTSIDE_WINDOW
    window: str = ""  # domain.windows: other_day, not_yet or ended
    opens_at: str = ""  # site-local, ISO 8601
    closes_at: str = ""
    scanned: str = ""  # set when no candidate was found; an ID-shaped value is masked


@dataclass(frozen=True, slots=True, kw_only=True)
class Arrived(Payload):
    """A candidate the chief's desk seated (reallocation, move) passes a gate on the way to that seat."""

    event_kind = Kind.ARRIVED
    room: str | None = None
    seat: int | None = None
    placement: str | None = None  # the event that put them there


@dataclass(frozen=True, slots=True, kw_only=True)
class Left(Payload):
    """An admitted candidate leaves: for a while (re-checked at the gate on return) or for good (no re-entry)."""

    event_kind = Kind.LEFT
    reason: str = ""
    final: bool = False
    room: str | None = None
    seat: int | None = None
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceRevoked(Payload):
    """The chief withdrew a key: events it signs after this one are refused."""

    event_kind = Kind.DEVICE_REVOKED
    public_key: str = ""
    reason: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanSet(Payload):
    """What the plan, policy and roster tables were set to: digests `verify` recomputes from the live tables."""

    event_kind = Kind.PLAN_SET
    digests: Mapping[str, str] = field(default_factory=dict)  # part → SHA-256 of its canonical content
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Returned(Payload):
    """Back through a gate after a temporary leave."""

    event_kind = Kind.RETURNED
    left_event: str | None = None
    room: str | None = None
    seat: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReentryRefused(Payload):
    """A scan of a candidate who left for good."""

    event_kind = Kind.REENTRY_REFUSED
    left_event: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PhotosImported(Payload):
    """A photo pack stored: each photo's SHA-256, so `verify` names a photo swapped or edited behind the log."""

    event_kind = Kind.PHOTOS_IMPORTED
    digests: Mapping[str, str] = field(default_factory=dict)  # ticket → SHA-256 of the stored bytes (added or replaced)
    replaced: tuple[str, ...] = ()  # tickets whose earlier photo this import replaced
    packs: Mapping[str, str] = field(default_factory=dict)  # pack name → SHA-256 of a zip, or "folder"
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PhotosPurged(Payload):
    """Every photo removed from the store (after the exam: photos are personal data)."""

    event_kind = Kind.PHOTOS_PURGED
    removed: int = 0
    by: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Unrecognised(Payload):
    """A kind this code does not know (a newer writer's): every key is kept in `extra`."""


PAYLOAD_TYPES: dict[str, type[Payload]] = {cls.event_kind: cls for cls in (
    Admitted, ExceptionRecorded, Denied, DuplicateScan, UnknownScan, WrongSessionScan, Voided, Approved, Rejected,
    Resolved, Moved, RoomOpened, IncidentRecorded, SessionClosed, AdmissionConflict, RosterImported, PinRefused,
    PlanChanged, PinChanged, OverrideGranted, AlarmResolved, DeviceEnrolled, DeviceRevoked, PlanSet,
    OutsideWindowScan, Arrived, Left, Returned, ReentryRefused, PhotosImported, PhotosPurged)}


def with_override(payload: Mapping[str, Any], reason: str) -> dict[str, Any]:
    """A payload recorded into a closed session: every stored key as it was, and the chief's reason."""
    return {**payload, "override": reason}


def decided_exception(payload: Payload) -> str | None:
    """The exception case an approval, rejection, resolution or admission names, if any."""
    if isinstance(payload, (Approved, Rejected, Resolved, Admitted)):
        return payload.exception_id or None
    return None


def payload_of(event: Event) -> Payload:
    """The event's payload, typed by its kind."""
    return PAYLOAD_TYPES.get(event.kind, Unrecognised).from_payload(event.payload)
