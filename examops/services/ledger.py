"""Writing events: one transaction per fact, admissions guarded by the primary key.

Shared by the gate lane and the chief proctor's actions so that every
admission, wherever it comes from, goes through the same uniqueness guard.
"""

from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from examops.adapters import schema
from examops.adapters.store import Store, WriteFailed, row_to_event
from examops.domain.event_payloads import SessionClosed as Closure, Voided, with_override
from examops.domain.events import Event, Kind

DEVICE_SEQ_RETRIES = 5
EVENTS_CHANNEL = "examops_events"


def admission_slot(conn: Connection, session: str, ticket: str) -> int:
    """How many earlier admissions of this candidate were voided: the next admission's slot.

    The slot only changes after a chief proctor voids an admission; two lanes
    racing for the same slot still collide on the primary key.
    """
    E = schema.events
    voids = conn.execute(select(E.c.payload).where(E.c.session_id == session, E.c.ticket == ticket, E.c.kind == Kind.VOIDED)).all()
    return sum(1 for (payload,) in voids if Voided.from_payload(json.loads(payload)).target_kind == Kind.ADMITTED)


class SessionClosed(WriteFailed):
    """The chief proctor signed the session off; later events need an override with a reason."""


def closure(conn: Connection, session: str | None) -> Event | None:
    """The close-out event of `session`, if it was closed."""
    if session is None:
        return None
    E = schema.events
    row = conn.execute(select(E).where(E.c.kind == Kind.SESSION_CLOSED, E.c.session_id == session).limit(1)).first()
    return row_to_event(row) if row is not None else None


def append_in(conn: Connection, store: Store, event: Event, *, override: str | None = None) -> Event:
    """Append inside an open transaction; an admission also takes its guard row (may raise IntegrityError)."""
    closed = closure(conn, event.session) if event.kind != Kind.SESSION_CLOSED else None
    if closed is not None:
        if not (override or "").strip():
            raise SessionClosed(f"session {event.session} was closed by {Closure.from_event(closed).by} at {closed.at}: "
                                "a later record needs an override with a reason (--override REASON)")
        event = replace(event, payload=with_override(event.payload, override.strip()))
    stored, inserted = store.append(conn, event)
    if inserted and event.kind == Kind.ADMITTED:
        conn.execute(insert(schema.admissions).values(
            session_id=event.session, ticket=event.ticket,
            slot=admission_slot(conn, event.session, event.ticket), event_id=stored.id,
        ))
    if inserted:
        announce(conn)
    return stored


def announce(conn: Connection) -> None:
    """Wake the lanes LISTENing on a PostgreSQL store; the notice goes out at commit and is dropped on rollback.

    The payload is the schema, so stores sharing one database tell their own notices apart.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_notify('{EVENTS_CHANNEL}', current_schema())")


def record(store: Store, *events: Event, override: str | None = None) -> list[Event]:
    """Append events in one transaction; retry only when another process took this device's sequence number.

    Raises IntegrityError when an admission loses the race (the caller says
    `duplicate`) and WriteFailed when nothing could be written.
    """
    for attempt in range(DEVICE_SEQ_RETRIES):
        try:
            with store.write() as conn:
                return [append_in(conn, store, event, override=override) for event in events]
        except IntegrityError as exc:
            if "device" in str(exc.orig).lower() and attempt < DEVICE_SEQ_RETRIES - 1:
                continue
            raise
    raise WriteFailed("could not append to this device's chain")
