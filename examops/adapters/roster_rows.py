"""The roster tables' rows as a load writes them, on the driver alone: one source for SQLAlchemy's store and the
SQLAlchemy-free SQLite import (`plain_roster_store`). Outside the store package on purpose: importing
`examops.adapters.store` imports SQLAlchemy.
"""

from __future__ import annotations

import threading
from itertools import chain, repeat
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

T = TypeVar("T")

ROWS_PER_STATEMENT = 500  # 500 x 6 columns stays far below SQLite's 32,766 and PostgreSQL's 65,535 parameters
CANDIDATE_COLUMNS = ("ticket", "name", "id_number", "id_tail", "sex", "site")
SEAT_COLUMNS = ("session_id", "ticket", "room_id", "seat")


class EverySession:
    """The `seats` rows of a roster in which every candidate sits every session (no session column).

    `placed` is (ticket, room_id, seat) sorted by ticket, once; iterating gives the (session_id, ticket, room_id,
    seat) rows in the table's order. A load writes the first session's rows and copies them to the others
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


def insert_rows(cursor, head: str, width: int, rows: Sequence[tuple], mark: str = "?") -> None:  # noqa: ANN001 - a DB-API cursor
    """`rows` through `cursor`, one multi-row INSERT per chunk of `ROWS_PER_STATEMENT`; `head` is the statement up
    to and with its VALUES ("INSERT INTO t (a, b) VALUES ").

    A driver's per-row parameter handling costs more than SQLite's insert, and one statement of 500 rows
    costs SQLite (and PostgreSQL) a fraction of 500 single-row executions of a prepared one.
    """
    if not rows:
        return
    one_row = f"({', '.join([mark] * width)})"
    full = head + ", ".join([one_row] * ROWS_PER_STATEMENT)  # the same text each time: the driver keeps it prepared
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        chunk = rows[start:start + ROWS_PER_STATEMENT]
        sql = full if len(chunk) == ROWS_PER_STATEMENT else head + ", ".join([one_row] * len(chunk))
        cursor.execute(sql, list(chain.from_iterable(chunk)))


def new_room_rows(room_ids: Sequence[str]) -> list[tuple]:
    """`rooms` rows (id, name, capacity, kind) of rooms a roster names that neither the plan nor the store knows:
    regular, capacity unknown."""
    return [(r, r, None, "regular") for r in room_ids]


def on_thread_during(work: Callable[[], T], here: Callable[[], object]) -> T:
    """`work()` on a thread of its own while `here()` runs on this one; its result, or its exception raised here.

    A load's digests are made this way while SQLite builds the indexes, which it does without the GIL."""
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
