"""Leaving after admission: a temporary leave (checked again at the gate on the way back) or an early leave for good."""

from __future__ import annotations

from dataclasses import dataclass

from examops.adapters.store import format_utc
from examops.domain.event_payloads import Left
from examops.domain.events import Event, Kind, new_event_id
from examops.services import ledger, lookup
from examops.services.site import Site


class ExitRefused(ValueError):
    """An exit that cannot be recorded; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class ExitRecorded:
    ticket: str
    name: str
    session: str
    final: bool
    reason: str
    room: str | None
    seat: int | None
    event: Event


def record_exit(site: Site, ticket: str, *, session: str, reason: str, final: bool, by: str,
                lane: str | None = None) -> ExitRecorded:
    """Record that an admitted candidate leaves; refuse if they are not in (never admitted, already out, gone for good)."""
    reason = reason.strip()
    if not reason:
        raise ExitRefused("say why the candidate leaves (--reason)")
    if not by.strip():
        raise ExitRefused("say who records the exit (--by)")
    site.plan.session(session)
    with site.store.read() as conn:
        card = lookup.card_by(conn, ticket=ticket, session=session)
        if card is None:
            raise ExitRefused(f"no candidate {ticket}")
        day = lookup.candidate_day(conn, session, ticket)
        card = lookup.current(conn, card, session)
    if day.left_for_good is not None:
        raise ExitRefused(f"{ticket} already left for good in {session}")
    if not day.admitted:
        raise ExitRefused(f"{ticket} was not admitted to {session}: nothing to leave")
    if day.out is not None and not final:
        raise ExitRefused(f"{ticket} is already out on a temporary leave; they are checked in again at the gate")
    payload = Left(reason=reason, final=final, room=card.current_room, seat=card.current_seat, by=by.strip())
    event = Event(new_event_id(), Kind.LEFT, format_utc(site.clock.now()), site.device(lane or "exits"), 0, session,
                  ticket, lane, by.strip(), payload.to_payload())
    stored = ledger.record(site.store, event, override=site.override)[0]
    return ExitRecorded(ticket, card.name, session, final, reason, card.current_room, card.current_seat, stored)
