"""The report's and the room papers' SQL: a session's seats and events, rooms, names."""

from __future__ import annotations

from typing import Iterator, Sequence

from sqlalchemy import Connection, func, select

from examops.adapters.store.events import row_to_event
from examops.adapters.store.schema import admissions, candidates, events, rooms, seats
from examops.domain.events import Event

E, S, C, A, R = events, seats, candidates, admissions, rooms


def seated_candidates(conn: Connection, session: str) -> list:
    """(ticket, name, room_id, seat) of the session's roster, by room and seat."""
    return list(conn.execute(
        select(S.c.ticket, C.c.name, S.c.room_id, S.c.seat).join(C, C.c.ticket == S.c.ticket)
        .where(S.c.session_id == session).order_by(S.c.room_id, S.c.seat)))


def session_events(conn: Connection, session: str) -> Iterator[Event]:
    """The session's events in log order, read as they stream."""
    for row in conn.execute(select(E).where(E.c.session_id == session).order_by(E.c.pos)):
        yield row_to_event(row)


def admission_rows_per_ticket(conn: Connection, session: str) -> dict[str, int]:
    """Guard rows per ticket (voided admissions keep theirs)."""
    return dict(conn.execute(select(A.c.ticket, func.count()).where(A.c.session_id == session).group_by(A.c.ticket)).all())


def room_rows(conn: Connection) -> dict:
    """Every room row, by id."""
    return {row.id: row for row in conn.execute(select(R))}


def rostered_rooms(conn: Connection, session: str) -> set[str]:
    return {r for (r,) in conn.execute(select(S.c.room_id).where(S.c.session_id == session).distinct())}


def people(conn: Connection, tickets: Sequence[str], chunk: int = 500) -> dict:
    """(ticket, name, id_number) rows by ticket, asked `chunk` tickets at a time."""
    return {row.ticket: row for start in range(0, len(tickets), chunk)
            for row in conn.execute(select(C.c.ticket, C.c.name, C.c.id_number).where(C.c.ticket.in_(tickets[start:start + chunk])))}


def names(conn: Connection, tickets: set[str]) -> dict[str, str]:
    return dict(conn.execute(select(C.c.ticket, C.c.name).where(C.c.ticket.in_(sorted(tickets)))).all())
