"""Typed event payloads: one frozen record class per event kind.

The stored JSON is a payload's fields, exactly as the writers have always
stored them: a field made with `optional()` is left out while it is None, an
`Origin` is written as `from_room`/`from_seat`, everything else is always
written. So a payload written through these classes hashes as before, and
every payload in every existing store reads back: a key a class does not
know is kept in `extra` and written back, a key an older writer left out
reads as the field's default.

The classes are declared like keyword-only, frozen, slotted dataclasses, but `PayloadType` builds them:
`dataclasses` compiles an `__init__`, `__eq__` and `__repr__` per class, which for some thirty kinds was
most of what a one-shot `examops check` spent importing examops. One generic `__init__` reads the fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, ClassVar, Mapping, TypeVar

from examops.domain.events import Kind

if TYPE_CHECKING:
    from examops.domain.events import Event

P = TypeVar("P", bound="Payload")
_ORIGIN_KEYS = ("from_room", "from_seat")


class FieldSpec:
    """One field of a payload class: its name, its default (or a factory for one), whether None is left out."""

    __slots__ = ("name", "default", "factory", "omit_none")

    def __init__(self, default: Any = None, factory: Callable[[], Any] | None = None, omit_none: bool = False) -> None:
        self.name, self.default, self.factory, self.omit_none = "", default, factory, omit_none

    def initial(self) -> Any:
        return self.factory() if self.factory is not None else self.default


def field(*, default: Any = None, default_factory: Callable[[], Any] | None = None) -> Any:
    """A field whose default is made afresh for each payload (`default_factory`), as with dataclasses."""
    return FieldSpec(default, default_factory)


def optional(default: Any = None) -> Any:
    """A field some writers leave out: not written while it is None."""
    return FieldSpec(default, omit_none=True)


class PayloadType(type):
    """Makes a payload class from its annotated class attributes: fields in order (a base's first), slots for them."""

    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> PayloadType:  # noqa: N804
        fields = {f.name: f for base in reversed(bases) for f in getattr(base, "_fields", ())}
        own = []
        for attribute, annotation in namespace.get("__annotations__", {}).items():
            if str(annotation).startswith("ClassVar"):
                continue
            value = namespace.pop(attribute, None)
            spec = value if isinstance(value, FieldSpec) else FieldSpec(value)
            spec.name = attribute
            if attribute not in fields:
                own.append(attribute)
            fields[attribute] = spec
        namespace["__slots__"] = tuple(own)
        cls = super().__new__(mcls, name, bases, namespace)
        cls._fields = tuple(fields.values())
        cls._names = frozenset(fields) - {"extra"}
        return cls


class Record(metaclass=PayloadType):
    """Keyword-only, frozen: `__init__`, equality, hash and repr from the fields."""

    _fields: ClassVar[tuple[FieldSpec, ...]] = ()
    _names: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, **values: Any) -> None:
        put = object.__setattr__
        for spec in self._fields:
            value = values.pop(spec.name) if spec.name in values else spec.initial()
            put(self, spec.name, tuple(value) if isinstance(value, list) else value)  # JSON arrays: a frozen payload holds tuples
        if values:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword arguments: {', '.join(values)}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, spec.name) for spec in self._fields)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a payload is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a payload is frozen")

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle build it again through __init__ (it is frozen)
        return _rebuilt, (type(self), {spec.name: getattr(self, spec.name) for spec in self._fields})

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{spec.name}={getattr(self, spec.name)!r}' for spec in self._fields)})"


def _rebuilt(cls: type[Record], values: dict[str, Any]) -> Record:
    return cls(**values)


class Origin:
    """Where a candidate sat before the chief's decision placed them (stored as from_room/from_seat)."""

    __slots__ = ("room", "seat")

    def __init__(self, room: str | None = None, seat: int | None = None) -> None:
        object.__setattr__(self, "room", room)
        object.__setattr__(self, "seat", seat)

    __setattr__ = Record.__setattr__

    def __reduce__(self) -> tuple[Any, ...]:
        return Origin, (self.room, self.seat)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Origin:
            return NotImplemented
        return (self.room, self.seat) == (other.room, other.seat)

    def __hash__(self) -> int:
        return hash((self.room, self.seat))

    def __repr__(self) -> str:
        return f"Origin(room={self.room!r}, seat={self.seat!r})"


class Payload(Record):
    """What every payload has: the chief's override reason, and the keys this code does not know."""

    event_kind: ClassVar[str] = ""
    override: str | None = optional()  # recorded into a closed session: the chief's reason (ledger adds it)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_payload(cls: type[P], payload: Mapping[str, Any]) -> P:
        names = cls._names
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
        for spec in self._fields:
            value = getattr(self, spec.name)
            if spec.name == "extra" or (value is None and spec.omit_none):
                continue
            if isinstance(value, Origin):
                stored.update(from_room=value.room, from_seat=value.seat)
            elif spec.name != "origin":
                stored[spec.name] = list(value) if isinstance(value, tuple) else value
        return stored


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
    read_at: str | None = optional()  # when the scan was read, where in an earlier minute than `at` (the write)


class ExceptionRecorded(GateOutcome):
    event_kind = Kind.EXCEPTION


class Denied(GateOutcome):
    event_kind = Kind.DENIED


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
    read_at: str | None = optional()  # when the gate read the scan, where in an earlier minute than `at` (the write)


class Moved(Payload):
    """An admitted candidate put in another seat by hand."""

    event_kind = Kind.MOVED
    room: str | None = None
    seat: int | None = None
    origin: Origin | None = None
    via: str = "move"
    by: str = ""
    reason: str | None = optional()  # why the chief moved them (written by every move since it was asked for)


class DuplicateScan(Payload):
    """A scan of a candidate already admitted; names the first admission."""

    event_kind = Kind.DUPLICATE
    first_event: str | None = None
    first_lane: str | None = None  # None: admitted at the chief's desk (first_via says how, first_by who decided)
    first_at: str | None = None
    first_staff: str | None = optional()
    first_via: str | None = optional()
    first_by: str | None = optional()


class UnknownScan(Payload):
    event_kind = Kind.UNKNOWN
    scanned: str = ""  # an ID-shaped value is masked


class WrongSessionScan(Payload):
    event_kind = Kind.WRONG_SESSION


class Voided(Payload):
    """A correction: the target event no longer counts."""

    event_kind = Kind.VOIDED
    target: str = ""
    target_kind: str = ""
    reason: str = ""
    by: str = ""


class Approved(Payload):
    event_kind = Kind.APPROVED
    exception_id: str = ""
    level: str = ""
    by: str = ""
    note: str = ""
    recorded_by: str | None = None  # who typed it in, when the approver gave it by phone


class Rejected(Payload):
    event_kind = Kind.REJECTED
    exception_id: str = ""
    by: str = ""
    reason: str = ""
    level: str | None = None

    @property
    def remark(self) -> str:
        return self.reason


class Resolved(Payload):
    event_kind = Kind.RESOLVED
    exception_id: str = ""
    by: str = ""
    note: str = ""

    @property
    def remark(self) -> str:
        return self.note


class RoomOpened(Payload):
    event_kind = Kind.ROOM_OPENED
    room: str = ""
    name: str = ""
    capacity: int | None = None
    kind: str = ""
    by: str = ""


class IncidentRecorded(Payload):
    event_kind = Kind.INCIDENT
    room: str | None = None
    kind: str = ""
    note: str = ""
    severity: str = ""
    by: str = ""


class SessionClosed(Payload):
    event_kind = Kind.SESSION_CLOSED
    by: str = ""
    reason: str | None = optional()  # why it was closed before the session's end, when it was


class AdmissionConflict(Payload):
    """Two lanes admitted one candidate offline: which admission holds the seat, which is flagged."""

    event_kind = Kind.CONFLICT
    kept: str | None = None
    conflicting: str = ""
    kept_lane: str | None = None
    kept_at: str | None = None
    conflicting_lane: str | None = None
    conflicting_at: str | None = None


class RosterImported(Payload):
    event_kind = Kind.ROSTER_IMPORTED
    files: Mapping[str, str] = field(default_factory=dict)  # file name → SHA-256
    candidates: int = 0
    added: int = 0
    updated: int = 0
    dropped: int = 0


class PinRefused(Payload):
    event_kind = Kind.PIN_REFUSED
    who: str = ""
    purpose: str = ""


ALARM_RESOLUTIONS = ("double_read", "rescan", "incident")


class AlarmResolved(Payload):
    """The chief's finding on a duplicate-scan alarm or an admission conflict: a scanner double read, a mistaken
    re-scan, or a real incident; with a note."""

    event_kind = Kind.ALARM_RESOLVED
    target: str = ""  # the alarm's event id
    target_kind: str = ""
    resolution: str = ""  # one of ALARM_RESOLUTIONS
    note: str = ""
    by: str = ""


class PlanChanged(Payload):
    """`init` on a live store with the chief's PIN: the plan (and policy) digest before and after."""

    event_kind = Kind.PLAN_CHANGED
    old_digest: str = ""
    new_digest: str = ""
    by: str = ""


class PinChanged(Payload):
    """The chief's PIN was replaced, with the old PIN."""

    event_kind = Kind.PIN_CHANGED
    by: str = ""


class OverrideGranted(Payload):
    """The chief's PIN let a command record into closed sessions, for this reason."""

    event_kind = Kind.OVERRIDE_GRANTED
    reason: str = ""
    by: str = ""


class DeviceEnrolled(Payload):
    """The chief's PIN let a laptop's public key sign events for that laptop's device chains."""

    event_kind = Kind.DEVICE_ENROLLED
    public_key: str = ""
    laptop: str = ""
    role: str = "lane"  # "desk": the chief's desk, enrolled by init; it signs every later enrolment
    by: str = ""


class OutsideWindowScan(Payload):
    """A scan while the session's doors are not open (another day, too early, the paper over): no admission, no denial."""

    event_kind = Kind.OUTSIDE_WINDOW
    window: str = ""  # domain.windows: other_day, not_yet or ended
    opens_at: str = ""  # site-local, ISO 8601
    closes_at: str = ""
    scanned: str = ""  # set when no candidate was found; an ID-shaped value is masked


class Arrived(Payload):
    """A candidate the chief's desk seated (reallocation, move) passes a gate on the way to that seat."""

    event_kind = Kind.ARRIVED
    room: str | None = None
    seat: int | None = None
    placement: str | None = None  # the event that put them there


class Left(Payload):
    """An admitted candidate leaves: for a while (re-checked at the gate on return) or for good (no re-entry)."""

    event_kind = Kind.LEFT
    reason: str = ""
    final: bool = False
    room: str | None = None
    seat: int | None = None
    by: str = ""
    # for good before the plan's early_leave_minutes: the chief proctor who authorised it with the PIN (e.g. unwell)
    authorised_early_by: str | None = optional()


class DeviceRevoked(Payload):
    """The chief withdrew a key: events it signs after this one are refused."""

    event_kind = Kind.DEVICE_REVOKED
    public_key: str = ""
    reason: str = ""
    by: str = ""


class PlanSet(Payload):
    """What the plan, policy and roster tables were set to: digests `verify` recomputes from the live tables."""

    event_kind = Kind.PLAN_SET
    digests: Mapping[str, str] = field(default_factory=dict)  # part → SHA-256 of its canonical content
    reason: str = ""


class Returned(Payload):
    """Back through a gate after a temporary leave."""

    event_kind = Kind.RETURNED
    left_event: str | None = None
    room: str | None = None
    seat: int | None = None


class ReentryRefused(Payload):
    """A scan of a candidate who left for good."""

    event_kind = Kind.REENTRY_REFUSED
    left_event: str | None = None


class PhotosImported(Payload):
    """A photo pack stored: each photo's SHA-256, so `verify` names a photo swapped or edited behind the log."""

    event_kind = Kind.PHOTOS_IMPORTED
    digests: Mapping[str, str] = field(default_factory=dict)  # ticket → SHA-256 of the stored bytes (added or replaced)
    replaced: tuple[str, ...] = ()  # tickets whose earlier photo this import replaced
    packs: Mapping[str, str] = field(default_factory=dict)  # pack name → SHA-256 of a zip, or "folder"
    by: str = ""


class PhotosPurged(Payload):
    """Every photo removed from the store (after the exam: photos are personal data)."""

    event_kind = Kind.PHOTOS_PURGED
    removed: int = 0
    by: str = ""
    reason: str = ""


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
