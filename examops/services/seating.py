"""Seating on the day: reallocation to backup and isolation rooms, manual moves, rooms opened on the spot.

A reallocation is an admission to the new seat (the candidate is escorted
there and counts as present); its event names the exception and the seat the
candidate vacated. Who sits where is folded from the roster and the log.
"""

from __future__ import annotations

from dataclasses import dataclass

from examops.adapters.store import Connection, IntegrityError, format_utc
from examops.adapters.store import review_queries as q
from examops.domain import windows
from examops.domain.event_payloads import Admitted, Moved, Origin, RoomOpened
from examops.domain.events import Event, Kind, new_event_id
from examops.domain.reallocation import ROOM_KIND_FOR_ACTION, AllocationPlan, RoomSpace, SeatRequest, allocate
from examops.domain.said import N_, Said, joined, said
from examops.services import ledger, lookup
from examops.services.placements import placements
from examops.services.review import CaseView, ReviewRefused, _admission_payload, _event, list_cases, require_chief
from examops.services.site import Site


@dataclass
class Shortage(Exception):
    """Not enough seats: how many are missing, per room kind."""

    missing: dict[str, int]

    @property
    def said(self) -> Said:
        """In the site's language where shown (`spoken`); `str()` is the English."""
        parts = [said(SHORTAGE_WORDS.get(kind, N_("{count} seat(s) missing in {kind} rooms")), count=n, kind=kind)
                 for kind, n in sorted(self.missing.items())]
        return said(N_("{missing}. Open another room: `examops room add ID --name NAME --capacity N --kind backup|isolation`"),
                    missing=joined(parts))

    def __str__(self) -> str:
        return str(self.said)


SHORTAGE_WORDS = {"backup": N_("{count} seat(s) missing in backup rooms"),
                  "isolation": N_("{count} seat(s) missing in isolation rooms")}


def occupancy(conn: Connection, session: str, room: str) -> dict[int, str]:
    """Seat → ticket for one room: the roster's seats minus those placed elsewhere, plus those placed here."""
    return seated_in(room, q.roster_seats(conn, session, room), placements(conn, session))


def seated_in(room: str, roster: dict[int, str], placed: dict[str, tuple[str, int]]) -> dict[int, str]:
    """`occupancy` from the room's roster seats and the session's placements, read once by a caller doing every room."""
    taken = {seat: ticket for seat, ticket in roster.items() if ticket not in placed}
    taken.update({seat: ticket for ticket, (room_id, seat) in placed.items() if room_id == room})
    return taken


def _room_spaces(conn: Connection, site: Site, session: str) -> list[RoomSpace]:
    spaces = []
    for row in q.spare_rooms(conn):
        spacing = site.policy.isolation_spacing if row.kind == "isolation" else 1
        spaces.append(RoomSpace(row.id, row.name, row.kind, row.capacity or 0, frozenset(occupancy(conn, session, row.id)), spacing))
    return spaces


def _awaiting_seat(site: Site, session: str) -> list[CaseView]:
    return [v for v in list_cases(site, session=session, status="approved")
            if v.case.action in ROOM_KIND_FOR_ACTION and v.case.seated_by is None and not v.day.admitted]


def plan_reallocation(site: Site, session: str) -> AllocationPlan:
    """The preview: who would go where. Only cases whose approval chain is complete move."""
    waiting = _awaiting_seat(site, session)
    requests = [SeatRequest(v.case.id, v.card.ticket, v.card.name, ROOM_KIND_FOR_ACTION[v.case.action],
                            v.card.room, v.card.seat, v.case.exception.at) for v in waiting]
    with site.store.read() as conn:
        return allocate(requests, _room_spaces(conn, site, session))


def reallocate(site: Site, session: str, *, by: str, pin: str | None, allow_partial: bool = False) -> AllocationPlan:
    """Seat every approved backup/isolation case; refuse (moving nobody) when seats are short unless `allow_partial`."""
    sealer = require_chief(site, pin, by, f"reallocate {session}")
    plan = plan_reallocation(site, session)
    if plan.unplaced and not allow_partial:
        raise Shortage(plan.missing_seats())
    views = {v.case.id: v for v in _awaiting_seat(site, session)}
    done = []
    for move in plan.moves:
        view = views[move.case_id]
        event = _event(site, _admission_payload(view, move.room, move.seat, "reallocation", by=by), view)
        try:
            ledger.record(site.store, event, override=site.override, chief_seal=sealer)
        except IntegrityError:
            continue  # admitted elsewhere meanwhile: nothing to move
        done.append(move)
    plan.moves = done
    return plan


def move(site: Site, ticket: str, *, session: str, room: str, seat: int | None, by: str, pin: str | None,
         reason: str = "", isolation_reason: str = "") -> dict:
    """Put a candidate in a given room (and seat, else the first free one); admits them if not yet in.

    Every move says why (it is listed in 调配记录); the isolation room takes only a candidate whose exception was
    approved for it, unless `isolation_reason` says why this one goes there."""
    if not reason.strip():
        raise ReviewRefused(said(N_("say why the candidate is moved (--reason): it is listed in the moves record")))
    sealer = require_chief(site, pin, by, f"move {ticket}")
    with site.store.read() as conn:
        room_row = q.room(conn, room)
        if room_row is None:
            raise ReviewRefused(said(N_("no room {room}; open it with `examops room add`"), room=room))
        card = lookup.card_by(conn, ticket=ticket, session=session)
        if card is None:
            raise ReviewRefused(said(N_("no candidate {ticket}"), ticket=ticket))
        day = lookup.candidate_day(conn, session, ticket)
        taken = occupancy(conn, session, room)
    case = day.open_case or (day.cases[-1] if day.cases else None)
    if room_row.kind == "isolation" and not isolation_reason.strip():
        approved = case is not None and case.action == "isolation_room" and case.status(site.plan.approval_levels) == "approved"
        if not approved:
            raise ReviewRefused(said(N_("{ticket} has no approved isolation-room exception: the isolation room is for fever cases. "
                                         "Record and approve the exception first, or give --isolation-reason to place them "
                                         "anyway"), ticket=ticket))
    spacing = site.policy.isolation_spacing if room_row.kind == "isolation" else 1
    capacity = room_row.capacity or max([*taken.keys(), 0]) + 1
    if seat is None:
        free = [s for s in range(1, capacity + 1, spacing) if s not in taken]
        if not free:
            raise ReviewRefused(said(N_("room {room} is full ({capacity} seats)"), room=room, capacity=capacity))
        seat = free[0]
    elif taken.get(seat) not in (None, ticket):
        raise ReviewRefused(said(N_("room {room} seat {seat} is taken by {ticket}"), room=room, seat=seat, ticket=taken[seat]))
    elif room_row.capacity and seat > room_row.capacity:
        raise ReviewRefused(said(N_("room {room} has {capacity} seats"), room=room, capacity=room_row.capacity))
    if not day.admitted:
        _refuse_admitting_before_the_day(site, session)
    case = day.open_case
    why = reason.strip() + (f" ({isolation_reason.strip()})" if isolation_reason.strip() else "")
    from_room, from_seat = (day.room, day.seat) if day.admitted else (card.room, card.seat)
    origin = Origin(from_room, from_seat)
    if day.admitted:
        placed: Moved | Admitted = Moved(room=room, seat=seat, origin=origin, via="move", by=by, reason=why)
    else:
        placed = Admitted(room=room, seat=seat, origin=origin, via="move", by=by, exception_id=case.id if case else None,
                          reason=why)
    kind = placed.event_kind
    event = Event(new_event_id(), kind, format_utc(site.clock.now()), site.device("chief"), 0, session, ticket, None, by,
                  placed.to_payload())
    try:
        ledger.record(site.store, event, override=site.override, chief_seal=sealer)
    except IntegrityError:
        raise ReviewRefused(said(N_("{ticket} was admitted meanwhile; run the move again"), ticket=ticket)) from None
    return {"ticket": ticket, "name": card.name, "from_room": from_room, "from_seat": from_seat, "room": room, "seat": seat,
            "admitted": kind == Kind.ADMITTED, "reason": why}


def _refuse_admitting_before_the_day(site: Site, session_id: str) -> None:
    """A move admits whoever is not in yet: not on a day before the paper's, which a rehearsal the day before is
    (the real morning's scan would then be a duplicate, a possible impersonation alarm, and the report count them)."""
    session = site.plan.session(session_id)
    now = site.clock.local()
    if windows.window(session, now).status == windows.OTHER_DAY:
        raise ReviewRefused(said(N_("{session} is on {date}, and today is {today} by the site's clock: a move on an earlier "
                                    "day admits no one, so nothing was recorded"),
                                 session=session_id, date=session.date.isoformat(), today=now.date().isoformat()))


def add_room(site: Site, room_id: str, *, name: str, capacity: int, kind: str, by: str, pin: str | None) -> dict:
    """Open a backup or isolation room on the spot."""
    if kind not in ("backup", "isolation", "regular"):
        raise ReviewRefused(said(N_("kind must be backup, isolation or regular")))
    if capacity < 1:
        raise ReviewRefused(said(N_("capacity must be at least 1")))
    sealer = require_chief(site, pin, by, f"open room {room_id}")
    with site.store.write() as conn:
        if q.room_exists(conn, room_id):
            raise ReviewRefused(said(N_("room {room} already exists"), room=room_id))
        q.add_room(conn, room_id, name=name, capacity=capacity, kind=kind)
        site.store.append(conn, sealer(site.system_event(Kind.ROOM_OPENED, RoomOpened(room=room_id, name=name, capacity=capacity,
                                                                                       kind=kind, by=by).to_payload())))
        ledger.record_tables(site, conn, f"room {room_id} opened")
    return {"room": room_id, "name": name, "capacity": capacity, "kind": kind}

