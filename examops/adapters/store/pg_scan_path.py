"""The gate's hot path on PostgreSQL: two round trips per scan, on a connection the lane keeps.

Round trip one is the look-up `ScanPath` runs on SQLite (one indexed query: card, seat, the day's events,
a close-out). Round trip two is one statement in autocommit, so it is its own transaction and its answer
comes after the commit (recorded before acknowledged):

    WITH e AS (INSERT INTO events … SELECT … WHERE NOT EXISTS (a close-out of the session) RETURNING …),
         g AS (INSERT INTO admissions … SELECT … FROM e)          -- an admission's guard row
    SELECT id FROM e                                                -- empty: nothing was written

No NOTIFY: a notifying commit takes a lock for the whole database and holds it through its WAL flush, so
the lanes' commits would queue one fsync after another instead of sharing one (the 8-lane tail of issue 15);
the gate screens poll the log instead (watch.py).

Why a statement and not a server-side function: it needs no migration, no new grant and no SECURITY
DEFINER, so the lane role's rights stay exactly INSERT on `events` and `admissions` (the database still
refuses it anything else), and a store made by older code takes it as it is. The guard's primary key
decides a race between lanes: the loser's whole statement fails (no event either) and its lane answers
duplicate. A close-out committed between look-up and write leaves `e` empty: nothing is written and the
lane answers as after the close. A `(device, device_seq)` collision is the caller's retry, as on SQLite.

The connection is the lane's own (no pool check-out, so no pre-ping per scan; psycopg prepares the three
statements after a few runs). A connection found broken at the look-up is replaced once, so a server that
restarted between two scans costs a reconnect, not an outage; a write whose answer never came raises
`ServerUnreachable` and the lane records it on this laptop (services/offline.py), same event id.
"""

from __future__ import annotations

import threading
import weakref
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from examops.adapters.store.engine import WRITTEN_HEADS
from examops.adapters.store.errors import ServerUnreachable, WriteFailed, describe_failure
from examops.adapters.store.events import SessionClosed, closure, event_to_row
from examops.adapters.store.scan_path import LOOKUP, ROW_KEYS, Lookup, ScanPath
from examops.domain.event_payloads import SessionClosed as Closure
from examops.domain.events import Event, Kind

_APPEND = (
    f"WITH e AS (INSERT INTO events ({', '.join(ROW_KEYS)}) SELECT {', '.join(['%s'] * len(ROW_KEYS))}"
    " WHERE NOT EXISTS (SELECT 1 FROM events WHERE kind = %s AND session_id = %s) RETURNING id, session_id, ticket){guard}"
    " SELECT id FROM e"
)
APPEND_EVENT = _APPEND.format(guard="")
APPEND_ADMISSION = _APPEND.format(guard=", g AS (INSERT INTO admissions (session_id, ticket, slot, event_id)"
                                  " SELECT session_id, ticket, %s, id FROM e)")


class _Named:
    """The look-up compiled once for psycopg (named parameters), with its fixed values bound."""

    def __init__(self, statement, dialect) -> None:  # noqa: ANN001
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.fixed = {name: bind.value for name, bind in compiled.binds.items() if bind.value is not None}

    def run(self, conn: Connection, values: dict) -> list:
        return conn.exec_driver_sql(self.sql, {**self.fixed, **values}).all()


class _Held:
    """The lane's connection, apart from the lane: closed when the lane is let go or its store is closed."""

    __slots__ = ("conn", "__weakref__")

    def __init__(self) -> None:
        self.conn: Connection | None = None

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except DBAPIError:
                pass
            self.conn = None


class PgScanPath(ScanPath):
    """`ScanPath` on PostgreSQL: what one scan runs, on this lane's own autocommit connection."""

    def __init__(self, store, device: str) -> None:  # noqa: ANN001 - a Store
        super().__init__(store, device)
        self._held = _Held()
        self._engine = None
        self._fresh = False
        self._lock = threading.Lock()
        weakref.finalize(self, self._held.close)  # a lane let go gives its connection back to the pool
        store.held_connections.add(self._held)  # and `Store.close()` closes it

    def compile(self, dialect) -> None:  # noqa: ANN001
        self.lookup_sql = _Named(LOOKUP, dialect)

    @property
    def _conn(self) -> Connection:
        return self._held.conn

    @contextmanager
    def scan(self) -> Iterator["PgScanPath"]:
        """One scan on the lane's connection (opened now if it has none); yields the handle for lookup/append."""
        with self._lock:
            if self._engine is not self.store.engine:  # the store was pointed elsewhere: follow it
                self._drop()
            self._fresh = self._conn is None
            if self._fresh:
                self._connect()
            self._conn.info[WRITTEN_HEADS] = {}
            try:
                yield self
            except (IntegrityError, SessionClosed):
                self._conn.rollback()  # the server answered: the connection is sound
                raise
            except (DBAPIError, WriteFailed):
                self._drop()
                raise
            written = self._conn.info.pop(WRITTEN_HEADS, {})
            self._conn.commit()
            if written:
                self.store.witness(written)

    def lookup(self, handle, session: str, ticket: str) -> Lookup | None:  # noqa: ANN001
        try:
            return super().lookup(self._conn, session, ticket)
        except DBAPIError as exc:
            if not exc.connection_invalidated or self._fresh:
                raise
        self._drop()  # broken since the last scan (a server restart): once more on a new connection
        self._connect()
        return super().lookup(self._conn, session, ticket)

    def append(self, handle, event: Event, *, guard_slot: int | None = None) -> Event:  # noqa: ANN001
        return super().append(self._conn, event, guard_slot=guard_slot)

    def insert(self, conn: Connection, sealed: Event, guard_slot: int | None) -> None:
        row = event_to_row(sealed)
        values = [row[key] for key in ROW_KEYS] + [Kind.SESSION_CLOSED, sealed.session]
        try:
            if guard_slot is None:
                written = conn.exec_driver_sql(APPEND_EVENT, tuple(values)).all()
            else:
                written = conn.exec_driver_sql(APPEND_ADMISSION, (*values, guard_slot)).all()
        except IntegrityError:
            raise
        except DBAPIError as exc:
            failure = ServerUnreachable if self.store.unreachable(exc) else WriteFailed
            raise failure(describe_failure(exc)) from exc
        if not written:
            closed = closure(conn, sealed.session)
            raise SessionClosed(sealed.session, Closure.from_event(closed).by if closed else "?", closed.at if closed else "?")

    # -- the connection ------------------------------------------------------
    def _connect(self) -> None:
        self._engine = self.store.engine
        conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        # Each run planned for its values and the table's size now: a generic plan is kept for the connection's
        # life, and one made while the log was a few rows (statistics of the roster import, autovacuum late or
        # off) searched the close-out through ix_events_subject, every event of the session, at every scan.
        conn.exec_driver_sql("SET plan_cache_mode = force_custom_plan")
        self._held.conn = conn

    def _drop(self) -> None:
        conn = self._conn
        if conn is not None and not conn.invalidated:
            try:
                conn.invalidate()  # not back to the pool: its state after a failure is unknown
            except DBAPIError:
                pass
        self._held.close()
