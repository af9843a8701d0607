"""Writing events: one transaction per fact, admissions guarded by the primary key.

Shared by the gate lane and the chief proctor's actions so that every
admission, wherever it comes from, goes through the same uniqueness guard.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from examops.adapters import schema
from examops.adapters.store import Store, WriteFailed
from examops.domain.events import Event, Kind

DEVICE_SEQ_RETRIES = 5


def admission_slot(conn: Connection, session: str, ticket: str) -> int:
    """How many earlier admissions of this candidate were voided: the next admission's slot.

    The slot only changes after a chief proctor voids an admission; two lanes
    racing for the same slot still collide on the primary key.
    """
    E = schema.events
    voids = conn.execute(select(E.c.payload).where(E.c.session_id == session, E.c.ticket == ticket, E.c.kind == Kind.VOIDED)).all()
    return sum(1 for (payload,) in voids if json.loads(payload).get("target_kind") == Kind.ADMITTED)


def append_in(conn: Connection, store: Store, event: Event) -> Event:
    """Append inside an open transaction; an admission also takes its guard row (may raise IntegrityError)."""
    stored, inserted = store.append(conn, event)
    if inserted and event.kind == Kind.ADMITTED:
        conn.execute(insert(schema.admissions).values(
            session_id=event.session, ticket=event.ticket,
            slot=admission_slot(conn, event.session, event.ticket), event_id=stored.id,
        ))
    return stored


def record(store: Store, *events: Event) -> list[Event]:
    """Append events in one transaction; retry only when another process took this device's sequence number.

    Raises IntegrityError when an admission loses the race (the caller says
    `duplicate`) and WriteFailed when nothing could be written.
    """
    for attempt in range(DEVICE_SEQ_RETRIES):
        try:
            with store.write() as conn:
                return [append_in(conn, store, event) for event in events]
        except IntegrityError as exc:
            if "device" in str(exc.orig).lower() and attempt < DEVICE_SEQ_RETRIES - 1:
                continue
            raise
    raise WriteFailed("could not append to this device's chain")
