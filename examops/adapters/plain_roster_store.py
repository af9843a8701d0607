"""A SQLite store as a roster import into empty roster tables writes it: SQLite's own connection, no SQLAlchemy.

The import's store half (`services.plain_roster`) on `one_shot_store.OneShotStore` (the connection set up as the
engine sets up its own, every migration present, the quick check waited for before the write, the file's identity
checked before the write and before the commit, one `BEGIN IMMEDIATE` transaction, the device key and the witness
file), with the statements `sqlite_statements` renders from the store's own (`store.compiled`): the loads, the
roster's index DDL, the digests' reads, the event insert and the chain head. What it writes is what
`roster_queries.write_roster` writes into empty tables (the rows of `roster_rows`, the digests of
`roster_digests`), so a store imported here and one imported by the full path differ only in their events' ids,
times and signatures. Any error of SQLite, or roster tables that turn out not to be empty inside the write, rolls
back and raises `NotHere`: nothing was written, and the caller imports on the full path.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import replace
from typing import Iterator, Sequence

from examops.adapters import sqlite_statements as S
from examops.adapters.one_shot_store import NotHere, OneShotStore
from examops.adapters.roster_digests import SETTING_PARTS, loaded_digests, parts
from examops.adapters.roster_rows import EverySession, insert_rows, new_room_rows, on_thread_during
from examops.adapters.scan_rows import ANCHOR_PREFIX, event_to_row, later_head
from examops.adapters.sqlite_file import Statement
from examops.domain.events import Event, seal, signing_message

__all__ = ["NotHere", "PlainRosterStore"]
LOAD_CACHE_KIB = 32 * 1024
"""SQLite's page cache for the load's connection (2 MiB by default): a 50k roster's store (~14 MB) stays in memory
until the commit instead of spilling pages to the WAL mid-load and writing them again. Not kept in the file."""


class PlainRosterStore(OneShotStore):
    """An open SQLite store for one roster import into empty roster tables; `close()` it."""

    def roster_empty(self) -> bool:
        """Neither `candidates` nor `seats` holds a row (the only store this path imports into)."""
        return not self.run(S.ANY_CANDIDATE, {}) and not self.run(S.ANY_SEAT, {})

    def room_ids(self) -> set[str]:
        return {row[0] for row in self.run(S.ROOM_IDS, {})}

    @contextmanager
    def load(self) -> Iterator[None]:
        """The write transaction of a load into empty roster tables (`NotHere` when they are not empty by then)."""
        self.run(Statement(f"PRAGMA cache_size=-{LOAD_CACHE_KIB}", (), {}), {})
        with self.write():
            if not self.roster_empty():
                raise NotHere("the roster tables are no longer empty")
            yield

    def write_roster(self, candidate_rows: Sequence[tuple], seat_rows: Sequence[tuple] | EverySession,
                     new_rooms: Sequence[str], *, bulk: bool) -> dict[str, str]:
        """`roster_queries.write_roster` into empty tables inside `load()`, `bulk` with the indexes dropped and rebuilt
        after; the roster parts' digests (`loaded_digests`, made on a thread while SQLite copies the seats to the other
        sessions and builds the indexes, long statements that do not hold the GIL)."""
        cursor = self.conn.cursor()
        try:
            if bulk:
                self._script(S.DROP_ROSTER_INDEXES)
            self._insert(cursor, S.LOAD_CANDIDATES, candidate_rows)
            copies: list[tuple[str, str]] = []  # (session, from session): one INSERT … SELECT each, GIL-free
            if isinstance(seat_rows, EverySession):
                if seat_rows.sessions and seat_rows.placed:
                    first, *others = seat_rows.sessions
                    self._insert(cursor, S.LOAD_SEATS, list(seat_rows.rows_of(first)))
                    copies = [(session, first) for session in others]
            else:
                self._insert(cursor, S.LOAD_SEATS, seat_rows)

            def in_sqlite() -> None:  # long statements that run without the GIL, beside the digests' thread
                for session, first in copies:
                    self.run(S.COPY_SEATS, {"session": session, "first": first})
                if bulk:
                    self._script(S.CREATE_ROSTER_INDEXES)

            work = lambda: loaded_digests(candidate_rows, seat_rows)  # noqa: E731
            if bulk:
                done = on_thread_during(work, in_sqlite)
            else:
                in_sqlite()
                done = work()
            if new_rooms:
                self._insert(cursor, S.LOAD_ROOMS, new_room_rows(new_rooms))
        finally:
            cursor.close()
        return done

    def digests(self, roster: dict[str, str]) -> dict[str, str]:
        """`store.digests.live_digests` of this transaction, the roster's parts being `roster` (as `loaded` there)."""
        values = {key: value for key in SETTING_PARTS.values() if (value := self.setting(key)) is not None}
        pin = self.run(S.READ_PIN_HASH, {})
        return parts(values, pin[0][0] if pin else None, roster, self.run(S.ROOM_ROWS, {}), self.run(S.SESSION_ROWS, {}))

    def recorded_digests(self) -> dict[str, str] | None:
        """The digests of the log's last record of the tables (a PLAN_SET event's), or None where none is."""
        rows = self.run(S.LAST_TABLES_RECORD, {})
        return json.loads(rows[0][0]).get("digests", {}) if rows else None

    def append(self, event: Event, signer) -> Event:  # noqa: ANN001 - a DeviceKey
        """`Store.append` of a new event: sealed at the end of its device's chain, signed, inserted."""
        seq, prev = later_head(next(iter(self.run(S.HEAD, {"device": event.device})), None),
                               self.setting(ANCHOR_PREFIX + event.device))
        sealed = seal(replace(event, device_seq=seq + 1), prev)
        sealed = replace(sealed, signer=signer.public_b64, signature=signer.sign(signing_message(sealed.hash)))
        self.run(S.INSERT_EVENT, event_to_row(sealed))
        return sealed

    def _insert(self, cursor, statement: Statement, rows: Sequence[tuple]) -> None:  # noqa: ANN001
        try:
            insert_rows(cursor, statement.sql, len(statement.order), rows)
        except Exception as exc:  # noqa: BLE001 - sqlite3.Error and its kin: the full path imports instead
            raise NotHere(str(exc)) from exc

    def _script(self, statement: Statement) -> None:
        for sql in statement.sql.split("; "):  # never executescript: it would commit the transaction
            self.run(Statement(sql, (), {}), {})
