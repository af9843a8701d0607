"""Messages the workers post and the screens handle: small dataclasses named as facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

from textual.message import Message

from examops.domain.verdict import CandidateCard, Verdict
from examops.services.gate_view import LanePanels, RoomOverview

if TYPE_CHECKING:
    from examops.tui.photo_render import PreparedPhoto  # Pillow: loaded once a photo is drawn, not at start


@dataclass(frozen=True)
class ScanRequest:
    """One code for the lane to check, in the order staff gave them."""

    code: str
    outcome: str | None = None
    evidence: Mapping[str, str] = field(default_factory=dict)
    confirmed: bool = False
    """The staffer compared the face with the photo and pressed Enter: admit without waiting again."""


@dataclass(frozen=True)
class LeaveRequest:
    """An admitted candidate leaves (`final`: for good), in line with the scans."""

    code: str
    reason: str
    final: bool


@dataclass
class LeaveRecorded(Message):
    """The exit is in the log: `done` is the service's `ExitRecorded`."""

    request: LeaveRequest
    done: object


@dataclass
class LeaveRefused(Message):
    """The exit was refused (`key` says why: unknown, not_admitted, out, left…) or failed (`key` empty)."""

    request: LeaveRequest
    key: str
    error: str


@dataclass
class ScanRecorded(Message):
    """`Lane.check` returned: the verdict is durable (or says why it is not)."""

    request: ScanRequest
    verdict: Verdict


@dataclass
class ScanFailed(Message):
    """`Lane.check` raised: nothing may be assumed recorded."""

    request: ScanRequest
    error: str


@dataclass
class PanelsRefreshed(Message):
    """Fresh counters and recent scans for the gate's side panels (None: nothing changed since the last)."""

    panels: LanePanels | None


@dataclass
class PanelsFailed(Message):
    error: str


@dataclass
class CandidatesFound(Message):
    """Search results for `query`."""

    query: str
    cards: list[CandidateCard]


@dataclass
class SearchFailed(Message):
    query: str
    error: str


@dataclass
class RoomsCounted(Message):
    """Rooms with admitted/expected per session, for the roster overview."""

    rooms: list[RoomOverview]


@dataclass
class RoomsFailed(Message):
    error: str


@dataclass
class CasesLoaded(Message):
    """The session's exception cases (all, and as filtered) and its duplicate-scan alarms, for the review screen."""

    filters: dict[str, str]
    all_cases: list
    cases: list
    alarms: list[dict]
    record: object = None  # the chief's record (plan/PIN changes, overrides, refused PINs): a ChiefRecord


@dataclass
class CasesFailed(Message):
    error: str


@dataclass
class DecisionRecorded(Message):
    """A review action went through: `action` on `count` item(s); `detail` says what it did."""

    action: str
    count: int
    detail: str = ""


@dataclass
class DecisionRefused(Message):
    """A review action was refused (wrong PIN, chain order, missing seats) or failed; `done` went through before it."""

    action: str
    error: str
    done: int = 0
    missing_seats: dict[str, int] = field(default_factory=dict)


@dataclass
class ReallocationPlanned(Message):
    """The reallocation preview: who would move where, and the seats missing."""

    plan: object


@dataclass
class DocumentsWritten(Message):
    """Room documents written: the folder and the files, room by room."""

    out: str
    files: list[str]


@dataclass
class ChiefPinChecked(Message):
    """The PIN asked for before opening the review from a gate lane was checked."""

    accepted: bool
    error: str = ""


@dataclass
class FiltersChanged(Message):
    """The review's filter bar changed: the filters now chosen (code, status, lane, room)."""

    filters: dict[str, str]


# -- several lanes: live figures, offline lane, upload ---------------------


@dataclass
class StoreChanged(Message):
    """Events were stored since the last look (by another lane, or this one): time to recount."""


@dataclass
class LaneWentOffline(Message):
    """The shared store stopped answering: scans are recorded on this laptop until the upload."""

    reason: str
    pending: int


@dataclass
class OfflineQueueGrew(Message):
    """One more event recorded on this laptop while offline."""

    pending: int


@dataclass
class ServerProbed(Message):
    """Whether the shared store answered a ping while the lane was offline."""

    answered: bool


@dataclass
class QueueUploaded(Message):
    """The offline queue went up to the shared store; the lane is online again."""

    uploaded: int
    conflicts: int


@dataclass
class UploadFailed(Message):
    """The queue did not go up; it stays on this laptop and the upload is retried."""

    error: str
    pending: int


@dataclass
class OfflineCopyFailed(Message):
    """This laptop's offline copy could not be made or refreshed."""

    error: str


@dataclass
class RosterImportProgressed(Message):
    """The import reached a stage; a newer progress message replaces an older one."""

    stage: str
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RosterImportProgressed)


@dataclass
class RosterImported(Message):
    """The import service answered: imported, or refused with its problems."""

    report: object


@dataclass
class RosterImportFailed(Message):
    """The import could not run to an answer (cancelled, or the store failed)."""

    error: str


# -- the bureau report view -----------------------------------------------

from examops.domain.figures import SessionFigures  # noqa: E402


@dataclass
class FiguresComputed(Message):
    """A session's figures for the report view, as of `at` (site-local time)."""

    session_id: str
    figures: SessionFigures
    at: str


@dataclass
class FiguresFailed(Message):
    session_id: str
    error: str


@dataclass
class ReportBuildProgressed(Message):
    """The report build started a phase; a newer progress message replaces an older one."""

    phase: str
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ReportBuildProgressed)


@dataclass
class ReportBuilt(Message):
    """The signed workbook is saved: where, the key's fingerprint, the figures' digest, and its QR code as text."""

    out: str
    fingerprint: str
    figures_sha256: str
    qr_payload: str
    qr_blocks: str


@dataclass
class ReportBuildFailed(Message):
    """The build stopped without a report: refused, failed, or cancelled by staff."""

    error: str
    cancelled: bool = False


@dataclass
class PhotoPrepared(Message):
    """A worker read and prepared a candidate's photo (None: no photo on file, or `error` says why not)."""

    ticket: str
    prepared: PreparedPhoto | None
    error: str = ""
