"""Digests of what the plan, policy, report key, PIN hash and roster tables hold now: recorded in the log, recomputed by `verify`.

The digests themselves are made by `adapters.roster_digests` (shared with the SQLAlchemy-free SQLite import).
"""

from __future__ import annotations

from typing import Mapping

from sqlalchemy import Connection, select

from examops.adapters.roster_digests import NO_PIN, SETTING_PARTS, _digest, _seats_digest, loaded_digests, parts, roster_parts
from examops.adapters.store import secrets
from examops.adapters.store.schema import events, rooms, sessions, settings

__all__ = ["SETTING_PARTS", "_digest", "_seats_digest", "live_digests", "loaded_digests"]
ROOM_ROWS = select(rooms.c.id, rooms.c.name, rooms.c.capacity, rooms.c.kind).order_by(rooms.c.id)
SESSION_ROWS = select(sessions.c.id, sessions.c.name, sessions.c.date, sessions.c.start, sessions.c.end,
                      sessions.c.late_entry_minutes).order_by(sessions.c.id)
"""The rooms' and sessions' parts: compiled for the SQLite import without SQLAlchemy too (`store.compiled`)."""
LAST_RECORD = select(events.c.payload).where(events.c.kind == "plan_set").order_by(events.c.pos.desc()).limit(1)
"""The payload of the log's last record of the tables (a PLAN_SET event): what they held then."""


def _driver_rows(conn: Connection, sql: str) -> list[tuple]:
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def live_digests(conn: Connection, *, loaded: Mapping[str, str] | None = None,
                 roster: Mapping[str, str] | None = None) -> dict[str, str]:
    """Part name → SHA-256 of its canonical content, as the tables hold it now.

    `loaded` is `loaded_digests` of the rows this transaction has just loaded into empty tables: on SQLite they stand
    for the roster tables, which are not read back (elsewhere they are). `roster` stands for them on any store: the
    cheap tamper check's, once it has shown the tables' rows are the ones verified before.
    """
    values = dict(conn.execute(select(settings.c.key, settings.c.value).where(
        settings.c.key.in_(tuple(SETTING_PARTS.values())))).all())
    # The lanes' login on PostgreSQL cannot read the PIN hash: verify at the chief's desk checks it.
    pin_hash = secrets.read_secret(conn, secrets.PIN_HASH) if secrets.readable(conn) else NO_PIN
    if roster is not None:
        pass
    elif loaded is not None and conn.dialect.name == "sqlite":
        roster = loaded
    else:
        # The two big tables straight from the driver: plain tuples, no result-row objects (json writes a tuple as a list).
        people = _driver_rows(conn, "SELECT ticket, name, id_number, sex, site FROM candidates ORDER BY ticket")
        seat_rows = _driver_rows(conn, "SELECT session_id, ticket, room_id, seat FROM seats ORDER BY session_id, ticket")
        roster = roster_parts(*(zip(*people) if people else ((),) * 5), seat_rows)
    return parts(values, pin_hash, roster, conn.execute(ROOM_ROWS).all(), conn.execute(SESSION_ROWS).all())


def seat_rows(conn: Connection) -> list[tuple]:
    """Every seat row (session_id, ticket, room_id, seat) in the order the seats digest takes them."""
    return _driver_rows(conn, "SELECT session_id, ticket, room_id, seat FROM seats ORDER BY session_id, ticket")
