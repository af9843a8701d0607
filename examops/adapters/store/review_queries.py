"""The chief proctor's SQL: exception cases, flags, rooms and seats for reallocation, voids, incidents."""

from __future__ import annotations

from sqlalchemy import Connection, and_, func, insert, literal_column, or_, select

from examops.adapters.store.events import row_to_event
from examops.adapters.store.schema import events, rooms, seats
from examops.domain.chief_seal import CHIEF_VIAS, DECISION_KINDS
from examops.domain.events import Event, Kind

E, S, R = events, seats, rooms


def exception_subjects(conn: Connection, session: str | None) -> list[tuple[str, str]]:
    """(session, ticket) of every candidate with an exception (in `session`, if given)."""
    query = select(E.c.session_id, E.c.ticket).where(E.c.kind == Kind.EXCEPTION).distinct()
    if session:
        query = query.where(E.c.session_id == session)
    return [tuple(row) for row in conn.execute(query)]


def events_of_kind(conn: Connection, kind: str, session: str | None) -> list[Event]:
    """Every event of `kind` (in `session`, if given), in log order."""
    query = select(E).where(E.c.kind == kind).order_by(E.c.pos)
    if session:
        query = query.where(E.c.session_id == session)
    return [row_to_event(row) for row in conn.execute(query).all()]


def chief_decisions(conn: Connection) -> list[Event]:
    """Every event only the chief may write (`chief_seal.is_chief_decision`), in log order: the admissions among them
    picked by the database's JSON functions, so the gate's many admissions are not read."""
    if conn.dialect.name == "postgresql":
        via = literal_column("((events.payload::jsonb)->>'via')")
    else:
        via = func.json_extract(E.c.payload, "$.via")
    chiefs = or_(E.c.kind.in_(sorted(DECISION_KINDS)), and_(E.c.kind == Kind.ADMITTED, via.in_(sorted(CHIEF_VIAS))))
    return [row_to_event(row) for row in conn.execute(select(E).where(chiefs).order_by(E.c.pos)).all()]


def subject_voids(conn: Connection, session: str | None, ticket: str | None) -> list[Event]:
    """The voids naming one candidate's events."""
    rows = conn.execute(select(E).where(E.c.kind == Kind.VOIDED, E.c.session_id == session, E.c.ticket == ticket)).all()
    return [row_to_event(row) for row in rows]


# -- rooms and seats ----------------------------------------------------------
def roster_seats(conn: Connection, session: str, room: str) -> dict[int, str]:
    """Seat → ticket as the roster has one room in one session."""
    return {row.seat: row.ticket for row in conn.execute(select(S).where(S.c.session_id == session, S.c.room_id == room))}


def spare_rooms(conn: Connection) -> list:
    """Backup and isolation rooms (rows of `rooms`), by id."""
    return list(conn.execute(select(R).where(R.c.kind.in_(("backup", "isolation"))).order_by(R.c.id)))


def room(conn: Connection, room_id: str):  # noqa: ANN201 - a row of `rooms`, or None
    return conn.execute(select(R).where(R.c.id == room_id)).first()


def room_exists(conn: Connection, room_id: str) -> bool:
    return conn.execute(select(R.c.id).where(R.c.id == room_id)).first() is not None


def add_room(conn: Connection, room_id: str, *, name: str, capacity: int | None, kind: str) -> None:
    conn.execute(insert(R).values(id=room_id, name=name, capacity=capacity, kind=kind))
