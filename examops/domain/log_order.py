"""The order the store took events in (`pos`) against each device's own sequence and against cause and effect."""

from __future__ import annotations

from typing import Iterable

from examops.domain.event_payloads import decided_exception
from examops.domain.events import Event, Kind


def order_problems(events_in_pos_order: Iterable[Event]) -> list[str]:
    """Events out of their device's order, and decisions stored before (or without) the exception they decide."""
    problems: list[str] = []
    last_seq: dict[str, int] = {}
    exceptions_seen: set[str] = set()
    exceptions_all = set()
    events = list(events_in_pos_order)
    for event in events:
        if event.kind == Kind.EXCEPTION:
            exceptions_all.add(event.id)
    for event in events:
        previous = last_seq.get(event.device, 0)
        if event.device_seq <= previous:
            problems.append(f"device {event.device}, seq {event.device_seq} (event {event.id}): stored after seq "
                            f"{previous} of the same device: the log was reordered")
        last_seq[event.device] = max(previous, event.device_seq)
        if event.kind == Kind.EXCEPTION:
            exceptions_seen.add(event.id)
        decided = decided_exception(event.data)
        if decided and decided not in exceptions_seen:
            where = "is stored after it" if decided in exceptions_all else "is not in the log"
            problems.append(f"device {event.device}, seq {event.device_seq} (event {event.id}): {event.kind} of exception "
                            f"{decided}, which {where}: the log was reordered or cut")
    return problems
