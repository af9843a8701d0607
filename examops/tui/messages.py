"""Messages the workers post and the screens handle: small records named as facts.

The requests are frozen dataclasses (values: compared, hashed). The messages are declared as dataclasses are, but
`message_class` makes them: `dataclasses` compiles an `__init__`, `__eq__` and `__repr__` for each class at every
start, some thirty classes here, a good part of what a lane spent importing its screen; one shared `__init__` reads
the fields instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import MISSING, Field, dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, TypeVar

from textual.message import Message

from examops.domain.verdict import CandidateCard, Verdict

if TYPE_CHECKING:
    from examops.domain.figures import SessionFigures  # the report's figures: not loaded for a lane
    from examops.services.gate_view import LanePanels, RoomOverview  # the store's queries: loaded after the first frame
    from examops.tui.photo_render import PreparedPhoto  # Pillow: loaded once a photo is drawn, not at start


M = TypeVar("M", bound=type)


def message_class(cls: M) -> M:
    """A Message with fields, as `@dataclass` would make it (the same arguments, defaults, equality and repr)."""
    fields = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if str(annotation).startswith("ClassVar"):
            continue
        default = cls.__dict__.get(name, MISSING)
        factory = MISSING
        if isinstance(default, Field):
            default, factory = default.default, default.default_factory
            if default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, default)
        fields.append((name, default, factory))
    cls._message_fields = (*getattr(cls, "_message_fields", ()), *fields)
    cls.__init__, cls.__eq__, cls.__repr__, cls.__hash__ = _init, _eq, _repr, None
    return cls


def _init(self: Message, *args: Any, **kwargs: Any) -> None:
    fields = type(self)._message_fields
    if len(args) > len(fields):
        raise TypeError(f"{type(self).__name__}() takes {len(fields)} arguments, {len(args)} given")
    for index, (name, default, factory) in enumerate(fields):
        if index < len(args):
            if name in kwargs:
                raise TypeError(f"{type(self).__name__}() got {name!r} twice")
            value = args[index]
        elif name in kwargs:
            value = kwargs.pop(name)
        elif factory is not MISSING:
            value = factory()
        elif default is not MISSING:
            value = default
        else:
            raise TypeError(f"{type(self).__name__}() missing {name!r}")
        self.__dict__[name] = value
    if kwargs:
        raise TypeError(f"{type(self).__name__}() got unexpected {', '.join(map(repr, kwargs))}")
    Message.__init__(self)  # Textual's own fields (__post_init__), as a dataclass's __init__ calls it


def _fields_of(message: Message) -> tuple:
    return tuple(getattr(message, name) for name, _default, _factory in message._message_fields)


def _eq(self: Message, other: object) -> bool:
    return _fields_of(self) == _fields_of(other) if other.__class__ is self.__class__ else NotImplemented


def _repr(self: Message) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name, _default, _factory in self._message_fields)
    return f"{type(self).__qualname__}({shown})"


@dataclass(frozen=True)
class ScanRequest:
    """One code for the lane to check, in the order staff gave them."""

    code: str
    outcome: str | None = None
    evidence: Mapping[str, str] = field(default_factory=dict)
    confirmed: bool = False
    """The staffer compared the face with the photo and pressed Enter: admit without waiting again."""
    at: float | None = None
    """When the scan's Enter arrived (monotonic seconds); None: made by a key handled just now."""
    read_at: dt.datetime | None = None
    """The same moment on the site's clock: the entry window judges the scan as of then, even after a wait."""


@dataclass(frozen=True)
class LeaveRequest:
    """An admitted candidate leaves (`final`: for good), in line with the scans; for good before the allowed time
    with the chief proctor who authorises it and the PIN they typed (the service checks it)."""

    code: str
    reason: str
    final: bool
    authorised_by: str = ""
    pin: str = field(default="", repr=False)


@message_class
class LeaveRecorded(Message):
    """The exit is in the log: `done` is the service's `ExitRecorded`."""

    request: LeaveRequest
    done: object


@message_class
class LeaveRefused(Message):
    """The exit was refused (`key` says why: unknown, not_admitted, out, left…) or failed (`key` empty)."""

    request: LeaveRequest
    key: str
    error: str


@message_class
class LaneReady(Message):
    """The lane worker opened the store and made the lane; `damage`: the quick check found the store damaged (every
    write is refused), else empty."""

    site: object
    damage: str = ""


@message_class
class LaneFailed(Message):
    """The store could not be opened after the first frame (a file replaced meanwhile…): the lane cannot run."""

    error: str


@message_class
class ScanRecorded(Message):
    """`Lane.check` returned: the verdict is durable (or says why it is not; `also`: the later scans of the same
    burst its failed commit left unrecorded too, shown on its card)."""

    request: ScanRequest
    verdict: Verdict
    also: tuple[tuple[ScanRequest, Verdict], ...] = ()

    @property
    def requests(self) -> tuple[ScanRequest, ...]:
        return (self.request, *(request for request, _verdict in self.also))

    @property
    def verdicts(self) -> tuple[Verdict, ...]:
        return (self.verdict, *(verdict for _request, verdict in self.also))


@message_class
class ScanFailed(Message):
    """`Lane.check` raised: nothing may be assumed recorded (`also`: the other scans of the same failed commit)."""

    request: ScanRequest
    error: str
    also: tuple[ScanRequest, ...] = ()

    @property
    def requests(self) -> tuple[ScanRequest, ...]:
        return (self.request, *self.also)


@message_class
class PanelsRefreshed(Message):
    """Fresh counters and recent scans for the gate's side panels (None: nothing changed since the last but the
    lane's own writes, already folded in place; `version` then the store's position now)."""

    panels: LanePanels | None
    session: str | None = None
    version: int | None = None
    folded: int | None = None  # how many own verdicts the screen had folded in when this was asked for


@message_class
class PanelsFailed(Message):
    error: str


@message_class
class CandidatesFound(Message):
    """Search results for `query`."""

    query: str
    cards: list[CandidateCard]


@message_class
class SearchFailed(Message):
    query: str
    error: str


@message_class
class RoomsCounted(Message):
    """Rooms with admitted/expected per session, for the roster overview."""

    rooms: list[RoomOverview]


@message_class
class RoomsFailed(Message):
    error: str


@message_class
class CasesLoaded(Message):
    """The session's exception cases (all, and as filtered) and its duplicate-scan alarms, for the review screen."""

    filters: dict[str, str]
    all_cases: list
    cases: list
    alarms: list[dict]
    record: object = None  # the chief's record (plan/PIN changes, overrides, refused PINs): a ChiefRecord


@message_class
class CasesFailed(Message):
    error: str


@message_class
class DecisionRecorded(Message):
    """A review action went through: `action` on `count` item(s); `detail` says what it did."""

    action: str
    count: int
    detail: str = ""


@message_class
class DecisionRefused(Message):
    """A review action was refused (wrong PIN, chain order, missing seats) or failed; `done` went through before it."""

    action: str
    error: str
    done: int = 0
    missing_seats: dict[str, int] = field(default_factory=dict)


@message_class
class ReallocationPlanned(Message):
    """The reallocation preview: who would move where, and the seats missing."""

    plan: object


@message_class
class DocumentsWritten(Message):
    """Room documents written: the folder and the files, room by room."""

    out: str
    files: list[str]


@message_class
class ChiefPinChecked(Message):
    """The PIN asked for before opening the review from a gate lane was checked."""

    accepted: bool
    error: str = ""


@message_class
class FiltersChanged(Message):
    """The review's filter bar changed: the filters now chosen (code, status, lane, room)."""

    filters: dict[str, str]


# -- several lanes: live figures, offline lane, upload ---------------------


@message_class
class StoreChanged(Message):
    """Events were stored since the last look (by another lane, or this one): time to recount."""


@message_class
class LaneWentOffline(Message):
    """The shared store stopped answering: scans are recorded on this laptop until the upload."""

    reason: str
    pending: int


@message_class
class OfflineQueueGrew(Message):
    """One more event recorded on this laptop while offline."""

    pending: int


@message_class
class ServerProbed(Message):
    """Whether the shared store answered a ping while the lane was offline."""

    answered: bool


@message_class
class QueueUploaded(Message):
    """The offline queue went up to the shared store; the lane is online again."""

    uploaded: int
    conflicts: int


@message_class
class UploadFailed(Message):
    """The queue did not go up; it stays on this laptop and the upload is retried."""

    error: str
    pending: int


@message_class
class OfflineCopyFailed(Message):
    """This laptop's offline copy could not be made or refreshed."""

    error: str


@message_class
class RosterImportProgressed(Message):
    """The import reached a stage; a newer progress message replaces an older one."""

    stage: str
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RosterImportProgressed)


@message_class
class RosterImported(Message):
    """The import service answered: imported, or refused with its problems."""

    report: object


@message_class
class RosterImportFailed(Message):
    """The import could not run to an answer (cancelled, or the store failed)."""

    error: str


# -- the bureau report view -----------------------------------------------


@message_class
class FiguresComputed(Message):
    """A session's figures for the report view, as of `at` (site-local time)."""

    session_id: str
    figures: SessionFigures
    at: str


@message_class
class FiguresFailed(Message):
    session_id: str
    error: str


@message_class
class ReportBuildProgressed(Message):
    """The report build started a phase; a newer progress message replaces an older one."""

    phase: str
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ReportBuildProgressed)


@message_class
class ReportBuilt(Message):
    """The signed workbook is saved: where, the key's fingerprint, the figures' digest, and its QR code as text."""

    out: str
    fingerprint: str
    figures_sha256: str
    qr_payload: str
    qr_blocks: str


@message_class
class ReportBuildFailed(Message):
    """The build stopped without a report: refused, failed, or cancelled by staff."""

    error: str
    cancelled: bool = False


@message_class
class PhotoPrepared(Message):
    """A worker read and prepared a candidate's photo (None: no photo on file, or `error` says why not);
    `request` numbers the ask it answers (a resize asks again: only the latest ask's answer is drawn)."""

    ticket: str
    prepared: PreparedPhoto | None
    error: str = ""
    request: int = 0


@message_class
class TamperChecked(Message):
    """The cheap tamper check's answer for the chief's screens: the findings (said in the site's language), or none."""

    findings: list[str]
    failed: str | None = None  # the check itself could not run: why
