"""A candidate's day in one session, derived only from events.

Nothing here is stored: every screen, command and report folds the events
about a (session, ticket) through `fold_day` and gets the same answer.
An exception opens a `Case`; approvals, a rejection or a resolution name the
case by its exception event id; an admission that names the case seats it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from examops.domain.event_payloads import (
    AdmissionConflict,
    Approved,
    ExceptionRecorded,
    Left,
    Voided,
    decided_exception,
)
from examops.domain.events import Event, Kind
from examops.domain.said import N_, NP_, Said, said

HELD_ACTIONS = ("hold", "backup_room", "isolation_room")
CASE_STATUSES = ("pending", "approved", "rejected", "resolved", "closed")
# A case's status in words: the review screen, the CLI and the chief's refusals name it so.
CASE_STATUS_WORDS = {"pending": N_("pending"), "approved": NP_("review.status.approved", "approved"),
                 "rejected": NP_("review.status.rejected", "rejected"), "resolved": NP_("review.status.resolved", "resolved"),
                 "closed": N_("closed"),
                 "denied": NP_("review.status.denied", "denied")}  # 已拒绝 beside the action's 禁止入场: fits 80 columns
# The usual levels of the approval chain in words; a plan's own level is shown as the plan names it.
APPROVAL_LEVEL_WORDS = {"chief": N_("chief proctor"), "deputy": N_("deputy chief"), "supervisor": N_("supervision group")}


def status_said(status: str) -> Said | str:
    """A case status for a sentence, in the site's language where it is shown."""
    words = CASE_STATUS_WORDS.get(status)
    return said(words) if words is not None else status


@dataclass
class Case:
    """One exception and everything decided about it."""

    exception: Event
    approvals: list[Event] = field(default_factory=list)
    rejection: Event | None = None
    resolution: Event | None = None
    seated_by: Event | None = None  # the admission that placed the candidate after approval
    closed_by: Event | None = None  # a later gate admission or a newer exception made this case moot

    @property
    def id(self) -> str:
        return self.exception.id

    @property
    def code(self) -> str:
        return ExceptionRecorded.from_event(self.exception).code or ""

    @property
    def action(self) -> str:
        return ExceptionRecorded.from_event(self.exception).action or ""

    def approved_levels(self) -> list[str]:
        return [str(Approved.from_event(a).level) for a in self.approvals]

    def next_level(self, levels: Sequence[str]) -> str | None:
        """The level whose sign-off is due, or None when the chain is complete."""
        done = self.approved_levels()
        for level in levels:
            if level not in done:
                return level
        return None

    def status(self, levels: Sequence[str]) -> str:
        if self.rejection is not None:
            return "rejected"
        if self.resolution is not None:
            return "resolved"
        if self.closed_by is not None:
            return "closed"
        return "approved" if self.next_level(levels) is None else "pending"

    @property
    def denied_at_gate(self) -> bool:
        """The gate denied entry on a later attempt: that closed the case and is what stands (the room record's 禁止入场)."""
        return self.closed_by is not None and self.closed_by.kind == Kind.DENIED

    @property
    def open(self) -> bool:
        """Still waiting for a decision or a seat."""
        return self.rejection is None and self.resolution is None and self.closed_by is None and self.seated_by is None


@dataclass
class CandidateDay:
    """Where a candidate stands in a session: expected, admitted, held or denied."""

    session: str
    ticket: str
    status: str = "expected"
    admission: Event | None = None
    placement: Event | None = None  # the admission or the latest move: where they sit now
    denial: Event | None = None
    cases: list[Case] = field(default_factory=list)
    duplicate_scans: list[Event] = field(default_factory=list)
    voided_admissions: int = 0
    conflicts: list[Event] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)
    awaiting_arrival: bool = False  # the chief's desk placed them and no gate has seen them since
    out: Event | None = None  # a temporary leave not yet back through a gate
    left_for_good: Event | None = None  # an early leave: no re-entry

    @property
    def present(self) -> bool:
        """Admitted and in the building now (not out on a temporary leave, not gone for good)."""
        return self.admitted and self.out is None and self.left_for_good is None

    @property
    def state(self) -> str:
        """The candidate's state as staff say it: expected, admitted, held, denied, out (temporary leave), left."""
        if self.left_for_good is not None:
            return "left"
        if self.out is not None:
            return "out"
        return self.status

    @property
    def admitted(self) -> bool:
        return self.admission is not None

    @property
    def open_case(self) -> Case | None:
        return next((c for c in reversed(self.cases) if c.open), None)

    @property
    def open_exception(self) -> Event | None:
        case = self.open_case
        return case.exception if case and self.admission is None else None

    @property
    def room(self) -> str | None:
        return self.placement.data.room if self.placement else None

    @property
    def seat(self) -> int | None:
        return self.placement.data.seat if self.placement else None


def voided_targets(events: Iterable[Event]) -> set[str]:
    return {Voided.from_event(e).target for e in events if e.kind == Kind.VOIDED}


def fold_day(session: str, ticket: str, events: Iterable[Event]) -> CandidateDay:
    """Fold the events about one candidate in one session (in log order)."""
    ordered = list(events)
    if len(ordered) == 1 and ordered[0].kind == Kind.ADMITTED:
        # Most candidates' day is one clean admission: the same answer without the fold's bookkeeping.
        only = ordered[0]
        return CandidateDay(session, ticket, "admitted", admission=only, placement=only, timeline=ordered,
                            awaiting_arrival=only.lane is None)  # seated at the chief's desk: a gate has not seen them yet
    voided = voided_targets(ordered)
    # An offline lane's admission that collided with another lane's: kept in the log, flagged, not the seat.
    conflicting = {AdmissionConflict.from_event(e).conflicting for e in ordered if e.kind == Kind.CONFLICT}
    day = CandidateDay(session, ticket, timeline=ordered)
    cases: dict[str, Case] = {}
    for event in ordered:
        if event.kind == Kind.VOIDED:
            if Voided.from_event(event).target_kind == Kind.ADMITTED:
                day.voided_admissions += 1
            continue
        if event.id in voided or event.id in conflicting:
            continue
        data = event.data
        case = cases.get(decided_exception(data) or "")
        if event.kind == Kind.ADMITTED:
            day.admission = day.placement = event
            day.status = "admitted"
            day.denial = None
            day.awaiting_arrival = event.lane is None
            if case is not None:
                case.seated_by = event
            else:  # admitted at the gate (e.g. a normal re-test): open cases are moot
                for other in day.cases:
                    if other.open:
                        other.closed_by = event
        elif event.kind == Kind.MOVED and day.admission is not None:
            day.placement = event
            day.awaiting_arrival = True
        elif event.kind in (Kind.ARRIVED, Kind.RETURNED):
            day.awaiting_arrival = False
            day.out = None
        elif event.kind == Kind.LEFT and day.admission is not None:
            if Left.from_event(event).final:
                day.left_for_good = event
            else:
                day.out = event
        elif event.kind == Kind.EXCEPTION and day.admission is not None:
            # raised after admission (an item at the detector, a later ID doubt): the chief decides, the admission stands
            after = Case(event)
            cases[event.id] = after
            day.cases.append(after)
        elif event.kind == Kind.EXCEPTION and day.admission is None:
            for other in day.cases:
                if other.open:
                    other.closed_by = event
            new_case = Case(event)
            cases[event.id] = new_case
            day.cases.append(new_case)
            day.denial = None
            day.status = "held" if data.action in HELD_ACTIONS else day.status
        elif event.kind == Kind.APPROVED and case is not None:
            case.approvals.append(event)
        elif event.kind == Kind.REJECTED and case is not None:
            case.rejection = event
            if day.admission is None:
                day.denial, day.status = event, "denied"
        elif event.kind == Kind.RESOLVED and case is not None:
            case.resolution = event
        elif event.kind == Kind.DENIED and day.admission is None:
            for other in day.cases:
                if other.open:
                    other.closed_by = event
            day.denial = event
            day.status = "denied"
        elif event.kind == Kind.DUPLICATE:
            day.duplicate_scans.append(event)
        elif event.kind == Kind.CONFLICT:
            day.conflicts.append(event)
    if day.admission is None and day.denial is None:
        day.status = "held" if day.open_case is not None else "expected"
    return day
