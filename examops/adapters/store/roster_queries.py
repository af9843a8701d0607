"""The roster's and the site's SQL: what an import checks against and writes, the plan's sessions and rooms, status figures."""

from __future__ import annotations

from typing import Callable, Iterable, Sequence, TypeVar

from sqlalchemy import Connection, String, bindparam, delete, func, insert, literal, select

from examops.adapters.roster_rows import CANDIDATE_COLUMNS, SEAT_COLUMNS, EverySession, new_room_rows, on_thread_during
from examops.adapters.store.bulk import bulk_insert, create_roster_indexes, drop_roster_indexes
from examops.adapters.store.schema import candidates, events, rooms, seats, sessions

CHUNK = 500
T = TypeVar("T")


# -- what an import checks against ------------------------------------------
def candidates_by_ticket(conn: Connection) -> dict:
    """Every stored candidate row, by ticket."""
    return {row.ticket: row for row in conn.execute(select(candidates))}


def tickets_by_id_number(conn: Connection) -> dict[str, str]:
    return {row.id_number: row.ticket for row in conn.execute(select(candidates.c.id_number, candidates.c.ticket))}


def all_seats(conn: Connection) -> list:
    """Every row of `seats` (session_id, ticket, room_id, seat)."""
    return list(conn.execute(select(seats)))


def all_tickets(conn: Connection) -> set[str]:
    return {row.ticket for row in conn.execute(select(candidates.c.ticket))}


def tickets_in_log(conn: Connection, tickets: Iterable[str]) -> list[str]:
    """Which of `tickets` the event log mentions, sorted."""
    E = events
    return sorted({row.ticket for row in conn.execute(select(E.c.ticket).where(E.c.ticket.in_(sorted(tickets))).distinct())})


# -- writing a roster --------------------------------------------------------
_S = seats.c
COPY_SEATS = insert(seats).from_select(list(SEAT_COLUMNS), select(
    bindparam("session", type_=String), _S.ticket, _S.room_id, _S.seat).where(_S.session_id == bindparam("first")).order_by(_S.ticket))
"""Session `first`'s seats copied to `session` (`_load_every_session`; compiled for the SQLite import too)."""
ROOM_COLUMNS = ("id", "name", "capacity", "kind")


def write_roster(conn: Connection, *, stale: Sequence[str], candidate_rows: Sequence[tuple],
                 seat_rows: Sequence[tuple] | EverySession, bulk: bool,
                 meanwhile: Callable[[], T] | None = None) -> tuple[bool, T | None]:
    """Replace the `stale` tickets' rows and load the roster's; `bulk` rebuilds the secondary indexes after.

    (True when both tables were empty, so that they now hold exactly these rows; then `meanwhile()`, else None).
    `meanwhile` (the rows' digests) runs on a thread while SQLite builds the indexes, which it does without the GIL.
    """
    was_empty = not stale and _empty(conn, candidates) and _empty(conn, seats)
    if bulk:
        drop_roster_indexes(conn)
    for start in range(0, len(stale), CHUNK):
        chunk = stale[start:start + CHUNK]
        conn.execute(delete(seats).where(seats.c.ticket.in_(chunk)))
        conn.execute(delete(candidates).where(candidates.c.ticket.in_(chunk)))
    bulk_insert(conn, candidates, CANDIDATE_COLUMNS, candidate_rows)
    if isinstance(seat_rows, EverySession):
        _load_every_session(conn, seat_rows)
    else:
        bulk_insert(conn, seats, SEAT_COLUMNS, seat_rows)
    work = meanwhile if was_empty else None
    if bulk and work is not None and conn.dialect.name == "sqlite":
        done = on_thread_during(work, lambda: create_roster_indexes(conn))
    else:
        if bulk:
            create_roster_indexes(conn)
        done = work() if work is not None else None
    if conn.dialect.name == "postgresql":
        # Fresh planner statistics in the same transaction: else autovacuum's come up to a minute later, and the
        # lanes' look-ups are planned (and kept prepared) on an empty roster's. Not `events`: its few rows now
        # would plan its look-ups as scans of the whole table once the day's events come in.
        conn.exec_driver_sql("ANALYZE candidates, seats")
    return was_empty, done


def _load_every_session(conn: Connection, rows: EverySession) -> None:
    """The first session's seats from Python, each other session's copied from them by the database (INSERT … SELECT):
    the parameters of one session instead of all, and no Python rows for the rest."""
    if not rows.sessions or not rows.placed:
        return
    first, *others = rows.sessions
    bulk_insert(conn, seats, SEAT_COLUMNS, list(rows.rows_of(first)))
    for session in others:
        conn.execute(COPY_SEATS, {"session": session, "first": first})


def any_row(table):  # noqa: ANN001, ANN201 - a Table; a Select
    """A row if `table` has any: `_empty`'s statement, compiled for the SQLite import without SQLAlchemy too."""
    return select(literal(1)).select_from(table).limit(1)


def _empty(conn: Connection, table) -> bool:  # noqa: ANN001 - a Table
    return conn.execute(any_row(table)).first() is None


ROOM_IDS = select(rooms.c.id)


def room_ids(conn: Connection) -> set[str]:
    return {row[0] for row in conn.execute(ROOM_IDS)}


def add_regular_rooms(conn: Connection, room_ids_: Sequence[str]) -> None:
    """Rooms a roster names that neither the plan nor the store knows: regular, capacity unknown."""
    bulk_insert(conn, rooms, ROOM_COLUMNS, new_room_rows(room_ids_))


# -- the plan in the store ---------------------------------------------------
def seated_session_ids(conn: Connection) -> set[str]:
    return {row[0] for row in conn.execute(select(seats.c.session_id).distinct())}


def replace_sessions(conn: Connection, rows: Sequence[dict]) -> None:
    """The plan's sessions replace the stored ones (id, name, date, start, end, late_entry_minutes)."""
    conn.execute(delete(sessions))
    for row in rows:
        conn.execute(insert(sessions).values(**row))


def put_room(conn: Connection, room_id: str, *, name: str, capacity: int | None, kind: str) -> None:
    conn.execute(delete(rooms).where(rooms.c.id == room_id))
    conn.execute(insert(rooms).values(id=room_id, name=name, capacity=capacity, kind=kind))


def status_figures(conn: Connection) -> tuple[int, list, dict[str, int], int]:
    """(candidates, room rows by kind and id, distinct candidates seated per room, events) for `examops status`."""
    candidate_count = conn.execute(select(func.count()).select_from(candidates)).scalar_one()
    room_rows = conn.execute(select(rooms).order_by(rooms.c.kind, rooms.c.id)).all()
    seated = dict(conn.execute(select(seats.c.room_id, func.count(func.distinct(seats.c.ticket))).group_by(seats.c.room_id)).all())
    events_count = conn.execute(select(func.count()).select_from(events)).scalar_one()
    return candidate_count, room_rows, seated, events_count
