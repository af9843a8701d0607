"""The figures of a session for the bureau, derived from folded candidate days.

Pure: the service hands in the roster's seats, each candidate's folded day,
the incidents and the voids; everything the report says comes from here, so
the numbers on screen, in JSON and in the workbook are the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from examops.domain.event_payloads import IncidentRecorded
from examops.domain.events import Event
from examops.domain.plan import Session
from examops.domain.state import CandidateDay

INCIDENT_KINDS = {
    "misconduct": ("违纪", "Misconduct"),
    "cheating": ("作弊", "Cheating"),
    "room_irregularity": ("考场异常", "Room irregularity"),
    "other": ("其他", "Other"),
}
INCIDENT_ALIASES = {zh: kind for kind, (zh, _) in INCIDENT_KINDS.items()}
SEVERITIES = ("low", "medium", "high")
ARRIVAL_BUCKET_MINUTES = 5


@dataclass(frozen=True, slots=True)
class SeatRecord:
    """One roster seat: who was expected where."""

    ticket: str
    name: str
    room: str
    seat: int


@dataclass
class RoomFigures:
    room: str
    expected: int = 0
    present: int = 0
    absent: list[SeatRecord] = field(default_factory=list)
    moved_out: list[dict] = field(default_factory=list)
    moved_in: list[dict] = field(default_factory=list)
    exceptions: list[dict] = field(default_factory=list)
    incidents: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "room": self.room, "expected": self.expected, "present": self.present, "absent": len(self.absent),
            "absentees": [{"seat": s.seat, "ticket": s.ticket, "name": s.name} for s in self.absent],
            "moved_out": self.moved_out, "moved_in": self.moved_in, "exceptions": self.exceptions, "incidents": self.incidents,
        }


@dataclass
class SessionFigures:
    session: str
    expected: int = 0
    present: int = 0
    absent: int = 0
    admitted_late: int = 0
    exceptions: int = 0
    exceptions_by_code: dict[str, int] = field(default_factory=dict)
    exceptions_by_status: dict[str, int] = field(default_factory=dict)
    approvals: int = 0
    reallocated: int = 0
    denied: int = 0
    incidents: int = 0
    incidents_by_kind: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    duplicate_admissions: int = 0
    conflicts: int = 0  # offline admissions that collided with another lane's
    left_early: int = 0  # admitted, then left for good before the end (present, no re-entry)
    voided: int = 0
    unresolved: int = 0
    arrivals: dict[str, int] = field(default_factory=dict)  # "08:05" -> admissions in that 5-minute bucket
    rooms: dict[str, RoomFigures] = field(default_factory=dict)
    reasons: list[ZeroIncidentReason] = field(default_factory=list)

    @property
    def zero_incident(self) -> bool:
        return not self.reasons

    def summary(self) -> dict:
        """The headline figures (what `--json` prints and the signature covers)."""
        return {
            "session": self.session, "expected": self.expected, "present": self.present, "absent": self.absent,
            "admitted_late": self.admitted_late, "exceptions": self.exceptions,
            "exceptions_by_code": dict(sorted(self.exceptions_by_code.items())),
            "exceptions_by_status": dict(sorted(self.exceptions_by_status.items())),
            "approvals": self.approvals, "reallocated": self.reallocated, "denied": self.denied,
            "incidents": self.incidents, "incidents_by_kind": dict(sorted(self.incidents_by_kind.items())),
            "duplicates": self.duplicates, "duplicate_admissions": self.duplicate_admissions,
            "conflicts": self.conflicts, "voided": self.voided, "left_early": self.left_early,
            "unresolved": self.unresolved, "zero_incident": self.zero_incident, "reasons": [str(r) for r in self.reasons],
        }


def _local(at: str, tz) -> dt.datetime:  # noqa: ANN001
    return dt.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(tz).replace(tzinfo=None)


def compute(
    session: Session,
    seats: Sequence[SeatRecord],
    days: Mapping[str, CandidateDay],
    incidents: Sequence[Event],
    voided: int,
    levels: Sequence[str],
    tz,  # noqa: ANN001 - a tzinfo for local times
    admissions_per_ticket: Mapping[str, int] | None = None,
) -> SessionFigures:
    """Every figure of one session; `days` holds only candidates with events."""
    figures = SessionFigures(session.id, expected=len(seats), voided=voided)
    rooms = figures.rooms
    home = {s.ticket: s for s in seats}
    for seat in seats:
        rooms.setdefault(seat.room, RoomFigures(seat.room)).expected += 1
    by_code: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    arrivals: Counter[str] = Counter()
    for ticket, day in days.items():
        figures.duplicates += len(day.duplicate_scans)
        figures.conflicts += len(day.conflicts)
        figures.left_early += day.left_for_good is not None
        for case in day.cases:
            status = case.status(levels)
            by_code[case.code] += 1
            by_status[status] += 1
            figures.approvals += len(case.approvals)
            if status in ("pending",) or (status == "approved" and case.seated_by is None and day.admission is None):
                figures.unresolved += 1
            record = {"ticket": ticket, "code": case.code, "action": case.action, "status": status}
            if ticket in home:
                rooms[home[ticket].room].exceptions.append(record)
        if day.status == "denied":
            figures.denied += 1
        if day.admission is None:
            continue
        figures.present += 1
        arrived_at = _local(_arrival(day), tz)
        if arrived_at > session.starts_at:
            figures.admitted_late += 1
        minute = arrived_at.minute - arrived_at.minute % ARRIVAL_BUCKET_MINUTES
        arrivals[f"{arrived_at.hour:02d}:{minute:02d}"] += 1
        room, seat = day.room, day.seat
        if room is not None:
            rooms.setdefault(room, RoomFigures(room)).present += 1
        origin = home.get(ticket)
        if origin is not None and room is not None and (room, seat) != (origin.room, origin.seat):
            move = {"ticket": ticket, "name": origin.name, "from_room": origin.room, "from_seat": origin.seat,
                    "room": room, "seat": seat, "via": day.placement.data.via}
            rooms[origin.room].moved_out.append(move)
            rooms[room].moved_in.append(move)
            if day.admission.data.via == "reallocation":
                figures.reallocated += 1
    for seat in seats:
        day = days.get(seat.ticket)
        if day is None or day.admission is None:
            rooms[seat.room].absent.append(seat)
    figures.absent = figures.expected - sum(1 for s in seats if s.ticket in days and days[s.ticket].admission is not None)
    figures.exceptions = sum(by_code.values())
    figures.exceptions_by_code = dict(by_code)
    figures.exceptions_by_status = dict(by_status)
    figures.arrivals = dict(sorted(arrivals.items()))
    kinds: Counter[str] = Counter()
    for event in incidents:
        incident = IncidentRecorded.from_event(event)
        kinds[incident.kind] += 1
        if incident.room:
            rooms.setdefault(incident.room, RoomFigures(incident.room)).incidents.append(
                {"kind": incident.kind, "ticket": event.ticket, "note": incident.note,
                 "severity": incident.severity, "at": event.at, "by": incident.by})
    figures.incidents = sum(kinds.values())
    figures.incidents_by_kind = dict(kinds)
    figures.duplicate_admissions = sum(n - 1 for n in (admissions_per_ticket or {}).values() if n > 1)
    figures.reasons = _reasons(figures)
    return figures


def _arrival(day: CandidateDay) -> str:
    """When an admitted candidate reached the gate: their first exception if they were held there, else the admission."""
    return day.cases[0].exception.at if day.cases else day.admission.at


class ZeroIncidentReason(str):
    """One thing between a session and 三零: a code and a count for the edge to word, and the signed record's English."""

    code: str
    count: int

    def __new__(cls, code: str, count: int) -> ZeroIncidentReason:
        reason = super().__new__(cls, REASON_RECORDS[code].format(count=count))
        reason.code, reason.count = code, count
        return reason


# The reasons as the report's Summary sheet records them (in every language: they are read back by the roll-up).
REASON_RECORDS = {
    "incidents": "{count} incident(s) recorded",
    "unresolved": "{count} exception(s) not decided or not seated",
    "duplicate_admissions": "{count} duplicate admission(s)",
    "conflicts": "{count} admission conflict(s) between lanes: check those candidates",
    "voided": "{count} voided event(s): a recorded outcome had to be corrected",
}


def _reasons(figures: SessionFigures) -> list[ZeroIncidentReason]:
    """What stands between this session and 零事故、零失误、零差错."""
    return [ZeroIncidentReason(code, getattr(figures, code)) for code in REASON_RECORDS if getattr(figures, code)]
