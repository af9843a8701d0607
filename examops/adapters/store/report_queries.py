"""The report's and the room papers' SQL: a session's seats and events, rooms, names."""

from __future__ import annotations

from typing import Iterator, Sequence

from sqlalchemy import Connection, and_, case, func, literal_column, select

from examops.adapters.store.events import row_to_event
from examops.adapters.store.schema import admissions, candidates, events, rooms, seats
from examops.domain.events import Event, Kind

E, S, C, A, R = events, seats, candidates, admissions, rooms


def seated_candidates(conn: Connection, session: str) -> list:
    """(ticket, name, room_id, seat) of the session's roster, by room and seat."""
    return conn.execute(  # .all(): fetched at once, not a row per call
        select(S.c.ticket, C.c.name, S.c.room_id, S.c.seat).join(C, C.c.ticket == S.c.ticket)
        .where(S.c.session_id == session).order_by(S.c.room_id, S.c.seat)).all()


def session_events(conn: Connection, session: str) -> Iterator[Event]:
    """The session's events in log order, read as they stream."""
    for row in conn.execute(select(E).where(E.c.session_id == session).order_by(E.c.pos)):
        yield row_to_event(row)


def ticket_days(conn: Connection, sessions: Sequence[str] | None = None) -> list:
    """(session, ticket, time, `plain`) of every event about a ticket (the time its scan was read where the payload
    says, else the event's) in these sessions (every session's when None),
    `plain` 1 for an admission into the ticket's roster seat with no override recorded: the payload read by the
    database's JSON functions, the room a JSON string and the seat a JSON integer equal to the seat row's; else 0.
    A ticket whose only event in the session is plain is counted without a fold; the caller folds the others.

    Without a session asked the table is read straight through: on SQLite the (session, ticket) index would cost
    a table look-up a row, three times the read itself (bench/ab_ticket_days.py)."""
    if conn.dialect.name == "postgresql":
        data = "(events.payload::jsonb)"
        room_ok = literal_column(f"(jsonb_typeof({data}->'room') = 'string' AND {data}->>'room' = seats.room_id)")
        seat_ok = literal_column(f"(jsonb_typeof({data}->'seat') = 'number' AND {data}->>'seat' = seats.seat::text)")
        no_override = literal_column(f"(coalesce(jsonb_typeof({data}->'override'), 'null') = 'null')")
        read_at = literal_column(f"({data}->>'read_at')")
    else:
        payload = E.c.payload
        room_ok = and_(func.json_type(payload, "$.room") == "text", func.json_extract(payload, "$.room") == S.c.room_id)
        seat_ok = and_(func.json_type(payload, "$.seat") == "integer", func.json_extract(payload, "$.seat") == S.c.seat)
        no_override = func.json_extract(payload, "$.override").is_(None)
        # most events have no read time: `instr` finds that for a fraction of what a JSON parse of every row costs
        read_at = case((func.instr(payload, '"read_at"') > 0, func.json_extract(payload, "$.read_at")))
    plain = case((and_(E.c.kind == Kind.ADMITTED, room_ok, seat_ok, no_override), 1), else_=0)
    query = (select(E.c.session_id, E.c.ticket, func.coalesce(read_at, E.c.at), plain)
             .select_from(E.outerjoin(S, and_(S.c.session_id == E.c.session_id, S.c.ticket == E.c.ticket)))
             .where(E.c.ticket.is_not(None)))
    return conn.execute(query if sessions is None else query.where(E.c.session_id.in_(sessions))).all()


def events_without_ticket(conn: Connection, session: str) -> list[tuple[int, Event]]:
    """The session's events about no candidate (incidents in a room, voids of them, alarm findings), with their log
    positions, in log order."""
    rows = conn.execute(select(E).where(E.c.session_id == session, E.c.ticket.is_(None)).order_by(E.c.pos))
    return [(row.pos, row_to_event(row)) for row in rows]


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


def home_seats(conn: Connection, session: str, tickets: Sequence[str], chunk: int = 500) -> dict[str, tuple[str, int]]:
    """Ticket → (room, seat) as the session's roster has them, asked `chunk` tickets at a time."""
    return {row.ticket: (row.room_id, row.seat) for start in range(0, len(tickets), chunk)
            for row in conn.execute(select(S.c.ticket, S.c.room_id, S.c.seat)
                                    .where(S.c.session_id == session, S.c.ticket.in_(tickets[start:start + chunk])))}


def people(conn: Connection, tickets: Sequence[str], chunk: int = 500) -> dict:
    """(ticket, name, id_number) rows by ticket, asked `chunk` tickets at a time."""
    return {row.ticket: row for start in range(0, len(tickets), chunk)
            for row in conn.execute(select(C.c.ticket, C.c.name, C.c.id_number).where(C.c.ticket.in_(tickets[start:start + chunk])))}


def names(conn: Connection, tickets: set[str]) -> dict[str, str]:
    return dict(conn.execute(select(C.c.ticket, C.c.name).where(C.c.ticket.in_(sorted(tickets)))).all())
