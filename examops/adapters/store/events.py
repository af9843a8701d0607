"""The event log: rows ↔ events, appending at the end of a device's chain, chain heads and anchors, the ledger.

Every admission, wherever it comes from, goes through `append_in`, which takes
the `admissions` guard row in the same transaction as the event.
"""

from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import Connection, bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError

from examops.adapters.scan_rows import ANCHOR_PREFIX, event_to_row, later_head, parse_anchor
from examops.adapters.store.errors import WriteFailed
from examops.adapters.store.schema import admissions, events
from examops.adapters.store.settings import put_setting, read_setting
from examops.domain.event_payloads import SessionClosed as Closure
from examops.domain.event_payloads import Voided, with_override
from examops.domain.events import Event, Kind, seal, signing_message
from examops.domain.said import N_, said

DEVICE_SEQ_RETRIES = 5
E = events


def row_to_event(row) -> Event:  # noqa: ANN001
    return Event(
        id=row.id,
        kind=row.kind,
        at=row.at,
        device=row.device,
        device_seq=row.device_seq,
        session=row.session_id,
        ticket=row.ticket,
        lane=row.lane,
        staff=row.staff,
        payload=json.loads(row.payload),
        prev_hash=row.prev_hash,
        hash=row.hash,
        signer=row._mapping.get("signer") or "",  # absent from a store not yet migrated
        signature=row._mapping.get("signature") or "",
    )


# -- the chains -------------------------------------------------------------
def append(conn: Connection, event: Event, signer=None) -> tuple[Event, bool]:  # noqa: ANN001
    """Seal, sign (with `signer`, a DeviceKey) and insert `event` at the end of its device's chain.

    Returns (stored event, inserted). An event whose id is already stored is
    not written again: the id is the idempotency key.
    """
    existing = conn.execute(select(E).where(E.c.id == event.id)).first()
    if existing is not None:
        return row_to_event(existing), False
    seq, prev = head(conn, event.device)
    seq += 1
    sealed = seal(replace(event, device_seq=seq), prev)
    if signer is not None:
        sealed = replace(sealed, signer=signer.public_b64, signature=signer.sign(signing_message(sealed.hash)))
    conn.execute(insert(E).values(**event_to_row(sealed)))
    return sealed, True


def head(conn: Connection, device: str) -> tuple[int, str]:
    """The last (device_seq, hash) of a device's chain here, or its anchor if that is further on.

    A lane that goes offline keeps its chain in a local store whose first
    event links to the anchor: the last event the shared store holds.
    """
    row = conn.execute(HEAD, {"device": device}).first()
    return later_head(row, read_setting(conn, ANCHOR_PREFIX + device))


HEAD = select(E.c.device_seq, E.c.hash).where(E.c.device == bindparam("device")).order_by(E.c.device_seq.desc()).limit(1)
"""A device's last event: `head`'s statement, compiled for the one-shot lane too (`store.compiled`)."""


def head_anchor(conn: Connection, device: str) -> tuple[int, str]:
    """The anchor a device's local chain links on from: (0, GENESIS) when none."""
    return parse_anchor(read_setting(conn, ANCHOR_PREFIX + device))


def set_anchor(conn: Connection, device: str, seq: int, hash_: str) -> None:
    put_setting(conn, ANCHOR_PREFIX + device, f"{seq}:{hash_}")


def insert_sealed(conn: Connection, event: Event) -> None:
    """Insert an event sealed elsewhere, as it is (the caller has checked its link)."""
    conn.execute(insert(E).values(**event_to_row(event)))


def count_events(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(E)).scalar_one()


def chain_heads(conn: Connection) -> list[tuple[str, int, str]]:
    """Each device's last event (sequence number and hash): the log the figures were folded from."""
    last = select(E.c.device, func.max(E.c.device_seq).label("seq")).group_by(E.c.device).subquery()
    query = (select(E.c.device, E.c.device_seq, E.c.hash)
             .join(last, (E.c.device == last.c.device) & (E.c.device_seq == last.c.seq)).order_by(E.c.device))
    return [(row.device, int(row.device_seq), row.hash) for row in conn.execute(query)]


def devices(conn: Connection) -> list[str]:
    """Every device with a chain in this store, sorted."""
    return [row[0] for row in conn.execute(select(E.c.device).distinct().order_by(E.c.device))]


def device_chain(conn: Connection, device: str, *, after_seq: int | None = None) -> list[Event]:
    """A device's events in chain order (those after `after_seq`, if given)."""
    query = select(E).where(E.c.device == device)
    if after_seq is not None:
        query = query.where(E.c.device_seq > after_seq)
    return [row_to_event(row) for row in conn.execute(query.order_by(E.c.device_seq))]


def event_by_id(conn: Connection, event_id: str) -> Event | None:
    row = conn.execute(select(E).where(E.c.id == event_id)).first()
    return row_to_event(row) if row is not None else None


def stored_hash(conn: Connection, event_id: str) -> str | None:
    """The hash an event id was stored with, None when it is not stored."""
    row = conn.execute(select(E.c.hash).where(E.c.id == event_id)).first()
    return row.hash if row is not None else None


def admission_guard_ids(conn: Connection) -> set[str]:
    """The event ids the admissions guard holds."""
    return {row.event_id for row in conn.execute(select(admissions))}


# -- the ledger -------------------------------------------------------------
def admission_slot(conn: Connection, session: str, ticket: str) -> int:
    """How many earlier admissions of this candidate were voided: the next admission's slot.

    The slot only changes after a chief proctor voids an admission; two lanes
    racing for the same slot still collide on the primary key.
    """
    voids = conn.execute(select(E.c.payload).where(E.c.session_id == session, E.c.ticket == ticket, E.c.kind == Kind.VOIDED)).all()
    return sum(1 for (payload,) in voids if Voided.from_payload(json.loads(payload)).target_kind == Kind.ADMITTED)


class SessionClosed(WriteFailed):
    """The chief proctor signed the session off; later events need an override with a reason.

    It carries who closed which session when (`closed_at` UTC, as stored), so the edge can say it in site time.
    """

    def __init__(self, session: str, by: str, closed_at: str) -> None:
        super().__init__(f"session {session} was closed by {by} at {closed_at}: "
                         "a later record needs an override with a reason (--override REASON)")
        self.session, self.by, self.closed_at = session, by, closed_at


def closure(conn: Connection, session: str | None) -> Event | None:
    """The close-out event of `session`, if it was closed."""
    if session is None:
        return None
    row = conn.execute(select(E).where(E.c.kind == Kind.SESSION_CLOSED, E.c.session_id == session).limit(1)).first()
    return row_to_event(row) if row is not None else None


def guard_admission(conn: Connection, session: str, ticket: str, event_id: str) -> None:
    """Take an admission's guard row (raises IntegrityError when another admission holds it)."""
    conn.execute(insert(admissions).values(
        session_id=session, ticket=ticket, slot=admission_slot(conn, session, ticket), event_id=event_id,
    ))


def append_in(conn: Connection, store, event: Event, *, override: str | None = None, chief_seal=None) -> Event:  # noqa: ANN001
    """Append inside an open transaction; an admission also takes its guard row (may raise IntegrityError).

    `chief_seal`: the chief's (`services.chief_seal`), applied last, so that it covers an override's reason too.
    """
    closed = closure(conn, event.session) if event.kind != Kind.SESSION_CLOSED else None
    if closed is not None:
        if not (override or "").strip():
            raise SessionClosed(event.session, Closure.from_event(closed).by, closed.at)
        event = replace(event, payload=with_override(event.payload, override.strip()))
    if chief_seal is not None:
        event = chief_seal(event)
    stored, inserted = store.append(conn, event)
    if inserted and event.kind == Kind.ADMITTED:
        guard_admission(conn, event.session, event.ticket, stored.id)
    return stored


def record(store, *events: Event, override: str | None = None, chief_seal=None) -> list[Event]:  # noqa: ANN001
    """Append events in one transaction; retry only when another process took this device's sequence number.

    Raises IntegrityError when an admission loses the race (the caller says
    `duplicate`) and WriteFailed when nothing could be written.
    """
    for attempt in range(DEVICE_SEQ_RETRIES):
        try:
            with store.write() as conn:
                return [append_in(conn, store, event, override=override, chief_seal=chief_seal) for event in events]
        except IntegrityError as exc:
            if "device" in str(exc.orig).lower() and attempt < DEVICE_SEQ_RETRIES - 1:
                continue
            raise
    raise WriteFailed(said(N_("could not append to this device's chain")))


def events_of_kind(conn: Connection, kind: str) -> list[Event]:
    """Every event of one kind, in the order the store took them."""
    return [row_to_event(row) for row in conn.execute(select(E).where(E.c.kind == kind).order_by(E.c.pos))]


def all_in_pos_order(conn: Connection) -> list[Event]:
    """The whole log in the order the store took it (`pos`)."""
    return [row_to_event(row) for row in conn.execute(select(E).order_by(E.c.pos))]


def enrolment_events(conn: Connection) -> list[Event]:
    """Device enrolments and revocations, in the order the store took them."""
    query = select(E).where(E.c.kind.in_((Kind.DEVICE_ENROLLED, Kind.DEVICE_REVOKED))).order_by(E.c.pos)
    return [row_to_event(row) for row in conn.execute(query)]


def chain_heads_of(conn: Connection, device: str) -> int | None:
    """The highest sequence number this store holds of a device's chain (None when it holds none)."""
    return conn.execute(select(func.max(E.c.device_seq)).where(E.c.device == device)).scalar()


def hash_at(conn: Connection, device: str, seq: int) -> str | None:
    return conn.execute(select(E.c.hash).where(E.c.device == device, E.c.device_seq == seq)).scalar()
