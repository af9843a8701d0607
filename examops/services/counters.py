"""Live figures for a session, derived from the event log by indexed queries.

Counts fold events (admissions minus voided ones, open exceptions, denials)
with SQL, so a lane's counters cost a few milliseconds even with 50k candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from examops.adapters.store import Connection
from examops.adapters.store import gate_queries as q
from examops.domain.events import Event, Kind
from examops.domain.state import fold_day, voided_targets
from examops.services.placements import placements

CASE_KINDS = (Kind.EXCEPTION, Kind.DENIED, Kind.VOIDED, Kind.APPROVED, Kind.REJECTED, Kind.RESOLVED)


@dataclass
class SessionCounters:
    session: str
    expected: int = 0
    admitted: int = 0
    held: int = 0
    denied: int = 0
    duplicates: int = 0
    rooms: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def remaining(self) -> int:
        return max(self.expected - self.admitted - self.held - self.denied, 0)

    def to_json(self) -> dict:
        return {"session": self.session, "expected": self.expected, "admitted": self.admitted, "held": self.held,
                "denied": self.denied, "remaining": self.remaining, "duplicates": self.duplicates, "rooms": self.rooms}


class ExpectedCounts:
    """Each session's expected candidates per room, counted again only once the roster changed.

    Counting them groups every seat of the session (a 50k roster: the costliest part of a recount, done after
    every scan), and they change only with a roster import (`gate_queries.roster_version`). Kept per store
    (its engine): a lane offline reads its own copy, whose roster is copied once, as the copy is made.
    One per screen; not shared between threads (the gate's recounts run one at a time).
    """

    def __init__(self) -> None:
        self._seen: tuple[object, tuple[int, int]] | None = None
        self._per_room: dict[str, dict[str, int]] = {}

    def per_room(self, conn: Connection, session: str) -> dict[str, int]:
        seen = (conn.engine, q.roster_version(conn))  # read before the seats: a later import changes it, not them
        if seen != self._seen:
            self._seen, self._per_room = seen, {}
        if session not in self._per_room:
            self._per_room[session] = q.expected_per_room(conn, session)
        return self._per_room[session]


def session_counters(conn: Connection, session: str, expected: ExpectedCounts | None = None) -> SessionCounters:
    """Expected, admitted, held, denied and remaining for `session`, and admitted per room.

    `expected`: the expected counts from this cache (the gate's recounts), not counted afresh.
    """
    counters = SessionCounters(session)
    voided = voided_targets(q.void_events(conn, session))
    per_room_expected = dict(expected.per_room(conn, session) if expected else q.expected_per_room(conn, session))
    counters.expected = sum(per_room_expected.values())  # every seat has a room
    per_room_admitted = q.admitted_per_room(conn, session, voided)
    counters.admitted = sum(per_room_admitted.values())
    # The chief's placements (few) moved some of them out of their roster room.
    placed = placements(conn, session)
    if placed:
        for ticket, roster_room in q.admitted_roster_rooms(conn, session, voided, placed):
            per_room_admitted[roster_room] -= 1
            room = placed[ticket][0]
            per_room_admitted[room] = per_room_admitted.get(room, 0) + 1
    # Exceptions and denials are few; fold them per candidate so later events (approvals) count right.
    by_ticket: dict[str, list[Event]] = q.subject_events(conn, session, CASE_KINDS)
    admitted_tickets = q.live_admitted(conn, session, voided, by_ticket) if by_ticket else set()
    for ticket in admitted_tickets:
        del by_ticket[ticket]
    for ticket, events in by_ticket.items():
        status = fold_day(session, ticket, events).status
        counters.held += status == "held"
        counters.denied += status == "denied"
    counters.duplicates = q.count_kind(conn, session, Kind.DUPLICATE)
    counters.rooms = {room: {"expected": n, "admitted": per_room_admitted.get(room, 0)} for room, n in sorted(per_room_expected.items())}
    for room, n in per_room_admitted.items():
        if n and room is not None:
            counters.rooms.setdefault(room, {"expected": 0, "admitted": n})
    return counters


def recent_scans(conn: Connection, lane: str, limit: int = 12, session: str | None = None) -> list[Event]:
    """The last events this lane recorded (in `session`, if given), newest first."""
    return q.recent_scans(conn, lane, limit, session=session)
