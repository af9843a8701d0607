"""Sync's storage: applying chain segments sealed elsewhere (an offline lane, a bundle) to this store's tables.

An event keeps the id, sequence number and hash it was sealed with; it is
only accepted where it links onto what this store already holds of its
device's chain. An admission that collides with another lane's admission is
kept, and an `admission_conflict` event flags the candidate for the chief.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from examops.adapters.store import events as event_log
from examops.adapters.store.engine import WRITTEN_HEADS, Store, utc_now
from examops.adapters.store.schema import admissions
from examops.domain.event_payloads import AdmissionConflict
from examops.domain.events import Event, Kind, new_event_id
from examops.domain.said import N_, SaidError, said


class MergeRefused(SaidError):
    """Nothing was merged: the events do not link onto this store's chains, or were altered."""


@dataclass
class MergeResult:
    received: int = 0
    new: int = 0
    already: int = 0
    conflicts: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"received": self.received, "new": self.new, "already": self.already, "conflicts": self.conflicts}


def apply_chains(store: Store, chains: dict[str, list[Event]], result: MergeResult, *, merged_by: str) -> MergeResult:
    """Insert each device's checked chain segment in one transaction; events already stored are counted, not written."""
    conflict_device = f"{socket.gethostname()}/{merged_by}"
    with store.write() as conn:
        store.device_key(conn)  # the witness file is kept under this laptop's key
        for device, chain in chains.items():
            fresh = []
            for event in chain:
                stored_hash = event_log.stored_hash(conn, event.id)
                if stored_hash is None:
                    fresh.append(event)
                elif stored_hash != event.hash:
                    raise MergeRefused(said(N_("event {event} of {device} differs from the copy already stored: altered"),
                                                event=event.id, device=device))
                else:
                    result.already += 1
            if not fresh:
                continue
            head_seq, head_hash = Store.head(conn, device)
            first = fresh[0]
            if (first.device_seq, first.prev_hash) != (head_seq + 1, head_hash):
                raise MergeRefused(said(N_("chain of {device} does not link on: this store holds up to seq {held}, the first "
                                           "new event is seq {seq}; merge the missing bundle first"),
                                        device=device, held=head_seq, seq=first.device_seq))
            conn.info.setdefault(WRITTEN_HEADS, {})[device] = (fresh[-1].device_seq, fresh[-1].hash)  # seen on merge
            for event in fresh:
                Store.insert_sealed(conn, event)
                result.new += 1
                if event.kind == Kind.ADMITTED:
                    conflict = _guard_admission(conn, event)
                    if conflict is not None:
                        flagged, _ = store.append(conn, Event(
                            new_event_id(), Kind.CONFLICT, utc_now(), conflict_device, 0, event.session, event.ticket,
                            None, merged_by, conflict.to_payload()))
                        result.conflicts.append({"ticket": event.ticket, "session": event.session, **conflict.to_payload(),
                                                 "event_id": flagged.id})
    return result


def _guard_admission(conn: Connection, event: Event) -> AdmissionConflict | None:
    """Take the admission's guard row; if another admission holds it, describe the conflict."""
    try:
        with conn.begin_nested():
            event_log.guard_admission(conn, event.session, event.ticket, event.id)
        return None
    except IntegrityError:
        A = admissions
        holder = conn.execute(select(A.c.event_id).where(A.c.session_id == event.session, A.c.ticket == event.ticket)
                              .order_by(A.c.slot.desc()).limit(1)).scalar()
        kept = event_log.event_by_id(conn, holder) if holder else None
        return AdmissionConflict(kept=holder, conflicting=event.id, kept_lane=kept.lane if kept else None,
                                 kept_at=kept.at if kept else None, conflicting_lane=event.lane, conflicting_at=event.at)
