"""Knowing within a second that another lane recorded something.

On PostgreSQL the watcher LISTENs on the channel `events.announce` notifies in
the same transaction as each event, on a connection of its own; on SQLite it
polls `max(pos)` of the events table, which costs next to nothing.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from examops.adapters.store import schema
from examops.adapters.store.engine import Store
from examops.adapters.store.events import EVENTS_CHANNEL

POLL_EVERY_S = 0.3
LISTEN_SLICE_S = 0.25  # how long one blocking wait may keep `close()` waiting
RECONNECT_EVERY_S = 2.0
CONNECT_TIMEOUT_S = 3


class EventWatcher:
    """`wait(timeout)` returns True as soon as events were stored since the last True (or since it started)."""

    def __init__(self, store: Store):
        self.store = store
        self._closed = threading.Event()
        self._conn = None
        self._schema: str | None = None
        self._missed = False
        self._reconnect_at = 0.0
        self._lock = threading.Lock()
        if store.is_sqlite:
            self._seen = self._max_pos()
        else:
            self._listen()

    def wait(self, timeout: float) -> bool:
        """Block up to `timeout` seconds; True when new events arrived."""
        deadline = time.monotonic() + timeout
        if self.store.is_sqlite:
            return self._poll_until(deadline)
        return self._listen_until(deadline)

    def close(self) -> None:
        """Stop waiting (from any thread, within a fraction of a second) and close the listening connection."""
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
    def _listen(self) -> bool:
        """Open the listening connection; False if the server does not answer (retried later)."""
        import psycopg

        self._reconnect_at = time.monotonic() + RECONNECT_EVERY_S
        engine = self.store.engine
        cargs, cparams = engine.dialect.create_connect_args(engine.url)
        cparams.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
        try:
            conn = psycopg.connect(*cargs, **cparams, autocommit=True)
            conn.execute(f"LISTEN {EVENTS_CHANNEL}")
            self._schema = conn.execute("SELECT current_schema()").fetchone()[0]
        except psycopg.Error:
            self._missed = True
            return False
        self._conn = conn
        return True

    def _listen_until(self, deadline: float) -> bool:
        import psycopg

        with self._lock:
            while not self._closed.is_set():
                if self._conn is None and time.monotonic() >= self._reconnect_at and self._listen() and self._missed:
                    self._missed = False  # whatever happened while nobody listened counts as new
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                if self._conn is None:
                    self._closed.wait(min(remaining, LISTEN_SLICE_S))
                    continue
                try:
                    if self._received(min(remaining, LISTEN_SLICE_S), stop_after=1):
                        self._received(0.001)  # notices already queued: one True covers them all
                        return True
                except psycopg.Error:
                    self._drop()
            self._drop(missed=False)
            return False

    def _received(self, timeout: float, stop_after: int | None = None) -> bool:
        """Whether a notice for this store arrived within `timeout` (the generator is closed before returning)."""
        notices = self._conn.notifies(timeout=timeout, stop_after=stop_after)
        try:
            return any([note.payload == self._schema for note in notices])
        finally:
            notices.close()

    def _drop(self, *, missed: bool = True) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - closing a connection that may already be broken
                pass
        self._conn = None
        self._missed = missed
