"""The scan path's rows and domain values, on both sides of the store: what a look-up's rows say, an event's row.

Shared by `store.scan_path` (SQLAlchemy's connection) and `one_shot_store` (SQLite's own, for a one-shot
`examops check CODE` that never imports SQLAlchemy), so the two read and write the same columns the same way.
"""

from __future__ import annotations

import json

from examops.domain.events import GENESIS, Event, Kind
from examops.domain.verdict import CandidateCard

ANCHOR_PREFIX = "chain_anchor:"
"""The setting `ANCHOR_PREFIX + device` holds the anchor a device's local chain links on from ("seq:hash")."""


class Lookup:
    """What one look-up found: the card, the day's events in log order, and the session's close-out if any."""

    __slots__ = ("card", "day", "closure")

    def __init__(self, card: CandidateCard, day: list[Event], closure: Event | None) -> None:
        self.card, self.day, self.closure = card, day, closure


def lookup_from_rows(rows: list, session: str, ticket: str) -> Lookup | None:
    """The rows of `scan_path.LOOKUP` (candidate and seat, then one event's columns each) as a `Lookup`; None when
    the roster has no such ticket."""
    if not rows:
        return None
    first = rows[0]
    card = CandidateCard(first[0], first[1], first[2], first[3], first[4], first[5], session)
    day, closure = [], None
    for row in rows:
        if row[7] is None:  # no event at all
            continue
        event = Event(id=row[7], kind=row[8], at=row[9], device=row[10], device_seq=row[11], session=row[12],
                      ticket=row[13], lane=row[14], staff=row[15], payload=json.loads(row[16]), prev_hash=row[17],
                      hash=row[18], signer=row[19] or "", signature=row[20] or "")
        if event.kind == Kind.SESSION_CLOSED and event.ticket != ticket:
            closure = closure or event
        else:
            day.append(event)
    return Lookup(card, day, closure)


def event_to_row(event: Event) -> dict:
    return {
        "id": event.id,
        "kind": event.kind,
        "at": event.at,
        "device": event.device,
        "device_seq": event.device_seq,
        "session_id": event.session,
        "ticket": event.ticket,
        "lane": event.lane,
        "staff": event.staff,
        "payload": json.dumps(dict(event.payload), ensure_ascii=False, sort_keys=True),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
        "signer": event.signer or None,
        "signature": event.signature or None,
    }


def later_head(row, anchor: str | None) -> tuple[int, str]:  # noqa: ANN001 - a (device_seq, hash) row or None
    """The chain's head from its last event's row and its anchor setting: whichever is further on."""
    seq, prev = (row[0], row[1]) if row else (0, GENESIS)
    anchor_seq, anchor_hash = parse_anchor(anchor)
    return (anchor_seq, anchor_hash) if anchor_seq > seq else (seq, prev)


def parse_anchor(anchor: str | None) -> tuple[int, str]:
    if not anchor:
        return 0, GENESIS
    seq, hash_ = anchor.split(":", 1)
    return int(seq), hash_
