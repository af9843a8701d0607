"""Which candidate's seat was edited behind the log, named by ticket (ID masked) and session.

The log records one digest of all the seats (PLAN_SET): enough to see that a seat changed, not whose. A clean check
keeps a copy of the seat rows beside the laptop's key (`adapters.seats_copy`); while that copy still makes the digest
the log recorded, it is the recorded seating, and the rows that differ from it now are the edited ones.
"""

from __future__ import annotations

from examops import locations
from examops.adapters.roster_digests import _seats_digest
from examops.adapters.seats_copy import read_copy, stored_digest, write_copy
from examops.adapters.store import report_queries
from examops.adapters.store.digests import seat_rows
from examops.domain.idnumber import mask
from examops.domain.said import N_, Said, said

NAMED_AT_MOST = 20


def keep_seats_copy(site, conn, recorded_digest: str | None) -> None:  # noqa: ANN001 - a Site, a Connection
    """After a clean check: keep the seat rows, if they make the digest the log recorded and the copy is not them yet."""
    path = locations.recorded_seats_path(site.store_id)
    if not recorded_digest or stored_digest(path) == recorded_digest:
        return
    rows = seat_rows(conn)
    if _seats_digest(rows) == recorded_digest:
        write_copy(path, recorded_digest, rows)


def seat_edits(site, conn, recorded_digest: str, recorded_at: str, event_id: str) -> list[Said] | None:  # noqa: ANN001
    """One finding per candidate and session whose seat differs from the recorded one; None when no copy can tell."""
    kept = read_copy(locations.recorded_seats_path(site.store_id))
    if kept is None or kept[0] != recorded_digest or _seats_digest(kept[1]) != recorded_digest:
        return None
    recorded = {(s, t): (room, seat) for s, t, room, seat in kept[1]}
    now = {(s, t): (room, seat) for s, t, room, seat in seat_rows(conn)}
    changed = sorted(key for key in recorded.keys() | now.keys() if recorded.get(key) != now.get(key))
    people = report_queries.people(conn, sorted({ticket for _, ticket in changed}))
    findings = []
    for session, ticket in changed[:NAMED_AT_MOST]:
        person = people.get(ticket)
        fields = {"ticket": ticket, "id": mask(person.id_number) if person else "-", "session": session,
                  "at": recorded_at, "event": event_id}
        if recorded_seat := recorded.get((session, ticket)):
            fields["recorded"] = said(N_("room {room} seat {seat}"), room=recorded_seat[0], seat=recorded_seat[1])
        if now_seat := now.get((session, ticket)):
            fields["now"] = said(N_("room {room} seat {seat}"), room=now_seat[0], seat=now_seat[1])
        template = (N_("the seat of ticket {ticket} ({id}) in session {session} is {now}; the log recorded {recorded} at {at} "
                       "(event {event}): edited outside examops") if "recorded" in fields and "now" in fields else
                    N_("the seat of ticket {ticket} ({id}) in session {session}, {recorded} as the log recorded it at {at} "
                       "(event {event}), was removed outside examops") if "recorded" in fields else
                    N_("ticket {ticket} ({id}) has seat {now} in session {session}, which the log never recorded (its "
                       "record at {at}, event {event}): put there outside examops"))
        findings.append(said(template, **fields))
    if len(changed) > NAMED_AT_MOST:
        findings.append(said(N_("and {count} more seats differ from the log's record"), count=len(changed) - NAMED_AT_MOST))
    return findings
