"""Incidents in the rooms and the chief proctor's close-out of a session."""

from __future__ import annotations

from examops.adapters.store import review_queries as q
from examops.domain.event_payloads import IncidentRecorded, SessionClosed
from examops.domain.events import Event, Kind
from examops.domain.figures import INCIDENT_ALIASES, INCIDENT_KINDS, SEVERITIES
from examops.services import ledger, lookup
from examops.services.review import ReviewRefused, require_pin
from examops.services.site import Site


def incident_kind(raw: str) -> str:
    """The machine name of an incident kind, from it or its Chinese label (违纪, 作弊, 考场异常, 其他)."""
    text = raw.strip()
    kind = INCIDENT_ALIASES.get(text, text.lower())
    if kind not in INCIDENT_KINDS:
        labels = ", ".join(f"{k} ({zh})" for k, (zh, _) in INCIDENT_KINDS.items())
        raise ReviewRefused(f"unknown incident kind {raw!r}; use one of: {labels}")
    return kind


def record_incident(site: Site, *, session: str, room: str, kind: str, note: str, by: str,
                    ticket: str | None = None, severity: str = "medium") -> Event:
    """Record what happened in a room (misconduct, cheating, an irregularity)."""
    kind = incident_kind(kind)
    if severity not in SEVERITIES:
        raise ReviewRefused(f"severity must be one of {', '.join(SEVERITIES)}")
    if not note.strip():
        raise ReviewRefused("describe the incident (--note)")
    site.plan.session(session)
    with site.store.read() as conn:
        if not q.room_exists(conn, room):
            raise ReviewRefused(f"no room {room}")
        if ticket is not None and lookup.card_by(conn, ticket=ticket, session=session) is None:
            raise ReviewRefused(f"no candidate {ticket}")
    event = site.system_event(Kind.INCIDENT, IncidentRecorded(room=room, kind=kind, note=note.strip(), severity=severity, by=by).to_payload(),
                              session=session, ticket=ticket)
    return ledger.record(site.store, event, override=site.override)[0]


def close_session(site: Site, *, session: str, by: str, pin: str | None) -> Event:
    """The chief signs the session off; later records for it need an override with a reason."""
    site.plan.session(session)
    require_pin(site, pin, by, f"close {session}")
    with site.store.read() as conn:
        closed = ledger.closure(conn, session)
    if closed is not None:
        raise ReviewRefused(f"session {session} was already closed by {SessionClosed.from_event(closed).by} at {closed.at}")
    return ledger.record(site.store, site.system_event(Kind.SESSION_CLOSED, SessionClosed(by=by).to_payload(), session=session))[0]
