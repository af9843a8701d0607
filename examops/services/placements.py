"""Where the chief proctor has placed candidates: reallocations and moves, folded from the log."""

from __future__ import annotations

from sqlalchemy import Connection, select

from examops.adapters import schema
from examops.adapters.store import row_to_event
from examops.domain.events import Kind
from examops.domain.state import voided_targets

E = schema.events


def placements(conn: Connection, session: str) -> dict[str, tuple[str, int]]:
    """Where each candidate placed by the chief proctor sits now (ticket → room, seat).

    Gate admissions keep the roster seat; only the chief's events (no lane) move people.
    """
    rows = conn.execute(select(E).where(E.c.session_id == session, E.c.lane.is_(None),
                                        E.c.kind.in_((Kind.ADMITTED, Kind.MOVED, Kind.VOIDED))).order_by(E.c.pos)).all()
    events = [row_to_event(row) for row in rows]
    voided = voided_targets(events)
    where: dict[str, tuple[str, int]] = {}
    for event in events:
        if event.kind != Kind.VOIDED and event.id not in voided and event.data.room:
            where[event.ticket] = (event.data.room, int(event.data.seat))
    return where
