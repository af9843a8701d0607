"""Incidents in the rooms and the chief proctor's close-out of a session."""

from __future__ import annotations

import datetime as dt

from examops.adapters.store import review_queries as q
from examops.domain.event_payloads import ALARM_RESOLUTIONS, AlarmResolved, IncidentRecorded, SessionClosed
from examops.domain.events import Event, Kind
from examops.domain.figures import INCIDENT_ALIASES, INCIDENT_KINDS, SEVERITIES
from examops.domain.said import N_, Said, said
from examops.services import ledger, lookup
from examops.services.review import ReviewRefused, require_chief
from examops.services.site import Site

ALARM_KINDS = (Kind.DUPLICATE, Kind.CONFLICT)


def incident_kind(raw: str) -> str:
    """The machine name of an incident kind, from it or its Chinese label (违纪, 作弊, 考场异常, 其他)."""
    text = raw.strip()
    kind = INCIDENT_ALIASES.get(text, text.lower())
    if kind not in INCIDENT_KINDS:
        labels = ", ".join(f"{k} ({zh})" for k, (zh, _) in INCIDENT_KINDS.items())
        raise ReviewRefused(said(N_("unknown incident kind {kind}; use one of: {labels}"), kind=repr(raw), labels=labels))
    return kind


def record_incident(site: Site, *, session: str, room: str, kind: str, note: str, by: str,
                    ticket: str | None = None, severity: str = "medium") -> Event:
    """Record what happened in a room (misconduct, cheating, an irregularity)."""
    kind = incident_kind(kind)
    if severity not in SEVERITIES:
        raise ReviewRefused(said(N_("severity must be one of {severities}"), severities=", ".join(SEVERITIES)))
    if not note.strip():
        raise ReviewRefused(said(N_("describe the incident (--note)")))
    site.plan.session(session)
    with site.store.read() as conn:
        if not q.room_exists(conn, room):
            raise ReviewRefused(said(N_("no room {room}"), room=room))
        if ticket is not None and lookup.card_by(conn, ticket=ticket, session=session) is None:
            raise ReviewRefused(said(N_("no candidate {ticket}"), ticket=ticket))
    event = site.system_event(Kind.INCIDENT, IncidentRecorded(room=room, kind=kind, note=note.strip(), severity=severity, by=by).to_payload(),
                              session=session, ticket=ticket)
    return ledger.record(site.store, event, override=site.override)[0]


def still_open(site: Site, session: str) -> list[Said]:
    """What a close would leave behind: cases waiting for a level, approved candidates not seated, open alarms."""
    from collections import Counter

    from examops.services.review import duplicate_alarms, list_cases

    views = [v for v in list_cases(site, session=session) if v.case is v.day.cases[-1]]
    waiting = Counter(v.next_level for v in views if v.status == "pending")
    lines = [said(N_("{count} case(s) wait for the {level}'s approval"), count=n, level=level) for level, n in waiting.items()]
    unseated = [v.card.ticket for v in views if v.status == "approved" and v.case.seated_by is None and not v.day.admitted]
    if unseated:
        lines.append(said(N_("{count} approved candidate(s) not yet seated ({tickets}): examops reallocate"),
                          count=len(unseated), tickets=", ".join(unseated)))
    with site.store.read() as conn:
        resolved = {e.data.target for e in q.events_of_kind(conn, Kind.ALARM_RESOLVED, session)}
    alarms = [a for a in duplicate_alarms(site, session) if a["event_id"] not in resolved]
    if alarms:
        lines.append(said(N_("{count} duplicate-scan alarm(s) not resolved: examops alarm resolve TICKET|EVENT --as ... ({alarms})"),
                          count=len(alarms), alarms=", ".join(f"{a['ticket']} {a['event_id'][:8]}" for a in alarms)))
    return lines


def _still_open_lines(left: list[Said]) -> Said | str:
    """'\n  still open: …' once for each line, as one `Said` whose fields are each said in the site's language."""
    chain: Said | str = ""
    for line in reversed(left):
        chain = said("\n  {line}{rest}", line=said(N_("still open: {item}"), item=line), rest=chain)
    return chain


def close_session(site: Site, *, session: str, by: str, pin: str | None, reason: str = "") -> tuple[Event, list[Said]]:
    """The chief signs the session off; later records for it need an override with a reason.

    Before the session's end a close needs `reason`; the close returns what it leaves open, for the chief to see."""
    plan_session = site.plan.session(session)
    now = site.clock.local()
    if now < plan_session.ends_at and not reason.strip():
        left = still_open(site, session)
        raise ReviewRefused(said(N_("session {session} runs until {end} (now {now}): to close it early give --reason{left}"),
                                 session=session, end=f"{plan_session.ends_at:%H:%M}", now=f"{now:%H:%M}",
                                 left=_still_open_lines(left)))
    sealer = require_chief(site, pin, by, f"close {session}")
    with site.store.read() as conn:
        closed = ledger.closure(conn, session)
    if closed is not None:
        at = site.clock.local(dt.datetime.fromisoformat(closed.at.replace("Z", "+00:00")))
        raise ReviewRefused(said(N_("session {session} was already closed by {by} at {at}"), session=session,
                                 by=SessionClosed.from_event(closed).by, at=f"{at:%H:%M}"))
    left = still_open(site, session)
    payload = SessionClosed(by=by, reason=reason.strip() or None).to_payload()
    return ledger.record(site.store, site.system_event(Kind.SESSION_CLOSED, payload, session=session),
                         chief_seal=sealer)[0], left


def resolve_alarm(site: Site, event_id: str, *, resolution: str, note: str, by: str, pin: str | None) -> Event:
    """The chief's finding on a duplicate-scan alarm or a lane conflict (a double read, a mistaken re-scan, or a real
    incident); the 三零 verdict waits for every alarm's finding."""
    if resolution not in ALARM_RESOLUTIONS:
        raise ReviewRefused(said(N_("--as must be one of {findings}"), findings=", ".join(ALARM_RESOLUTIONS)))
    if not note.strip():
        raise ReviewRefused(said(N_("say what was found (--note)")))
    sealer = require_chief(site, pin, by, f"resolve alarm {event_id}")
    with site.store.read() as conn:
        every = [e for kind in ALARM_KINDS for e in q.events_of_kind(conn, kind, None)]
        done = {e.data.target for e in q.events_of_kind(conn, Kind.ALARM_RESOLVED, None)}
    alarms = [e for e in every if e.id.startswith(event_id)]
    if not alarms:  # the ticket `examops exceptions` names: its one open alarm
        alarms = [e for e in every if e.ticket == event_id and e.id not in done]
        if len(alarms) > 1:
            raise ReviewRefused(said(N_("candidate {ticket} has {count} open alarms: give one's event id ({ids})"),
                                     ticket=event_id, count=len(alarms), ids=", ".join(e.id[:8] for e in alarms)))
    if not alarms:
        raise ReviewRefused(said(N_("no duplicate-scan alarm or lane conflict {event}: `examops exceptions` lists the open ones"),
                                 event=event_id))
    if len(alarms) > 1:
        raise ReviewRefused(said(N_("{event} matches {count} alarms: give more characters"), event=event_id, count=len(alarms)))
    alarm = alarms[0]
    if alarm.id in done:
        raise ReviewRefused(said(N_("alarm {id} was already resolved"), id=alarm.id[:8]))
    payload = AlarmResolved(target=alarm.id, target_kind=alarm.kind, resolution=resolution, note=note.strip(), by=by)
    event = site.system_event(Kind.ALARM_RESOLVED, payload.to_payload(), session=alarm.session, ticket=alarm.ticket)
    return ledger.record(site.store, event, override=site.override, chief_seal=sealer)[0]
