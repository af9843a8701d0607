"""Collect a session's events and roster from the store and compute its figures."""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from examops.adapters import schema
from examops.adapters.store import row_to_event
from examops.domain.event_payloads import Voided
from examops.domain.events import Event, Kind
from examops.domain.figures import SeatRecord, SessionFigures, compute
from examops.domain.state import fold_day
from examops.services.site import Site

E, S, C, A = schema.events, schema.seats, schema.candidates, schema.admissions


def session_figures(site: Site, session_id: str) -> SessionFigures:
    """One pass over the session's events (grouped by candidate) and one over its seats."""
    session = site.plan.session(session_id)
    with site.store.read() as conn:
        seats = [SeatRecord(row.ticket, row.name, row.room_id, row.seat) for row in conn.execute(
            select(S.c.ticket, C.c.name, S.c.room_id, S.c.seat).join(C, C.c.ticket == S.c.ticket)
            .where(S.c.session_id == session_id).order_by(S.c.room_id, S.c.seat))]
        by_ticket: dict[str, list[Event]] = defaultdict(list)
        incidents: list[Event] = []
        void_targets: set[str] = set()
        for row in conn.execute(select(E).where(E.c.session_id == session_id).order_by(E.c.pos)):
            event = row_to_event(row)
            if event.kind == Kind.INCIDENT:
                incidents.append(event)
            elif event.kind == Kind.VOIDED:
                void_targets.add(Voided.from_event(event).target)
            if event.ticket is not None:
                by_ticket[event.ticket].append(event)
        admissions = dict(conn.execute(select(A.c.ticket, func.count()).where(A.c.session_id == session_id)
                                       .group_by(A.c.ticket)).all())
    incidents = [i for i in incidents if i.id not in void_targets]
    days = {ticket: fold_day(session_id, ticket, events) for ticket, events in by_ticket.items()}
    # Voided admissions keep their guard row (a new slot is taken); count live admissions only.
    live_admissions = {t: n - days[t].voided_admissions for t, n in admissions.items() if t in days}
    return compute(session, seats, days, incidents, len(void_targets), site.plan.approval_levels, ZoneInfo(site.plan.timezone),
                   live_admissions)
