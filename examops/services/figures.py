"""Collect a session's events and roster from the store and compute its figures."""

from __future__ import annotations

import json
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
    """The session's figures from its seats and two reads of its events: the candidates whose day is one admission
    (grouped by the query, counted without an event object each: most of a session), and every other event, folded
    per candidate as `fold_day` does."""
    session = site.plan.session(session_id)
    with site.store.read() as conn:
        seats = [SeatRecord(row.ticket, row.name, row.room_id, row.seat) for row in q.seated_candidates(conn, session_id)]
        lone = {row.ticket: (row.pos, row.at, json.loads(row.payload)) for row in q.lone_admissions(conn, session_id)}
        by_ticket: dict[str, list[tuple[int, Event]]] = {}
        incidents: list[Event] = []
        void_targets: set[str] = set()
        unexplained_voids = unexplained_overrides = 0
        resolutions: dict[str, str] = {}
        for pos, event in q.events_beside_lone_admissions(conn, session_id):
            # On PostgreSQL each statement reads its own snapshot: a day that grew between the two reads is here whole.
            lone.pop(event.ticket, None)
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
                by_ticket.setdefault(event.ticket, []).append((pos, event))
        home = {s.ticket: (s.room, s.seat) for s in seats}
        seated_alone = {ticket: at for ticket, (_, at, payload) in lone.items()
                        if home.get(ticket) == (payload.get("room"), payload.get("seat"))}
        unexplained_overrides += sum(_unexplained_override(payload) for _, _, payload in lone.values())
        # A lone admission elsewhere than the roster seat (or of someone not seated) is folded as any other day.
        for pos, event in q.ticket_events(conn, session_id, [t for t in lone if t not in seated_alone]):
            by_ticket.setdefault(event.ticket, []).append((pos, event))
        admissions = q.admission_rows_per_ticket(conn, session_id, more_than_one=True)
    incidents = [i for i in incidents if i.id not in void_targets]
    # Days in the order of each candidate's first event, as a fold of the whole log meets them.
    ordered = sorted(by_ticket.items(), key=lambda item: item[1][0][0])
    days = {ticket: fold_day(session_id, ticket, [event for _, event in events]) for ticket, events in ordered}
    # Voided admissions keep their guard row (a new slot is taken); count live admissions only.
    live_admissions = {t: n - (days[t].voided_admissions if t in days else 0) for t, n in admissions.items()
                       if t in days or t in seated_alone}
    record = Record(resolutions, len(void_targets), unexplained_voids, unexplained_overrides)
    return compute(session, seats, days, incidents, record, site.plan.approval_levels, ZoneInfo(site.plan.timezone),
                   live_admissions, now_local=site.clock.local(), seated_alone=seated_alone)
