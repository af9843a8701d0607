"""Leaving after admission: a temporary leave (checked again at the gate on the way back) or an early leave for good."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from examops.adapters.store import format_utc
from examops.domain import idnumber
from examops.domain.event_payloads import Left, SessionClosed
from examops.domain.events import Event, Kind, new_event_id
from examops.domain.said import N_, Said, SaidError, said
from examops.domain.verdict import CandidateCard
from examops.domain.windows import too_early_to_leave
from examops.services import ledger, lookup
from examops.services.site import Site


class ExitRefused(SaidError, ValueError):
    """An exit that cannot be recorded; the message says why and what to do, `key` which case it is (for the screens)."""

    def __init__(self, message: Said | str, key: str = "", allowed_from: str = "") -> None:
        super().__init__(message)
        self.key = key
        self.allowed_from = allowed_from  # too_early: the local time an early leave is allowed from, e.g. "09:00"


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
    authorised_early_by: str | None = None  # before the allowed time: the chief proctor who authorised it


def early_leave_from(site: Site, session: str) -> str | None:
    """While it is too early to leave `session` for good: the local time it is allowed from ("09:00", with the date
    on another day), for the words and for the screens to ask the chief's PIN; None once it is allowed."""
    now = site.clock.local()
    allowed = too_early_to_leave(site.plan.session(session), now)
    return None if allowed is None else _shown_time(allowed, now)


def _shown_time(moment: dt.datetime, now: dt.datetime) -> str:
    return f"{moment:%H:%M}" if moment.date() == now.date() else f"{moment:%Y-%m-%d %H:%M}"


def record_exit(site: Site, ticket: str, *, session: str, reason: str, final: bool, by: str,
                lane: str | None = None, authorised_by: str | None = None, pin: str | None = None) -> ExitRecorded:
    """Record that an admitted candidate leaves; refuse if they are not in (never admitted, already out, gone for good).

    `ticket` may also be the candidate's ID number (what a gate scans). For good before the plan allows it (a sick
    candidate) only with the chief proctor's `pin`, and the record names `authorised_by`; later both are not needed."""
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
    authorised = _authorised_early(site, ticket, session, authorised_by, pin) if final else None
    payload = Left(reason=reason, final=final, room=card.current_room, seat=card.current_seat, by=by.strip(),
                   authorised_early_by=authorised)
    event = Event(new_event_id(), Kind.LEFT, format_utc(site.clock.now()), site.device(lane or "exits"), 0, session,
                  ticket, lane, by.strip(), payload.to_payload())
    stored = ledger.record(site.store, event, override=site.override)[0]
    after = replace(card, state="left" if final else "out", arriving=False)
    return ExitRecorded(ticket, card.name, session, final, reason, card.current_room, card.current_seat, stored, after,
                        authorised)


def _authorised_early(site: Site, ticket: str, session: str, authorised_by: str | None, pin: str | None) -> str | None:
    """None when leaving for good is allowed now; before that the chief's name, once the PIN is checked, or a refusal."""
    allowed_from = early_leave_from(site, session)
    if allowed_from is None:
        return None
    who = (authorised_by or "").strip()
    if not who:
        raise ExitRefused(said(N_("an early leave for good is allowed from {time}; before that only the chief proctor can "
                                  "authorise it (--authorised-by NAME, with the chief's PIN)"), time=allowed_from),
                          "too_early", allowed_from)
    if not site.check_pin(pin, who=who, purpose=f"early leave {ticket} before {allowed_from}"):
        raise ExitRefused(said(N_("wrong PIN: only the chief proctor can authorise an early leave before {time} "
                                  "(the attempt is logged)"), time=allowed_from), "wrong_pin", allowed_from)
    return who
