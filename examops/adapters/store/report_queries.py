"""The report's and the room papers' SQL: a session's seats and events, rooms, names."""

from __future__ import annotations

from typing import Iterator, Sequence

from sqlalchemy import Connection, and_, func, or_, select

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


def _lone_admission(session: str):  # noqa: ANN202 - a grouped select
    """Tickets of the session with exactly one event, an admission (`min` of one row is that row's value: SQLite and
    PostgreSQL alike)."""
    return (select(E.c.ticket, func.min(E.c.pos).label("pos"), func.min(E.c.at).label("at"),
                   func.min(E.c.payload).label("payload"))
            .where(E.c.session_id == session, E.c.ticket.is_not(None)).group_by(E.c.ticket)
            .having(and_(func.count() == 1, func.min(E.c.kind) == "admitted")))


def lone_admissions(conn: Connection, session: str) -> list:
    """(ticket, pos, at, payload text) of every candidate whose whole day so far is one admission: most of a session."""
    return conn.execute(_lone_admission(session)).all()


def events_beside_lone_admissions(conn: Connection, session: str) -> Iterator[tuple[int, Event]]:
    """The session's other events with their log positions, in log order: those without a ticket and every event
    of any other ticket."""
    others = (select(E.c.ticket).where(E.c.session_id == session, E.c.ticket.is_not(None)).group_by(E.c.ticket)
              .having(or_(func.count() != 1, func.min(E.c.kind) != "admitted")))
    query = select(E).where(E.c.session_id == session, or_(E.c.ticket.is_(None), E.c.ticket.in_(others))).order_by(E.c.pos)
    for row in conn.execute(query):
        yield row.pos, row_to_event(row)


def ticket_events(conn: Connection, session: str, tickets: Sequence[str], chunk: int = 500) -> list[tuple[int, Event]]:
    """Every event of these tickets in the session with its log position, in log order."""
    found = []
    for start in range(0, len(tickets), chunk):
        found += conn.execute(select(E).where(E.c.session_id == session, E.c.ticket.in_(tickets[start:start + chunk]))).all()
    return [(row.pos, row_to_event(row)) for row in sorted(found, key=lambda row: row.pos)]


def admission_rows_per_ticket(conn: Connection, session: str, *, more_than_one: bool = False) -> dict[str, int]:
    """Guard rows per ticket (voided admissions keep theirs); only the tickets with several when `more_than_one`."""
    query = select(A.c.ticket, func.count()).where(A.c.session_id == session).group_by(A.c.ticket)
    return dict(conn.execute(query.having(func.count() > 1) if more_than_one else query).all())


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
