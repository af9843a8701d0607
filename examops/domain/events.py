"""Events: the append-only record of what happened on the day, and their hash chains.

Every change about a candidate's day is an event. Each device's events form a
chain: an event's hash covers its content and the previous event's hash, so a
removed, reordered or edited event breaks the chain at a place `verify` names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from examops.domain.said import N_, Said, said

if TYPE_CHECKING:
    from examops.domain.event_payloads import Payload

GENESIS = "0" * 64


class Kind:
    """Event kinds; the values are stored and must never change."""

    ADMITTED = "admitted"
    EXCEPTION = "exception"
    DENIED = "denied"
    DUPLICATE = "duplicate_scan"
    UNKNOWN = "unknown_scan"
    WRONG_SESSION = "wrong_session_scan"
    VOIDED = "voided"
    APPROVED = "approved"
    REJECTED = "rejected"
    RESOLVED = "resolved"
    MOVED = "moved"
    ROOM_OPENED = "room_opened"
    INCIDENT = "incident"
    SESSION_CLOSED = "session_closed"
    CONFLICT = "admission_conflict"
    ROSTER_IMPORTED = "roster_imported"
    PIN_REFUSED = "pin_refused"
    DEVICE_ENROLLED = "device_enrolled"
    DEVICE_REVOKED = "device_revoked"
    PLAN_SET = "plan_set"
    PLAN_CHANGED = "plan_changed"
    PIN_CHANGED = "pin_changed"
    OVERRIDE_GRANTED = "override_granted"
    ALARM_RESOLVED = "alarm_resolved"
    OUTSIDE_WINDOW = "outside_window_scan"
    ARRIVED = "arrived"
    LEFT = "left"
    RETURNED = "returned"
    REENTRY_REFUSED = "reentry_refused"
    PHOTOS_IMPORTED = "photos_imported"
    PHOTOS_PURGED = "photos_purged"


@dataclass(frozen=True, slots=True)
class Event:
    """One immutable fact. `id` is also the idempotency key."""

    id: str
    kind: str
    at: str  # UTC, ISO 8601 with microseconds and 'Z'
    device: str
    device_seq: int
    session: str | None = None
    ticket: str | None = None
    lane: str | None = None
    staff: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""
    signer: str = ""  # the device's Ed25519 public key (base64); empty on legacy, unsigned events
    signature: str = ""  # the device's signature over `signing_message(hash)`

    @property
    def data(self) -> Payload:
        """The payload typed by the event's kind (`event_payloads` names one dataclass per kind)."""
        from examops.domain.event_payloads import payload_of  # that module builds on `Kind`, defined here

        return payload_of(self)

    def content(self) -> dict[str, Any]:
        """The hashed fields, in a stable shape."""
        return {
            "id": self.id,
            "kind": self.kind,
            "at": self.at,
            "device": self.device,
            "device_seq": self.device_seq,
            "session": self.session,
            "ticket": self.ticket,
            "lane": self.lane,
            "staff": self.staff,
            "payload": dict(self.payload),
        }


def new_event_id() -> str:
    return str(uuid.uuid4())


def format_utc(moment: dt.datetime) -> str:
    """A moment as the log stores it: UTC, microseconds, 'Z'."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc(at: str) -> dt.datetime:
    """A log time stamp (`format_utc`) as an aware UTC moment; ValueError if it is not one.

    fromisoformat, not strptime: strptime's first call imports `_strptime` and builds its tables, 10-40 ms inside
    the first scan's card on an old laptop."""
    moment = dt.datetime.fromisoformat(at)
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_hash(content: Mapping[str, Any], prev_hash: str) -> str:
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(canonical_json(content).encode("utf-8"))
    return digest.hexdigest()


def signing_message(event_hash_hex: str) -> bytes:
    """What a device signs: its event's hash, which covers the content and the link to the previous event."""
    return f"examops-event-v1:{event_hash_hex}".encode("ascii")


def device_laptop(device: str) -> str:
    """The laptop a device chain belongs to: its host name, without the store suffix or lane."""
    host = device.split("/", 1)[0]
    stem, _, suffix = host.rpartition(".")
    if stem and len(suffix) == 8 and all(c in "0123456789abcdef" for c in suffix):
        return stem
    return host


def seal(event: Event, prev_hash: str) -> Event:
    """The event with its chain link and hash filled in."""
    return replace(event, prev_hash=prev_hash, hash=event_hash(event.content(), prev_hash))


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """Where a device's hash chain does not link."""

    device: str
    device_seq: int
    event_id: str
    reason: Said

    @property
    def said(self) -> Said:
        return said(N_("device {device}, seq {seq} (event {event}): {reason}"), device=self.device, seq=self.device_seq,
                    event=self.event_id, reason=self.reason)

    def __str__(self) -> str:
        return str(self.said)


def verify_chain(events: Iterable[Event], start_seq: int = 1, start_prev: str = GENESIS) -> list[ChainBreak]:
    """Check one device's events, given in device_seq order, linking on from (start_seq, start_prev)."""
    breaks: list[ChainBreak] = []
    expected_prev = start_prev
    expected_seq = start_seq
    for event in events:
        if event.device_seq != expected_seq:
            breaks.append(ChainBreak(event.device, event.device_seq, event.id, said(N_("sequence jumps from {last} to {seq}: events missing"), last=expected_seq - 1, seq=event.device_seq)))
        if event.prev_hash != expected_prev:
            breaks.append(ChainBreak(event.device, event.device_seq, event.id, said(N_("link to the previous event does not match: an earlier event was changed or removed"))))
        if event_hash(event.content(), event.prev_hash) != event.hash:
            breaks.append(ChainBreak(event.device, event.device_seq, event.id, said(N_("content does not match its hash: this event was changed"))))
        expected_prev = event.hash
        expected_seq = event.device_seq + 1
    return breaks
