"""The order the store took events in (`pos`) against each device's own sequence and against cause and effect."""

from __future__ import annotations

from typing import Iterable

from examops.domain.event_payloads import decided_exception
from examops.domain.events import Event, Kind
from examops.domain.said import N_, NP_, Said, said

DECISION_WORDS = {Kind.APPROVED: NP_("decision", "approval"), Kind.REJECTED: NP_("decision", "rejection"),
                  Kind.RESOLVED: NP_("decision", "resolution"), Kind.ADMITTED: NP_("decision", "admission")}
"""What decides an exception, in words (the event kind itself is a code: "approved" inside a Chinese sentence)."""


def order_problems(events_in_pos_order: Iterable[Event], last_seq: dict[str, int] | None = None,
                   exceptions_before: set[str] | None = None) -> list[Said]:
    """Events out of their device's order, and decisions stored before (or without) the exception they decide.

    Given only the newest events, `last_seq` (device → seq) and `exceptions_before` say what the log held before them."""
    problems: list[Said] = []
    last_seq = dict(last_seq or {})
    exceptions_seen: set[str] = set(exceptions_before or ())
    exceptions_all = set(exceptions_seen)
    events = list(events_in_pos_order)
    for event in events:
        if event.kind == Kind.EXCEPTION:
            exceptions_all.add(event.id)
    for event in events:
        previous = last_seq.get(event.device, 0)
        if event.device_seq <= previous:
            problems.append(said(N_("device {device}, seq {seq} (event {event}): stored after seq {previous} of the same "
                                    "device: the log was reordered"), device=event.device, seq=event.device_seq,
                                 event=event.id, previous=previous))
        last_seq[event.device] = max(previous, event.device_seq)
        if event.kind == Kind.EXCEPTION:
            exceptions_seen.add(event.id)
        decided = decided_exception(event.data)
        if decided and decided not in exceptions_seen:
            template = (N_("device {device}, seq {seq} (event {event}): {kind} of exception {exception}, which is stored "
                           "after it: the log was reordered or cut") if decided in exceptions_all else
                        N_("device {device}, seq {seq} (event {event}): {kind} of exception {exception}, which is not in "
                           "the log: the log was reordered or cut"))
            problems.append(said(template, device=event.device, seq=event.device_seq, event=event.id,
                                 kind=said(DECISION_WORDS[event.kind]) if event.kind in DECISION_WORDS else event.kind,
                                 exception=decided))
    return problems
