"""A SQLite store as a one-shot `examops check CODE` writes it: SQLite's own connection, SQLAlchemy never imported.

Only what the compiled scan path needs, from `sqlite_statements` (the store's own statements as SQLAlchemy
compiles them, see `store.compiled`), with the store's promises (`store.engine`): the connection set up as the
engine sets up its own (`sqlite_file.CONNECT_PRAGMAS`: WAL, synchronous=FULL, so a commit is on the disk when it
returns), every migration present (else `open` gives None: the full path opens and migrates), the quick check
waited for before any write (a damaged store is never written here), the file's identity checked before the write
and again before the commit, one `BEGIN IMMEDIATE` transaction, the device key and the witness file of the store.
A write lock not had within the busy timeout is `StoreBusy` (nothing written; the scan is answered NOT RECORDED).
Whatever else happens (an error of SQLite, a constraint, another file at the path) rolls back and raises
`NotHere`: nothing was written, and the caller answers the scan on the full path, which says it as a lane does.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from examops import locations
from examops.adapters import quick_check, sqlite_statements
from examops.adapters.failure_words import is_lock_timeout
from examops.adapters.sqlite_file import BUSY_TIMEOUT_MS, CONNECT_PRAGMAS, Statement

_BEGIN, _COMMIT = Statement("BEGIN IMMEDIATE", (), {}), Statement("COMMIT", (), {})  # as `Store.write` begins its own


class NotHere(Exception):  # noqa: N818 - not an error: the scan goes to the full path
    """This scan is not for the one-shot path; nothing was written."""


class StoreBusy(Exception):  # noqa: N818
    """The write lock was not had within the busy timeout; nothing was written. Answered here, NOT RECORDED:
    the full path would wait the whole timeout again before saying the same (a lane stalled ~10 s at the gate)."""

    def __init__(self, error: sqlite3.Error) -> None:
        super().__init__(str(error))
        self.error = error


class OneShotStore:
    """An open SQLite store for one scan; `close()` it."""

    def __init__(self, path: Path, identity: tuple[int, int], conn: sqlite3.Connection) -> None:
        self.path, self.identity, self.conn = path, identity, conn

    @classmethod
    def open(cls, url: str) -> "OneShotStore | None":
        """The store at a `sqlite:///` URL if this path can serve it (a file there, every migration applied), else None."""
        path = quick_check.sqlite_path(url)
        identity = quick_check.identity(path) if path is not None else None
        if identity is None:
            return None  # another database, or no file (the full path says so)
        try:  # mode=rw: never creates a file
            conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None)
        except sqlite3.Error:
            return None
        store = cls(path, identity, conn)
        try:
            for pragma in CONNECT_PRAGMAS:
                conn.execute(pragma)
            applied = {row[0] for row in store.run(sqlite_statements.APPLIED_MIGRATIONS, {})}
        except (sqlite3.Error, NotHere):
            store.close()
            return None
        if not set(sqlite_statements.MIGRATIONS) <= applied:
            store.close()
            return None
        return store

    def close(self) -> None:
        self.conn.close()

    def run(self, statement: Statement, values: dict) -> list[tuple]:
        """Run `statement` with `values` by name: its rows (none for an insert); NotHere for any error of SQLite."""
        try:
            return self.conn.execute(statement.sql, statement.params(values)).fetchall()
        except sqlite3.Error as exc:
            raise NotHere(str(exc)) from exc

    def setting(self, key: str) -> str | None:
        rows = self.run(sqlite_statements.READ_SETTING, {"key": key})
        return rows[0][0] if rows else None

    def _check_identity(self) -> None:
        if quick_check.identity(self.path) != self.identity:
            raise NotHere("the file at the store's path is not the one opened")

    @contextmanager
    def write(self) -> Iterator[None]:
        """One durable transaction: after the quick check found the file sound; committed (on the disk) when the
        block exits, else rolled back and NotHere."""
        check = quick_check.begun_for(self.path) or quick_check.QuickCheck(self.path)
        if check.wait() != ["ok"]:
            raise NotHere("the quick check did not pass")  # the full path refuses, in its words
        self._check_identity()
        try:
            self.conn.execute(_BEGIN.sql)
        except sqlite3.OperationalError as exc:
            if is_lock_timeout(exc):
                raise StoreBusy(exc) from exc
            raise NotHere(str(exc)) from exc
        try:
            yield
            self._check_identity()
            self.run(_COMMIT, {})
        except BaseException:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # closing the connection rolls it back too
            raise

    @staticmethod
    def device_key(store_id: str):  # noqa: ANN205 - a DeviceKey
        """This laptop's key for the store `store_id` (as `Store.device_key`: made on first use)."""
        from examops.adapters.signing import DeviceKey

        return DeviceKey.load_or_create(locations.device_key_path(store_id))

    @staticmethod
    def witness(store_id: str, heads: dict) -> None:
        """Record committed heads in this laptop's witness file for the store `store_id` (as `Store.witness`)."""
        from examops.adapters.witness import Witness

        Witness(locations.witness_path(store_id)).record(heads)
