"""A candidate's day in one session, derived only from events.

Nothing here is stored: every screen, command and report folds the events
about a (session, ticket) through `fold_day` and gets the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from examops.domain.events import Event, Kind

HELD_ACTIONS = ("hold", "backup_room", "isolation_room")


@dataclass
class CandidateDay:
    """Where a candidate stands in a session: expected, admitted, held or denied."""

    session: str
    ticket: str
    status: str = "expected"
    admission: Event | None = None
    open_exception: Event | None = None
    denial: Event | None = None
    exceptions: list[Event] = field(default_factory=list)
    duplicate_scans: list[Event] = field(default_factory=list)
    voided_admissions: int = 0
    timeline: list[Event] = field(default_factory=list)

    @property
    def admitted(self) -> bool:
        return self.admission is not None

    @property
    def room(self) -> str | None:
        return self.admission.payload.get("room") if self.admission else None

    @property
    def seat(self) -> int | None:
        return self.admission.payload.get("seat") if self.admission else None


def voided_targets(events: Iterable[Event]) -> set[str]:
    return {str(e.payload.get("target")) for e in events if e.kind == Kind.VOIDED}


def fold_day(session: str, ticket: str, events: Iterable[Event]) -> CandidateDay:
    """Fold the events about one candidate in one session (in log order)."""
    ordered = list(events)
    voided = voided_targets(ordered)
    day = CandidateDay(session, ticket, timeline=ordered)
    for event in ordered:
        if event.kind == Kind.VOIDED:
            if event.payload.get("target_kind") == Kind.ADMITTED:
                day.voided_admissions += 1
            continue
        if event.id in voided:
            continue
        if event.kind == Kind.ADMITTED:
            day.admission = event
            day.status = "admitted"
            day.open_exception = None
        elif event.kind == Kind.EXCEPTION and day.admission is None:
            day.exceptions.append(event)
            if event.payload.get("action") in HELD_ACTIONS:
                day.open_exception = event
                day.status = "held"
        elif event.kind == Kind.DENIED and day.admission is None:
            day.denial = event
            day.open_exception = None
            day.status = "denied"
        elif event.kind == Kind.DUPLICATE:
            day.duplicate_scans.append(event)
    return day
