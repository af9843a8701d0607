"""Collect a session's events and roster from the store and compute its figures."""

from __future__ import annotations

from typing import Any, Mapping
from zoneinfo import ZoneInfo

from examops.adapters.store import report_queries as q
from examops.domain.event_payloads import AlarmResolved, Voided
from examops.domain.events import Event, Kind
from examops.domain.figures import Record, SeatRecord, SessionFigures, compute
from examops.domain.state import fold_day
from examops.services.site import Site


def _unexplained_override(payload: Mapping[str, Any]) -> bool:
    """Recorded into a closed session with an empty reason."""
    override = payload.get("override")
    return override is not None and not str(override).strip()


def session_figures(site: Site, session_id: str) -> SessionFigures:
    """The session's figures from its seats and one grouped read of its events: a candidate whose whole day is one
    admission into their roster seat (most of a session) is counted from that read (the database matches the
    payload's room and seat with the seat's), without an event object or a fold; every other candidate's events are read and folded by `fold_day`, as are the events about no one."""
    session = site.plan.session(session_id)
    with site.store.read() as conn:
        seats = list(map(SeatRecord._make, q.seated_candidates(conn, session_id)))  # (ticket, name, room, seat) rows
        seated_alone: dict[str, str] = {}
        folded: list[str] = []
        # Each ticket is read from one place, so a day that grows while this runs (PostgreSQL reads each
        # statement at its own moment) is counted once, as one read or the other saw it.
        for ticket, at, alone in q.ticket_days(conn, session_id):
            if alone:
                seated_alone[ticket] = at
            else:
                folded.append(ticket)
        events = [*q.events_without_ticket(conn, session_id), *q.ticket_events(conn, session_id, folded)]
        admissions = q.admission_rows_per_ticket(conn, session_id, more_than_one=True)
    by_ticket: dict[str, list[Event]] = {}
    incidents: list[Event] = []
    void_targets: set[str] = set()
    unexplained_voids = unexplained_overrides = 0
    resolutions: dict[str, str] = {}
    for _, event in sorted(events, key=lambda item: item[0]):  # in log order, as a fold of the whole log meets them
        unexplained_overrides += _unexplained_override(event.payload)
        if event.kind == Kind.INCIDENT:
            incidents.append(event)
        elif event.kind == Kind.VOIDED:
            void = Voided.from_event(event)
            void_targets.add(void.target)
            unexplained_voids += not void.reason.strip()
        elif event.kind == Kind.ALARM_RESOLVED:
            found = AlarmResolved.from_event(event)
            resolutions[found.target] = found.resolution
        if event.ticket is not None:
            by_ticket.setdefault(event.ticket, []).append(event)
    incidents = [i for i in incidents if i.id not in void_targets]
    days = {ticket: fold_day(session_id, ticket, events) for ticket, events in by_ticket.items()}
    # Voided admissions keep their guard row (a new slot is taken); count live admissions only.
    live_admissions = {t: n - (days[t].voided_admissions if t in days else 0) for t, n in admissions.items()
                       if t in days or t in seated_alone}
    record = Record(resolutions, len(void_targets), unexplained_voids, unexplained_overrides)
    return compute(session, seats, days, incidents, record, site.plan.approval_levels, ZoneInfo(site.plan.timezone),
                   live_admissions, now_local=site.clock.local(), seated_alone=seated_alone,
                   closed=any(event.kind == Kind.SESSION_CLOSED for _, event in events))
