"""Collect a session's events and roster from the store and compute its figures."""

from __future__ import annotations

from typing import Any, Callable, Mapping, NamedTuple, Sequence
from zoneinfo import ZoneInfo

from examops.adapters.store import report_queries as q
from examops.domain.event_payloads import AlarmResolved, Voided
from examops.domain.events import Event, Kind
from examops.domain.figures import Record, SeatRecord, SessionFigures, compute
from examops.domain.state import fold_day
from examops.services.chief_seal import problems_in as unsealed_decisions
from examops.services.site import Site


def _unexplained_override(payload: Mapping[str, Any]) -> bool:
    """Recorded into a closed session with an empty reason."""
    override = payload.get("override")
    return override is not None and not str(override).strip()


class LoneDays(NamedTuple):
    """What the read of a session's events about tickets says: lone plain admissions (ticket → its time), counted
    without a fold, and the tickets whose days are folded."""

    alone: dict[str, str]
    folded: list[str]


def lone_days(site: Site, session_ids: Sequence[str] | None = None) -> dict[str, LoneDays]:
    """Each session's `LoneDays` from one read of the events about tickets (`report_queries.ticket_days`; every
    session's when None, one pass through the table): a ticket whose only event in the session is a plain
    admission into its roster seat is alone, every other ticket folded."""
    with site.store.read() as conn:
        return _lone_days(conn, session_ids)


def _lone_days(conn, session_ids: Sequence[str] | None) -> dict[str, LoneDays]:  # noqa: ANN001 - a store connection
    found: dict[str, tuple[dict[str, str], set[str]]] = {}
    for session, ticket, at, plain in q.ticket_days(conn, session_ids):
        kept = found.get(session)
        if kept is None:
            kept = found[session] = ({}, set())
        alone, folded = kept
        if ticket in folded:
            continue
        if ticket in alone or not plain:  # a second event, or one that is not a plain admission: its day is folded
            alone.pop(ticket, None)
            folded.add(ticket)
        else:
            alone[ticket] = at
    return {session: LoneDays(alone, sorted(folded)) for session, (alone, folded) in found.items()}


def session_figures(site: Site, session_id: str, days: Callable[[], LoneDays] | None = None) -> SessionFigures:
    """The session's figures from its seats and one read of its events about tickets: a candidate whose whole day
    is one admission into their roster seat (most of a session) is counted from that read (the database matches
    the payload's room and seat with the seat's), without an event object or a fold; every other candidate's
    events are read and folded by `fold_day`, as are the events about no one. `days`: that read made elsewhere,
    asked for once the seats are read (the report reads every session's at once, on a thread of its own)."""
    session = site.plan.session(session_id)
    with site.store.read() as conn:
        seats = list(map(SeatRecord._make, q.seated_candidates(conn, session_id)))  # (ticket, name, room, seat) rows
        # Each ticket is read from one place, so a day that grows while this runs (PostgreSQL reads each
        # statement at its own moment) is counted once, as one read or the other saw it.
        read = days() if days is not None else _lone_days(conn, [session_id]).get(session_id)
        seated_alone, folded = read or LoneDays({}, [])
        events = [*q.events_without_ticket(conn, session_id), *q.ticket_events(conn, session_id, folded)]
        admissions = q.admission_rows_per_ticket(conn, session_id, more_than_one=True)
    by_ticket: dict[str, list[Event]] = {}
    incidents: list[Event] = []
    void_targets: set[str] = set()
    unexplained_voids = unexplained_overrides = 0
    resolutions: dict[str, str] = {}
    in_log_order = [event for _, event in sorted(events, key=lambda item: item[0])]  # as a fold of the whole log meets them
    for event in in_log_order:
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
    record = Record(resolutions, len(void_targets), unexplained_voids, unexplained_overrides,
                    len(unsealed_decisions(site, in_log_order)))
    return compute(session, seats, days, incidents, record, site.plan.approval_levels, ZoneInfo(site.plan.timezone),
                   live_admissions, now_local=site.clock.local(), seated_alone=seated_alone,
                   closed=any(event.kind == Kind.SESSION_CLOSED for _, event in events))
