"""The storage half of an offline lane's cache: a SQLite copy of the roster and of the admissions stored anywhere.

The orchestration (when to go offline, upload, refresh) is `services.offline`;
here is only what it reads from the shared store and writes into the cache.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from examops.adapters.store.bulk import bulk_insert, create_roster_indexes, drop_roster_indexes
from examops.adapters.store.engine import Store
from examops.adapters.store.events import admission_slot
from examops.adapters.store.schema import admissions, candidates, events, rooms, seats, sessions
from examops.domain.events import Kind

ROSTER_TABLES = (sessions, rooms, candidates, seats)
E, A = events, admissions


def roster_fingerprint(conn: Connection) -> str:
    """Changes whenever the roster tables or the plan could have: counts, the last roster import, the sessions."""
    parts = [str(conn.execute(select(func.count()).select_from(table)).scalar_one()) for table in ROSTER_TABLES]
    parts.append(str(conn.execute(select(func.max(E.c.pos)).where(E.c.kind.in_((Kind.ROSTER_IMPORTED, Kind.ROOM_OPENED)))).scalar() or 0))
    session_rows = conn.execute(select(sessions).order_by(sessions.c.id)).all()
    parts.append(hashlib.sha256(repr([tuple(row) for row in session_rows]).encode()).hexdigest()[:16])
    return ":".join(parts)


def copy_roster(source: Store, target: Store) -> None:
    """Replace the cache's roster tables with the shared store's, in one transaction."""
    with source.read() as conn:
        copies = [(table, conn.execute(select(table).order_by(*table.primary_key.columns)).all()) for table in ROSTER_TABLES]
    with target.write() as conn:
        drop_roster_indexes(conn)
        for table, rows in copies:
            conn.execute(delete(table))
            bulk_insert(conn, table, [column.name for column in table.columns], [tuple(row) for row in rows])
        create_roster_indexes(conn)


def admissions_since(conn: Connection, since_pos: int) -> list:
    """Guard rows (session_id, ticket, slot, event_id) with their event's `pos`, for events after `since_pos`."""
    return conn.execute(
        select(A.c.session_id, A.c.ticket, A.c.slot, A.c.event_id, E.c.pos)
        .select_from(A.join(E, E.c.id == A.c.event_id)).where(E.c.pos > since_pos)
    ).all()


def mirror_admissions(conn: Connection, rows) -> None:  # noqa: ANN001
    """Copy guard rows into the cache; rows it already holds are kept as they are."""
    conn.execute(sqlite_insert(A).on_conflict_do_nothing(), [
        {"session_id": r.session_id, "ticket": r.ticket, "slot": r.slot, "event_id": r.event_id} for r in rows])


def carry_admission(conn: Connection, session: str, ticket: str, event_id: str) -> None:
    """An admission this lane stored in the shared store, noted in the cache so a second scan is a duplicate."""
    conn.execute(sqlite_insert(A).on_conflict_do_nothing(), {
        "session_id": session, "ticket": ticket, "slot": admission_slot(conn, session, ticket), "event_id": event_id})


def count_after(conn: Connection, device: str, after_seq: int) -> int:
    """How many of a device's events lie beyond `after_seq`."""
    return conn.execute(select(func.count()).select_from(E).where(E.c.device == device, E.c.device_seq > after_seq)).scalar_one()


def server_answers(store: Store) -> bool:
    """One round trip to the store (safe from any thread)."""
    try:
        with store.read() as conn:
            conn.exec_driver_sql("SELECT 1")
    except DBAPIError:
        return False
    return True
