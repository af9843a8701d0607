"""Collect a session's events and roster from the store and compute its figures."""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

from examops.adapters.store import report_queries as q
from examops.domain.event_payloads import AlarmResolved, Voided
from examops.domain.events import Event, Kind
from examops.domain.figures import Record, SeatRecord, SessionFigures, compute
from examops.domain.state import fold_day
from examops.services.site import Site


def session_figures(site: Site, session_id: str) -> SessionFigures:
    """One pass over the session's events (grouped by candidate) and one over its seats."""
    session = site.plan.session(session_id)
    with site.store.read() as conn:
        seats = [SeatRecord(row.ticket, row.name, row.room_id, row.seat) for row in q.seated_candidates(conn, session_id)]
        by_ticket: dict[str, list[Event]] = defaultdict(list)
        incidents: list[Event] = []
        void_targets: set[str] = set()
        unexplained_voids = unexplained_overrides = 0
        resolutions: dict[str, str] = {}
        for event in q.session_events(conn, session_id):
            override = event.payload.get("override")
            if override is not None and not str(override).strip():
                unexplained_overrides += 1
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
                by_ticket[event.ticket].append(event)
        admissions = q.admission_rows_per_ticket(conn, session_id)
    incidents = [i for i in incidents if i.id not in void_targets]
    days = {ticket: fold_day(session_id, ticket, events) for ticket, events in by_ticket.items()}
    # Voided admissions keep their guard row (a new slot is taken); count live admissions only.
    live_admissions = {t: n - days[t].voided_admissions for t, n in admissions.items() if t in days}
    record = Record(resolutions, len(void_targets), unexplained_voids, unexplained_overrides)
    return compute(session, seats, days, incidents, record, site.plan.approval_levels, ZoneInfo(site.plan.timezone),
                   live_admissions, now_local=site.clock.local())
