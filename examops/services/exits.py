"""Leaving after admission: a temporary leave (checked again at the gate on the way back) or an early leave for good."""

from __future__ import annotations

from dataclasses import dataclass, replace

from examops.adapters.store import format_utc
from examops.domain import idnumber
from examops.domain.event_payloads import Left, SessionClosed
from examops.domain.events import Event, Kind, new_event_id
from examops.domain.said import N_, Said, SaidError, said
from examops.domain.verdict import CandidateCard
from examops.services import ledger, lookup
from examops.services.site import Site


class ExitRefused(SaidError, ValueError):
    """An exit that cannot be recorded; the message says why and what to do, `key` which case it is (for the screens)."""

    def __init__(self, message: Said | str, key: str = "") -> None:
        super().__init__(message)
        self.key = key


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
    card: CandidateCard | None = None  # the candidate as they stand after leaving


def record_exit(site: Site, ticket: str, *, session: str, reason: str, final: bool, by: str,
                lane: str | None = None) -> ExitRecorded:
    """Record that an admitted candidate leaves; refuse if they are not in (never admitted, already out, gone for good).

    `ticket` may also be the candidate's ID number (what a gate scans)."""
    reason = reason.strip()
    if not reason:
        raise ExitRefused(said(N_("say why the candidate leaves (--reason)")), "no_reason")
    if not by.strip():
        raise ExitRefused(said(N_("say who records the exit (--by)")), "no_by")
    site.plan.session(session)
    with site.store.read() as conn:
        closed = ledger.closure(conn, session)
        if closed is not None and not (site.override or "").strip():
            raise ExitRefused(said(N_("session {session} was closed by {by}: a later record needs an override with a reason "
                                      "(--override REASON)"), session=session, by=SessionClosed.from_event(closed).by), "closed")
        card = lookup.card_by(conn, ticket=ticket, session=session)
        if card is None and idnumber.looks_like_id(idnumber.clean(ticket)):
            card = lookup.card_by(conn, id_number=idnumber.clean(ticket), session=session)
        if card is None:
            raise ExitRefused(said(N_("no candidate {ticket}"), ticket=ticket), "unknown")
        ticket = card.ticket
        day = lookup.candidate_day(conn, session, ticket)
        card = lookup.current(conn, card, session)
    if day.left_for_good is not None:
        raise ExitRefused(said(N_("{ticket} already left for good in {session}"), ticket=ticket, session=session), "left")
    if not day.admitted:
        raise ExitRefused(said(N_("{ticket} was not admitted to {session}: nothing to leave"), ticket=ticket, session=session),
                          "not_admitted")
    if day.out is not None and not final:
        raise ExitRefused(said(N_("{ticket} is already out on a temporary leave; they are checked in again at the gate"),
                               ticket=ticket), "out")
    payload = Left(reason=reason, final=final, room=card.current_room, seat=card.current_seat, by=by.strip())
    event = Event(new_event_id(), Kind.LEFT, format_utc(site.clock.now()), site.device(lane or "exits"), 0, session,
                  ticket, lane, by.strip(), payload.to_payload())
    stored = ledger.record(site.store, event, override=site.override)[0]
    after = replace(card, state="left" if final else "out", arriving=False)
    return ExitRecorded(ticket, card.name, session, final, reason, card.current_room, card.current_seat, stored, after)
