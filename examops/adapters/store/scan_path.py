"""The gate's hot path as three statements compiled once per lane: look up, append the event, take the guard row.

A lane builds one `ScanPath` and runs it inside one `Store.write()` transaction per scan: the look-up returns
the candidate, their seat, the day's events and any close-out of the session in one indexed query (under the
write lock, so nothing can slip in between look-up and write); the event is sealed on the chain head the lane
holds in memory and signed with the device key; an admission takes its guard row. Statements are compiled for
the store's dialect when the lane starts and run through `exec_driver_sql`, so no SQL is rebuilt per scan.
A head another process moved on shows as a `(device, device_seq)` collision; the caller forgets the head
(`head = None`) and runs the scan again. On PostgreSQL `pg_scan_path.PgScanPath` runs the same scan in two
round trips on a connection of the lane's own; `for_lane` picks the one the store needs.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from dataclasses import replace

from sqlalchemy import Connection, bindparam, insert, text
from sqlalchemy.exc import DBAPIError

from examops.adapters.scan_rows import Lookup, event_to_row, lookup_from_rows
from examops.adapters.store.compiled import compile_statement
from examops.adapters.store.engine import WRITTEN_HEADS
from examops.adapters.store.events import head
from examops.adapters.store.schema import admissions, events
from examops.domain.events import Event, Kind, seal, signing_message

_EVENT_COLUMNS = ("pos", "id", "kind", "at", "device", "device_seq", "session_id", "ticket", "lane", "staff", "payload",
                  "prev_hash", "hash", "signer", "signature")
# One row per event of the candidate's day or close-out of the session (event columns NULL when there is none):
# each half of the union is one search of its own index (ix_events_subject, ix_events_kind).
# `scan_rows.lookup_from_rows` reads its rows by position.
_EVENTS = ", ".join(_EVENT_COLUMNS)
LOOKUP = text(
    "SELECT c.ticket, c.name, c.id_number, c.sex, s.room_id, s.seat, "
    + ", ".join(f"e.{column}" for column in _EVENT_COLUMNS)
    + " FROM candidates AS c"
    " LEFT OUTER JOIN seats AS s ON s.ticket = c.ticket AND s.session_id = :session"
    f" LEFT OUTER JOIN (SELECT {_EVENTS} FROM events WHERE session_id = :session AND ticket = :ticket"
    f" UNION ALL SELECT * FROM (SELECT {_EVENTS} FROM events WHERE kind = :closed AND session_id = :session LIMIT 1)"
    " AS closure)"
    " AS e ON 1 = 1"
    " WHERE c.ticket = :ticket ORDER BY e.pos"
).bindparams(bindparam("closed", Kind.SESSION_CLOSED))
ROW_KEYS = ("id", "kind", "at", "device", "device_seq", "session_id", "ticket", "lane", "staff", "payload", "prev_hash",
            "hash", "signer", "signature")
GUARD_KEYS = ("session_id", "ticket", "slot", "event_id")


class _Compiled:
    """One statement compiled for a dialect (`compiled.compile_statement`), with the order its parameters go in.

    On SQLite it runs on the driver's own connection: SQLAlchemy's per-execution bookkeeping (a result object,
    column maps, events) cost ~0.1 ms a statement, more than SQLite's work. Its errors are SQLAlchemy's again.
    """

    __slots__ = ("statement", "sql", "_raw")

    def __init__(self, statement, dialect, keys: tuple[str, ...] | None = None) -> None:  # noqa: ANN001
        if dialect.paramstyle not in ("qmark", "numeric", "format"):
            raise ValueError(f"the compiled scan path needs a positional paramstyle, not {dialect.paramstyle}")
        self.statement = compile_statement(statement, dialect, keys)
        self.sql = self.statement.sql
        self._raw = dialect.name == "sqlite"

    def run(self, conn: Connection, values: dict) -> list[tuple]:
        """Run with `values` by name; the rows it returned (none for an insert)."""
        params = self.statement.params(values)
        if not self._raw:
            result = conn.exec_driver_sql(self.sql, params)
            return result.all() if result.returns_rows else []
        try:
            return conn.connection.driver_connection.execute(self.sql, params).fetchall()
        except sqlite3.Error as exc:
            raise DBAPIError.instance(self.sql, params, exc, sqlite3.Error) from exc


class ScanPath:
    """The statements of one lane on one store, and the head of the lane's device chain."""

    def __init__(self, store, device: str) -> None:  # noqa: ANN001 - a Store
        self.store, self.device = store, device
        self.head: tuple[int, str] | None = None
        """The (device_seq, hash) this lane last committed; None until read, or after a collision."""
        self.compile(store.engine.dialect)

    def compile(self, dialect) -> None:  # noqa: ANN001
        self.lookup_sql = _Compiled(LOOKUP, dialect)
        self.insert_event = _Compiled(insert(events), dialect, ROW_KEYS)
        self.insert_guard = _Compiled(insert(admissions), dialect, GUARD_KEYS)

    def scan(self) -> AbstractContextManager[Connection]:
        """Where one scan runs: here one `Store.write()` transaction (look-up under the write lock, then the write)."""
        return self.store.write()

    def lookup(self, conn: Connection, session: str, ticket: str) -> Lookup | None:
        """The candidate by ticket with their day in `session`; None when the roster has no such ticket."""
        return lookup_from_rows(self.lookup_sql.run(conn, {"session": session, "ticket": ticket}), session, ticket)

    def append(self, conn: Connection, event: Event, *, guard_slot: int | None = None) -> Event:
        """Seal `event` on the lane's head, sign it, insert it, and for an admission take guard row `guard_slot`."""
        seq, prev = self.head if self.head is not None else head(conn, self.device)
        sealed = seal(replace(event, device=self.device, device_seq=seq + 1), prev)
        signer = self.store.device_key(conn)
        if signer is not None:
            sealed = replace(sealed, signer=signer.public_b64, signature=signer.sign(signing_message(sealed.hash)))
        self.insert(conn, sealed, guard_slot)
        if signer is not None:
            conn.info.setdefault(WRITTEN_HEADS, {})[self.device] = (sealed.device_seq, sealed.hash)
        return sealed

    def insert(self, conn: Connection, sealed: Event, guard_slot: int | None) -> None:
        self.insert_event.run(conn, event_to_row(sealed))
        if guard_slot is not None:
            self.insert_guard.run(conn, {"session_id": sealed.session, "ticket": sealed.ticket, "slot": guard_slot,
                                         "event_id": sealed.id})

    def committed(self, event: Event) -> None:
        """`event` of this lane's device is durable: it is the head the next scan seals on."""
        if event.device == self.device:
            self.head = (event.device_seq, event.hash)


def for_lane(store, device: str) -> ScanPath:  # noqa: ANN001 - a Store
    """The scan path of a lane on `store`: SQLite's three statements, or PostgreSQL's two round trips."""
    if store.is_sqlite:
        return ScanPath(store, device)
    from examops.adapters.store.pg_scan_path import PgScanPath

    return PgScanPath(store, device)
