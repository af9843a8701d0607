"""The figures of a session for the bureau, derived from folded candidate days.

Pure: the service hands in the roster's seats, each candidate's folded day,
the incidents and the voids; everything the report says comes from here, so
the numbers on screen, in JSON and in the workbook are the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping, NamedTuple, Sequence

from examops.domain.event_payloads import IncidentRecorded
from examops.domain.events import Event
from examops.domain.plan import Session
from examops.domain.state import CandidateDay, Case

INCIDENT_KINDS = {
    "misconduct": ("违纪", "Misconduct"),
    "cheating": ("作弊", "Cheating"),
    "room_irregularity": ("考场异常", "Room irregularity"),
    "other": ("其他", "Other"),
}
INCIDENT_ALIASES = {zh: kind for kind, (zh, _) in INCIDENT_KINDS.items()}
SEVERITIES = ("low", "medium", "high")
ARRIVAL_BUCKET_MINUTES = 5
ONE_MINUTE = dt.timedelta(minutes=1)


class SeatRecord(NamedTuple):
    """One roster seat: who was expected where (a named tuple: a 50k roster's are made from its rows at once)."""

    ticket: str
    name: str
    room: str
    seat: int


@dataclass
class RoomFigures:
    """One room's row, as its proctors count it. `rostered` (原编排) are the roster's seats here; a candidate placed
    elsewhere is in `moved_out` (调出) here and `moved_in` (调入) there. 应到 is who should sit here now and 实到 who
    does, so a row adds up twice, 应到 = 原编排 − 调出 + 调入 = 实到 + 缺考 + 未到, and the rooms add up to the session."""

    room: str
    rostered: int = 0
    stayed: int = 0  # the room's own candidates sitting in it
    absent: list[SeatRecord] = field(default_factory=list)  # 缺考: entry has closed and they are not in
    not_arrived: list[SeatRecord] = field(default_factory=list)  # 未到: entry is still open
    moved_out: list[dict] = field(default_factory=list)
    moved_in: list[dict] = field(default_factory=list)  # every placement is an admission: all of them present
    exceptions: list[dict] = field(default_factory=list)  # one a candidate: the case that stands, with its attempts
    incidents: list[dict] = field(default_factory=list)

    @property
    def expected(self) -> int:
        """应到: the roster's seats here, less those placed elsewhere, plus those placed here."""
        return self.rostered - len(self.moved_out) + len(self.moved_in)

    @property
    def present(self) -> int:
        """实到: who sits in the room now, its own candidates and those moved in."""
        return self.stayed + len(self.moved_in)

    @property
    def adds_up(self) -> bool:
        return self.expected == self.present + len(self.absent) + len(self.not_arrived)

    def to_dict(self) -> dict:
        return {
            "room": self.room, "rostered": self.rostered, "expected": self.expected, "present": self.present,
            "absent": len(self.absent), "not_arrived": len(self.not_arrived),
            "absentees": [{"seat": s.seat, "ticket": s.ticket, "name": s.name} for s in self.absent],
            "moved_out": self.moved_out, "moved_in": self.moved_in, "exceptions": self.exceptions, "incidents": self.incidents,
        }


@dataclass
class SessionFigures:
    session: str
    expected: int = 0
    present: int = 0
    absent: int = 0
    not_arrived: int = 0  # before the entry cutoff: not yet in (未到), not 缺考
    admitted_late: int = 0
    exceptions: int = 0  # candidates with an exception (each once, however many attempts)
    exception_attempts: int = 0  # exception records, superseded attempts included
    exceptions_by_code: dict[str, int] = field(default_factory=dict)  # candidates, by the code of the case that stands
    exceptions_by_status: dict[str, int] = field(default_factory=dict)
    approvals: int = 0
    reallocated: int = 0  # every candidate placed outside their roster seat: reallocation or the chief's move
    denied: int = 0
    incidents: int = 0
    incidents_by_kind: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    open_alarms: int = 0  # duplicate-scan alarms the chief has not resolved
    alarm_incidents: int = 0  # alarms the chief found to be a real incident
    duplicate_admissions: int = 0
    conflicts: int = 0  # offline admissions that collided with another lane's, not yet resolved
    left_early: int = 0  # admitted, then left for good before the end (present, no re-entry)
    voided: int = 0
    unexplained_voids: int = 0
    unexplained_overrides: int = 0
    unsealed_decisions: int = 0  # chief decisions (and admissions resting on one) the chief's key did not seal
    unresolved: int = 0
    not_over: int = 0  # 1: the session had not ended (nor been closed) when these figures were made
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
            "not_arrived": self.not_arrived, "admitted_late": self.admitted_late, "exceptions": self.exceptions,
            "exception_attempts": self.exception_attempts,
            "exceptions_by_code": dict(sorted(self.exceptions_by_code.items())),
            "exceptions_by_status": dict(sorted(self.exceptions_by_status.items())),
            "approvals": self.approvals, "reallocated": self.reallocated, "denied": self.denied,
            "incidents": self.incidents, "incidents_by_kind": dict(sorted(self.incidents_by_kind.items())),
            "duplicates": self.duplicates, "open_alarms": self.open_alarms, "alarm_incidents": self.alarm_incidents,
            "duplicate_admissions": self.duplicate_admissions, "conflicts": self.conflicts, "voided": self.voided,
            "unexplained_voids": self.unexplained_voids, "unexplained_overrides": self.unexplained_overrides,
            "unsealed_decisions": self.unsealed_decisions, "left_early": self.left_early,
            "unresolved": self.unresolved, "zero_incident": self.zero_incident, "reasons": [str(r) for r in self.reasons],
        }


@dataclass(frozen=True)
class Record:
    """What the log says about the session beyond the candidates' days: how alarms were resolved, voids, overrides."""

    alarm_resolutions: Mapping[str, str] = field(default_factory=dict)  # alarm event id -> double_read/rescan/incident
    voided: int = 0
    unexplained_voids: int = 0
    unexplained_overrides: int = 0
    unsealed_decisions: int = 0


def _local(at: str, tz) -> dt.datetime:  # noqa: ANN001
    return dt.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(tz).replace(tzinfo=None)


def standing_case(day: CandidateDay) -> Case | None:
    """The case that stands for a candidate: the latest attempt (a newer exception closes the ones before it)."""
    return day.cases[-1] if day.cases else None


def compute(
    session: Session,
    seats: Sequence[SeatRecord],
    days: Mapping[str, CandidateDay],
    incidents: Sequence[Event],
    voided: int | Record,
    levels: Sequence[str],
    tz,  # noqa: ANN001 - a tzinfo for local times
    admissions_per_ticket: Mapping[str, int] | None = None,
    now_local: dt.datetime | None = None,
    seated_alone: Mapping[str, str] | None = None,
    closed: bool = False,
) -> SessionFigures:
    """Every figure of one session; `days` holds only candidates with events. `now_local` before the entry
    cutoff makes the not-yet-admitted 未到 rather than 缺考 (None: the session is over); before the session's end,
    unless the chief `closed` it, nothing can yet be 零事故、零失误、零差错 (a paper not yet sat has no such record).

    `seated_alone` (ticket → the admission's time) are candidates left out of `days` whose whole day is one
    admission into their own roster seat, most of a session: their folded day adds only that (a test holds the
    two ways equal), so they are counted without one being made."""
    record = voided if isinstance(voided, Record) else Record(voided=voided, unexplained_voids=voided)
    entry_open = now_local is not None and now_local <= session.entry_closes_at
    figures = SessionFigures(session.id, expected=len(seats), voided=record.voided,
                             unexplained_voids=record.unexplained_voids, unexplained_overrides=record.unexplained_overrides,
                             unsealed_decisions=record.unsealed_decisions,
                             not_over=int(now_local is not None and now_local < session.ends_at and not closed))
    rooms = figures.rooms
    home = {s.ticket: s for s in seats}
    for room, rostered in Counter(s.room for s in seats).items():  # rooms in the order their first seat comes
        rooms[room] = RoomFigures(room, rostered=rostered)
    by_code: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    arrivals: Counter[str] = Counter()
    resolutions = record.alarm_resolutions
    alone = seated_alone or {}
    figures.present += len(alone)
    figures.admitted_late += _count_alone(alone, home, rooms, arrivals, session.starts_at, tz)
    for ticket, day in days.items():
        figures.duplicates += len(day.duplicate_scans)
        figures.open_alarms += sum(1 for e in day.duplicate_scans if e.id not in resolutions)
        figures.alarm_incidents += sum(1 for e in (*day.duplicate_scans, *day.conflicts) if resolutions.get(e.id) == "incident")
        figures.conflicts += sum(1 for e in day.conflicts if e.id not in resolutions)
        figures.exception_attempts += len(day.cases)
        figures.left_early += day.left_for_good is not None
        figures.approvals += sum(len(c.approvals) for c in day.cases)
        case = standing_case(day)
        if case is not None:
            status = case.status(levels)
            by_code[case.code] += 1
            by_status[status] += 1
            if status == "pending" or (status == "approved" and case.seated_by is None and day.admission is None):
                figures.unresolved += 1
            action, shown_status = case.action, status
            if case.denied_at_gate:
                action, shown_status = "deny", "denied"
            entry = {"ticket": ticket, "code": case.code, "action": action, "status": shown_status,
                     "attempts": len(day.cases), "case": case.id}
            if ticket in home:
                rooms[home[ticket].room].exceptions.append(entry)
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
        origin = home.get(ticket)
        if origin is None or room is None:
            continue
        if (room, seat) == (origin.room, origin.seat):
            rooms[room].stayed += 1
            continue
        placed = day.placement.data
        move = {"ticket": ticket, "name": origin.name, "from_room": origin.room, "from_seat": origin.seat,
                "room": room, "seat": seat, "via": placed.via, "reason": _move_reason(day),
                "by": getattr(placed, "by", None) or day.placement.staff or ""}
        rooms[origin.room].moved_out.append(move)
        rooms.setdefault(room, RoomFigures(room)).moved_in.append(move)
        figures.reallocated += 1
    admitted = 0
    for seat in seats:
        if seat.ticket in alone:
            admitted += 1
            continue
        day = days.get(seat.ticket)
        if day is None or day.admission is None:
            (rooms[seat.room].not_arrived if entry_open else rooms[seat.room].absent).append(seat)
        else:
            admitted += 1
    missing = figures.expected - admitted
    figures.not_arrived, figures.absent = (missing, 0) if entry_open else (0, missing)
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


def _count_alone(alone: Mapping[str, str], home: Mapping[str, SeatRecord], rooms: dict[str, RoomFigures],
                 arrivals: Counter[str], starts_at: dt.datetime, tz) -> int:  # noqa: ANN001
    """Each lone admission (ticket → its time) counted into its room and its arrival slot; returns how many came
    after the start. The admissions are counted by UTC minute first (a report's fall in a few hundred) and each
    minute's local time worked out once; a time not in the store's format, or a minute that is not a local one
    (an offset of seconds), each of its admissions on its own."""
    for room, count in Counter([home[ticket].room for ticket in alone]).items():
        rooms[room].stayed += count
    times = list(alone.values())
    # `at[:17] + at[26:]` is "YYYY-MM-DDTHH:MM:Z" exactly for the store's 27 characters ending in Z (":SS.ffffffZ").
    keys = [at[:17] + at[26:] for at in times]
    late = 0
    for key, (count, sample) in _counted_with_a_sample(keys, times).items():
        start = None
        if len(key) == 18 and key[16:] == ":Z":
            start = _local(sample, tz).replace(second=0, microsecond=0)
            if _local(f"{key[:16]}:00.000000Z", tz) != start:
                start = None  # an offset of seconds: a UTC minute is not a local one
        if start is None:
            for at in (at for at, k in zip(times, keys) if k == key):
                arrived_at = _local(at, tz)
                late += arrived_at > starts_at
                arrivals[_slot(arrived_at)] += 1
            continue
        arrivals[_slot(start)] += count
        if start > starts_at:
            late += count
        elif start + ONE_MINUTE > starts_at:  # the minute the session starts in: to the microsecond
            late += sum(_local(at, tz) > starts_at for at, k in zip(times, keys) if k == key)
    return late


def _counted_with_a_sample(keys: list[str], values: list[str]) -> dict[str, tuple[int, str]]:
    """Each key's count and one of its values."""
    samples = dict(zip(keys, values))
    return {key: (count, samples[key]) for key, count in Counter(keys).items()}


def _slot(moment: dt.datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute - moment.minute % ARRIVAL_BUCKET_MINUTES:02d}"


def _move_reason(day: CandidateDay) -> str:
    """Why the candidate sits where they do: the chief's words for a move, else the exception that sent them."""
    placed = day.placement.data
    said = getattr(placed, "reason", None)
    if said:
        return str(said)
    case = next((c for c in day.cases if c.seated_by is day.placement), None)
    return case.code if case else ""


def _arrival(day: CandidateDay) -> str:
    """When an admitted candidate reached the gate: their first exception if they were held there, else the admission;
    when its scan was read, where the event says so (a burst committed after the cutoff it was read before)."""
    event = day.cases[0].exception if day.cases else day.admission
    return getattr(event.data, "read_at", None) or event.at


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
    "open_alarms": "{count} duplicate-scan alarm(s) not resolved by the chief",
    "alarm_incidents": "{count} alarm(s) found to be a real incident",
    "duplicate_admissions": "{count} duplicate admission(s)",
    "conflicts": "{count} admission conflict(s) between lanes: check those candidates",
    "unexplained_voids": "{count} voided event(s) without a reason",
    "unexplained_overrides": "{count} record(s) into a closed session without a reason",
    "unsealed_decisions": "{count} chief decision(s) without the chief's seal (examops verify names them)",
    "not_over": "the session had not ended when these figures were made",
}


def _reasons(figures: SessionFigures) -> list[ZeroIncidentReason]:
    """What stands between this session and 零事故、零失误、零差错."""
    return [ZeroIncidentReason(code, getattr(figures, code)) for code in REASON_RECORDS if getattr(figures, code)]
