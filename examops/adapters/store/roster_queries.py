"""The roster's and the site's SQL: what an import checks against and writes, the plan's sessions and rooms, status figures."""

from __future__ import annotations

import threading
from itertools import repeat
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from sqlalchemy import Connection, delete, func, insert, literal, select

from examops.adapters.store.bulk import bulk_insert, create_roster_indexes, drop_roster_indexes
from examops.adapters.store.schema import candidates, events, rooms, seats, sessions

CHUNK = 500
T = TypeVar("T")
CANDIDATE_COLUMNS = ("ticket", "name", "id_number", "id_tail", "sex", "site")
SEAT_COLUMNS = ("session_id", "ticket", "room_id", "seat")


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
class EverySession:
    """The `seats` rows of a roster in which every candidate sits every session (no session column).

    `placed` is (ticket, room_id, seat) sorted by ticket, once; iterating gives the (session_id, ticket, room_id,
    seat) rows in the table's order. `write_roster` loads the first session's rows and copies them to the others
    inside the database, and the seats digest is made from `placed` once, not from 50k rows per session.
    """

    __slots__ = ("sessions", "placed")

    def __init__(self, sessions: Iterable[str], placed: Sequence[tuple]) -> None:
        self.sessions = sorted(set(sessions))
        self.placed = placed

    def __len__(self) -> int:
        return len(self.sessions) * len(self.placed)

    def __iter__(self) -> Iterator[tuple]:
        for session in self.sessions:
            yield from self.rows_of(session)

    def rows_of(self, session: str) -> Iterator[tuple]:
        return zip(repeat(session), *zip(*self.placed)) if self.placed else iter(())


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
        done = _on_thread_during(work, lambda: create_roster_indexes(conn))
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


def _on_thread_during(work: Callable[[], T], here: Callable[[], object]) -> T:
    """`work()` on a thread of its own while `here()` runs on this one; its result, or its exception raised here."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as exc:  # noqa: BLE001 - raised again on the caller's thread
            outcome.append((False, exc))

    thread = threading.Thread(target=run, name="roster-digests", daemon=True)
    thread.start()
    try:
        here()
    finally:
        thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def _load_every_session(conn: Connection, rows: EverySession) -> None:
    """The first session's seats from Python, each other session's copied from them by the database (INSERT … SELECT):
    the parameters of one session instead of all, and no Python rows for the rest."""
    if not rows.sessions or not rows.placed:
        return
    first, *others = rows.sessions
    bulk_insert(conn, seats, SEAT_COLUMNS, list(rows.rows_of(first)))
    S = seats.c
    for session in others:
        conn.execute(insert(seats).from_select(list(SEAT_COLUMNS), select(literal(session), S.ticket, S.room_id, S.seat)
                                               .where(S.session_id == first).order_by(S.ticket)))


def _empty(conn: Connection, table) -> bool:  # noqa: ANN001 - a Table
    return conn.execute(select(literal(1)).select_from(table).limit(1)).first() is None


def room_ids(conn: Connection) -> set[str]:
    return {row[0] for row in conn.execute(select(rooms.c.id))}


def add_regular_rooms(conn: Connection, room_ids_: Sequence[str]) -> None:
    """Rooms a roster names that neither the plan nor the store knows: regular, capacity unknown."""
    bulk_insert(conn, rooms, ("id", "name", "capacity", "kind"), [(r, r, None, "regular") for r in room_ids_])


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
