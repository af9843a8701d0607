"""Live figures for a session, derived from the event log by indexed queries.

Counts fold events (admissions minus voided ones, open exceptions, denials)
with SQL, so a lane's counters cost a few milliseconds even with 50k candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, func, select

from examops.adapters import schema
from examops.adapters.store import row_to_event
from examops.domain.events import Event, Kind
from examops.domain.state import fold_day, voided_targets
from examops.services.placements import placements

E, S, A = schema.events, schema.seats, schema.admissions
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


def _voided_ids(conn: Connection, session: str) -> set[str]:
    rows = conn.execute(select(E).where(E.c.kind == Kind.VOIDED, E.c.session_id == session)).all()
    return voided_targets(row_to_event(row) for row in rows)


def session_counters(conn: Connection, session: str) -> SessionCounters:
    """Expected, admitted, held, denied and remaining for `session`, and admitted per room."""
    counters = SessionCounters(session)
    counters.expected = conn.execute(select(func.count()).select_from(S).where(S.c.session_id == session)).scalar_one()
    voided = _voided_ids(conn, session)
    per_room_expected = dict(conn.execute(select(S.c.room_id, func.count()).where(S.c.session_id == session).group_by(S.c.room_id)).all())
    # Count in SQL: one live admission row per admitted candidate, grouped by roster room.
    live = and_(A.c.session_id == session, A.c.event_id.not_in(sorted(voided))) if voided else A.c.session_id == session
    roster_join = A.outerjoin(S, and_(S.c.session_id == A.c.session_id, S.c.ticket == A.c.ticket))
    per_room_admitted = {room: n for room, n in conn.execute(
        select(S.c.room_id, func.count()).select_from(roster_join).where(live).group_by(S.c.room_id)).all()}
    counters.admitted = sum(per_room_admitted.values())
    # The chief's placements (few) moved some of them out of their roster room.
    placed = placements(conn, session)
    if placed:
        for ticket, roster_room in conn.execute(select(A.c.ticket, S.c.room_id).select_from(roster_join)
                                                .where(live, A.c.ticket.in_(sorted(placed)))).all():
            per_room_admitted[roster_room] -= 1
            room = placed[ticket][0]
            per_room_admitted[room] = per_room_admitted.get(room, 0) + 1
    # Exceptions and denials are few; fold them per candidate so later events (approvals) count right.
    subject_rows = conn.execute(
        select(E).where(E.c.session_id == session, E.c.kind.in_(CASE_KINDS), E.c.ticket.is_not(None)).order_by(E.c.pos)
    ).all()
    by_ticket: dict[str, list[Event]] = {}
    for row in subject_rows:
        by_ticket.setdefault(row.ticket, []).append(row_to_event(row))
    admitted_tickets = {ticket for (ticket,) in conn.execute(
        select(A.c.ticket).where(live, A.c.ticket.in_(sorted(by_ticket))))} if by_ticket else set()
    for ticket in admitted_tickets:
        del by_ticket[ticket]
    for ticket, events in by_ticket.items():
        status = fold_day(session, ticket, events).status
        counters.held += status == "held"
        counters.denied += status == "denied"
    counters.duplicates = conn.execute(select(func.count()).select_from(E).where(E.c.session_id == session, E.c.kind == Kind.DUPLICATE)).scalar_one()
    counters.rooms = {room: {"expected": n, "admitted": per_room_admitted.get(room, 0)} for room, n in sorted(per_room_expected.items())}
    for room, n in per_room_admitted.items():
        if n and room is not None:
            counters.rooms.setdefault(room, {"expected": 0, "admitted": n})
    return counters


def recent_scans(conn: Connection, lane: str, limit: int = 12, session: str | None = None) -> list[Event]:
    """The last events this lane recorded (in `session`, if given), newest first."""
    query = select(E).where(E.c.lane == lane)
    if session is not None:
        query = query.where(E.c.session_id == session)
    rows = conn.execute(query.order_by(E.c.pos.desc()).limit(limit)).all()
    return [row_to_event(row) for row in rows]
