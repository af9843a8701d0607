"""Knowing within a second that another lane recorded something.

Both stores are polled: SQLite for `max(pos)` of the events table, PostgreSQL for the positions near the top of
the log, on a connection of the watcher's own. Why not LISTEN/NOTIFY on PostgreSQL: a transaction that
notifies takes one lock for the whole database at commit and holds it through its WAL flush, so every lane's
scan would wait for every other lane's fsync in turn (no group commit): that queue was the 8-lane tail of
issue 15. A poll costs the watcher one index-only query every POLL_EVERY_S and the lanes nothing.

On PostgreSQL `pos` comes from a sequence, so a transaction can commit a lower `pos` after a higher one was
seen: the watcher keeps the positions it saw above `top - LATE_WINDOW` and counts any it had not seen.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from examops.adapters.store import schema
from examops.adapters.store.engine import Store

POLL_EVERY_S = 0.3
LATE_WINDOW = 500  # positions below the top a commit may still land at (a transaction slower than 500 others)
RECONNECT_EVERY_S = 2.0
CONNECT_TIMEOUT_S = 3


class EventWatcher:
    """`wait(timeout)` returns True as soon as events were stored since the last True (or since it started)."""

    def __init__(self, store: Store):
        self.store = store
        self._closed = threading.Event()
        self._conn = None
        self._floor: int | None = None
        self._positions: set[int] = set()
        self._missed = False
        self._reconnect_at = 0.0
        self._lock = threading.Lock()
        if store.is_sqlite:
            self._seen = self._max_pos()
        else:
            self._connect()

    def wait(self, timeout: float) -> bool:
        """Block up to `timeout` seconds; True when new events arrived."""
        deadline = time.monotonic() + timeout
        if self.store.is_sqlite:
            return self._poll_until(deadline)
        return self._poll_pg_until(deadline)

    def close(self) -> None:
        """Stop waiting (from any thread, within a fraction of a second) and close the polling connection."""
        self._closed.set()
        with self._lock:
            self._drop(missed=False)

    # -- SQLite ---------------------------------------------------------
    def _max_pos(self) -> int:
        with self.store.read() as conn:
            return conn.execute(select(func.max(schema.events.c.pos))).scalar() or 0

    def _poll_until(self, deadline: float) -> bool:
        while not self._closed.is_set():
            latest = self._max_pos()
            if latest != self._seen:
                self._seen = latest
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._closed.wait(min(POLL_EVERY_S, remaining)):
                return False
        return False

    # -- PostgreSQL -----------------------------------------------------
    def _connect(self) -> bool:
        """Open the polling connection; False if the server does not answer (retried later)."""
        import psycopg

        self._reconnect_at = time.monotonic() + RECONNECT_EVERY_S
        engine = self.store.engine
        cargs, cparams = engine.dialect.create_connect_args(engine.url)
        cparams.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
        try:
            self._conn = psycopg.connect(*cargs, **cparams, autocommit=True)
            if self._floor is None:
                top = self._conn.execute("SELECT max(pos) FROM events").fetchone()[0] or 0
                self._floor = max(top - LATE_WINDOW, 0)
                self._new_positions()
        except psycopg.Error:
            self._drop()
            return False
        return True

    def _new_positions(self) -> bool:
        """Whether the log holds a position above the floor that the last poll did not see; moves the floor up."""
        rows = self._conn.execute("SELECT pos FROM events WHERE pos > %s", (self._floor,), prepare=True).fetchall()
        positions = {row[0] for row in rows}
        new = not positions <= self._positions
        floor = max(max(positions, default=0) - LATE_WINDOW, self._floor)
        self._floor, self._positions = floor, {pos for pos in positions if pos > floor}
        return new

    def _poll_pg_until(self, deadline: float) -> bool:
        import psycopg

        with self._lock:
            while not self._closed.is_set():
                if self._conn is None and time.monotonic() >= self._reconnect_at and self._connect() and self._missed:
                    self._missed = False  # whatever happened while nobody watched counts as new
                    return True
                if self._conn is not None:
                    try:
                        if self._new_positions():
                            return True
                    except psycopg.Error:
                        self._drop()
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed.wait(min(POLL_EVERY_S, remaining)):
                    break
            if self._closed.is_set():
                self._drop(missed=False)
            return False

    def _drop(self, *, missed: bool = True) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - closing a connection that may already be broken
                pass
        self._conn = None
        self._missed = missed
