"""Messages the workers post and the screens handle: small dataclasses named as facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from textual.message import Message

from examops.domain.verdict import CandidateCard, Verdict
from examops.services.gate_view import LanePanels, RoomOverview


@dataclass(frozen=True)
class ScanRequest:
    """One code for the lane to check, in the order staff gave them."""

    code: str
    outcome: str | None = None
    evidence: Mapping[str, str] = field(default_factory=dict)


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
    """Fresh counters and recent scans for the gate's side panels."""

    panels: LanePanels


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
