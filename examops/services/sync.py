"""Merging events written elsewhere (an offline lane, a bundle): idempotent, chain-checked, conflicts flagged.

An event keeps the id, sequence number and hash it was sealed with; it is
only accepted where it links onto what this store already holds of its
device's chain. An admission that collides with another lane's admission is
kept, and an `admission_conflict` event flags the candidate for the chief.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Iterable

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from examops.adapters import schema
from examops.adapters.store import Store, row_to_event, utc_now
from examops.domain.event_payloads import AdmissionConflict
from examops.domain.events import ChainBreak, Event, Kind, new_event_id, verify_chain
from examops.services.ledger import admission_slot, announce

E = schema.events


class MergeRefused(Exception):
    """Nothing was merged: the events do not link onto this store's chains, or were altered."""


@dataclass
class MergeResult:
    received: int = 0
    new: int = 0
    already: int = 0
    conflicts: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"received": self.received, "new": self.new, "already": self.already, "conflicts": self.conflicts}


def _by_device(events: Iterable[Event]) -> dict[str, list[Event]]:
    chains: dict[str, list[Event]] = {}
    for event in events:
        chains.setdefault(event.device, []).append(event)
    for chain in chains.values():
        chain.sort(key=lambda e: e.device_seq)
    return chains


def check_chains(events: Iterable[Event]) -> dict[str, list[Event]]:
    """Each device's events must form an unbroken, unaltered chain segment."""
    chains = _by_device(events)
    for device, chain in chains.items():
        breaks: list[ChainBreak] = verify_chain(chain, chain[0].device_seq, chain[0].prev_hash)
        if breaks:
            raise MergeRefused(f"chain broken: {breaks[0]}")
    return chains


def merge_events(store: Store, events: Iterable[Event], *, merged_by: str = "sync") -> MergeResult:
    """Merge events into `store` in one transaction; re-merging the same events changes nothing."""
    result = MergeResult()
    chains = check_chains(events)
    result.received = sum(len(c) for c in chains.values())
    conflict_device = f"{socket.gethostname()}/{merged_by}"
    with store.write() as conn:
        for device, chain in chains.items():
            fresh = []
            for event in chain:
                row = conn.execute(select(E.c.hash).where(E.c.id == event.id)).first()
                if row is None:
                    fresh.append(event)
                elif row.hash != event.hash:
                    raise MergeRefused(f"event {event.id} of {device} differs from the copy already stored: altered")
                else:
                    result.already += 1
            if not fresh:
                continue
            head_seq, head_hash = Store.head(conn, device)
            first = fresh[0]
            if (first.device_seq, first.prev_hash) != (head_seq + 1, head_hash):
                raise MergeRefused(
                    f"chain of {device} does not link on: this store holds up to seq {head_seq}, "
                    f"the first new event is seq {first.device_seq}; merge the missing bundle first")
            for event in fresh:
                Store.insert_sealed(conn, event)
                result.new += 1
                if event.kind == Kind.ADMITTED:
                    conflict = _guard_admission(conn, event)
                    if conflict is not None:
                        flagged, _ = Store.append(conn, Event(
                            new_event_id(), Kind.CONFLICT, utc_now(), conflict_device, 0, event.session, event.ticket,
                            None, merged_by, conflict.to_payload()))
                        result.conflicts.append({"ticket": event.ticket, "session": event.session, **conflict.to_payload(),
                                                 "event_id": flagged.id})
        if result.new:
            announce(conn)
    return result


def _guard_admission(conn, event: Event) -> AdmissionConflict | None:  # noqa: ANN001
    """Take the admission's guard row; if another admission holds it, describe the conflict."""
    try:
        with conn.begin_nested():
            conn.execute(insert(schema.admissions).values(
                session_id=event.session, ticket=event.ticket,
                slot=admission_slot(conn, event.session, event.ticket), event_id=event.id))
        return None
    except IntegrityError:
        A = schema.admissions
        holder = conn.execute(select(A.c.event_id).where(A.c.session_id == event.session, A.c.ticket == event.ticket)
                              .order_by(A.c.slot.desc()).limit(1)).scalar()
        kept = row_to_event(conn.execute(select(E).where(E.c.id == holder)).first()) if holder else None
        return AdmissionConflict(kept=holder, conflicting=event.id, kept_lane=kept.lane if kept else None,
                                 kept_at=kept.at if kept else None, conflicting_lane=event.lane, conflicting_at=event.at)
