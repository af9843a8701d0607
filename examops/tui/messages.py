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
