"""Where the chief proctor has placed candidates: reallocations and moves, folded from the log."""

from __future__ import annotations

from examops.adapters.store import Connection
from examops.adapters.store.gate_queries import placement_events
from examops.domain.events import Kind
from examops.domain.state import voided_targets


def placements(conn: Connection, session: str) -> dict[str, tuple[str, int]]:
    """Where each candidate placed by the chief proctor sits now (ticket → room, seat).

    Gate admissions keep the roster seat; only the chief's events (no lane) move people.
    """
    events = placement_events(conn, session)
    voided = voided_targets(events)
    where: dict[str, tuple[str, int]] = {}
    for event in events:
        if event.kind != Kind.VOIDED and event.id not in voided and event.data.room:
            where[event.ticket] = (event.data.room, int(event.data.seat))
    return where
