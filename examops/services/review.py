"""The chief proctor's review: exception cases, the approval chain, resolutions and rejections.

Every decision is an event naming the exception it decides. Approvals follow
the plan's `[approval] levels` in order; the chain's last approval of a `hold`
case admits the candidate to their own seat, while backup and isolation cases
wait for `reallocate`. Every action needs the chief proctor's PIN, and is sealed by
the chief's key on the chief's desk (`chief_seal`): only there can it be recorded.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from examops.adapters.store import Connection, format_utc
from examops.adapters.store import review_queries as q
from examops.domain.event_payloads import (
    AdmissionConflict,
    Admitted,
    Approved,
    DuplicateScan,
    ExceptionRecorded,
    Origin,
    Payload,
    Rejected,
    Resolved,
)
from examops.domain.events import Event, Kind, new_event_id
from examops.domain.said import N_, SaidError, said
from examops.domain.state import CASE_STATUSES, CandidateDay, Case, fold_day, status_said
from examops.domain.verdict import CandidateCard
from examops.services import ledger, lookup
from examops.services.chief_seal import ChiefKeyRefused, Sealer, chief_sealer
from examops.services.site import Site

CHIEF_DEVICE = "chief"
REVIEW_STATUSES = (*CASE_STATUSES, "denied")  # "denied": see `review_status`


class ReviewRefused(SaidError):
    """A decision that cannot be taken, in words for the chief proctor (a `Said`, or English text)."""


@dataclass
class CaseView:
    """A case with the candidate and the day around it, for screens and JSON."""

    case: Case
    card: CandidateCard
    day: CandidateDay
    status: str
    next_level: str | None

    @property
    def action(self) -> str:
        """What stands: "deny" for a case the gate closed by denying entry, else the exception's action."""
        return "deny" if self.status == "denied" else self.case.action

    def to_json(self) -> dict:
        exc = self.case.exception
        screening = ExceptionRecorded.from_event(exc)
        seated = self.case.seated_by.data if self.case.seated_by else None
        return {
            "id": self.case.id,
            "session": exc.session,
            "ticket": self.card.ticket,
            "name": self.card.name,
            "id_number": self.card.id_masked,
            "room": self.card.room,
            "seat": self.card.seat,
            "code": self.case.code,
            "action": self.action,
            "status": self.status,
            "next_level": self.next_level,
            "recorded_at": exc.at,
            "lane": exc.lane,
            "staff": exc.staff,
            "evidence": screening.evidence,
            "reason": screening.reason,
            "approvals": [
                {"level": a.level, "by": a.by, "at": event.at, "note": a.note, "recorded_by": a.recorded_by}
                for event, a in ((e, Approved.from_event(e)) for e in self.case.approvals)
            ],
            "rejection": _decision_json(self.case.rejection),
            "resolution": _decision_json(self.case.resolution),
            "seated_in": {"room": seated.room, "seat": seated.seat} if seated else None,
        }


def _decision_json(event: Event | None) -> dict | None:
    if event is None:
        return None
    said = event.data
    return {"by": said.by, "at": event.at, "note": said.remark or None}


def _days(conn: Connection, session: str | None, tickets: Iterable[tuple[str, str]] | None = None) -> dict[tuple[str, str], CandidateDay]:
    """Fold the days of every candidate with an exception (or of `tickets`)."""
    if tickets is None:
        tickets = q.exception_subjects(conn, session)
    days = {}
    for session_id, ticket in sorted(set(tickets)):
        days[(session_id, ticket)] = fold_day(session_id, ticket, lookup.day_events(conn, session_id, ticket))
    return days


def review_status(case: Case, levels: Sequence[str]) -> str:
    """A case's status for the chief: one the gate closed by denying entry on a later attempt is "denied", as the room
    record says it (`figures`), not "closed" (which is a later admission or a newer exception)."""
    status = case.status(levels)
    return "denied" if status == "closed" and case.denied_at_gate else status


def list_cases(site: Site, *, session: str | None = None, status: str | None = None, code: str | None = None,
               lane: str | None = None, room: str | None = None) -> list[CaseView]:
    """Every exception case (oldest first), filtered."""
    levels = site.plan.approval_levels
    views = []
    with site.store.read() as conn:
        for (session_id, ticket), day in _days(conn, session).items():
            card = lookup.card_by(conn, ticket=ticket, session=session_id)
            for case in day.cases:
                view = CaseView(case, card, day, review_status(case, levels), case.next_level(levels))
                if status and view.status != status:
                    continue
                if code and case.code != code:
                    continue
                if lane and case.exception.lane != lane:
                    continue
                if room and card.room != room:
                    continue
                views.append(view)
    return sorted(views, key=lambda v: (v.case.exception.at, v.card.ticket))


def find_case(site: Site, case_id: str, session: str | None = None) -> CaseView:
    """A case by its id or an unambiguous prefix of it (8 characters are plenty)."""
    matches = [v for v in list_cases(site, session=session) if v.case.id.startswith(case_id)]
    if not matches:
        raise ReviewRefused(said(N_("no exception {case}"), case=case_id))
    if len(matches) > 1:
        raise ReviewRefused(said(N_("{case} matches {count} exceptions: give more characters"), case=case_id, count=len(matches)))
    return matches[0]


def _event(site: Site, payload: Payload, view: CaseView) -> Event:
    """An event of the chief's about `view`'s case; the payload names the case."""
    return Event(new_event_id(), payload.event_kind, format_utc(site.clock.now()), site.device(CHIEF_DEVICE), 0,
                 view.case.exception.session, view.card.ticket, None, getpass.getuser(), payload.to_payload())


def require_chief(site: Site, pin: str | None, who: str, purpose: str) -> Sealer:
    """The PIN and the chief's key, for a decision the chief's seal proves: refused, nothing recorded, where the key is
    not on this laptop or the PIN is wrong."""
    try:
        return chief_sealer(site, pin, who=who, purpose=purpose)
    except ChiefKeyRefused as exc:
        raise ReviewRefused(exc.said) from None


def _admission_payload(view: CaseView, room: str | None, seat: int | None, via: str, by: str | None = None) -> Admitted:
    return Admitted(exception_id=view.case.id, code=view.case.code, action=view.case.action, room=room, seat=seat,
                    origin=Origin(view.card.room, view.card.seat), via=via, by=by)


def approve(site: Site, case_ids: Sequence[str], *, level: str, by: str, note: str = "", recorded_by: str | None = None,
            pin: str | None, session: str | None = None) -> list[CaseView]:
    """Record `level`'s approval of each case; the chain order is enforced. Returns the cases as they now stand."""
    if level not in site.plan.approval_levels:
        raise ReviewRefused(said(N_("unknown level {level}; this site's chain: {chain}"), level=repr(level),
                                 chain=" → ".join(site.plan.approval_levels)))
    sealer = require_chief(site, pin, by, f"approve {len(case_ids)} case(s) at {level}")
    views = [find_case(site, case_id, session) for case_id in case_ids]
    for view in views:
        if view.status != "pending":
            raise ReviewRefused(said(N_("exception {case} ({ticket}) is {status}, not pending"), case=view.case.id[:8],
                                     ticket=view.card.ticket, status=status_said(view.status)))
        if view.next_level != level:
            raise ReviewRefused(said(N_("exception {case} ({ticket}) needs {needed} first, not {level}"), case=view.case.id[:8],
                                     ticket=view.card.ticket, needed=view.next_level, level=level))
    for view in views:
        events = [_event(site, Approved(exception_id=view.case.id, level=level, by=by, note=note, recorded_by=recorded_by or by), view)]
        last_level = site.plan.approval_levels[-1] == level
        if last_level and view.case.action == "hold" and not view.day.admitted:
            events.append(_event(site, _admission_payload(view, view.card.room, view.card.seat, "approval"), view))
        ledger.record(site.store, *events, override=site.override, chief_seal=sealer)
    return [find_case(site, view.case.id) for view in views]


def pending_ids(site: Site, *, session: str, level: str, code: str | None = None) -> list[str]:
    """Cases waiting for `level` (for `approve --all-pending`)."""
    return [v.case.id for v in list_cases(site, session=session, status="pending", code=code) if v.next_level == level]


def reject(site: Site, case_id: str, *, by: str, reason: str, pin: str | None, level: str | None = None) -> CaseView:
    """Refuse entry at any level; a reason is required."""
    if not reason.strip():
        raise ReviewRefused(said(N_("a reason is required to reject")))
    sealer = require_chief(site, pin, by, f"reject {case_id}")
    view = find_case(site, case_id)
    if view.status not in ("pending", "approved") or view.case.seated_by is not None:
        raise ReviewRefused(said(N_("exception {case} is {status}: it can no longer be rejected"), case=case_id,
                                 status=status_said(view.status)))
    ledger.record(site.store, _event(site, Rejected(exception_id=view.case.id, by=by, reason=reason.strip(),
                                                    level=level or view.next_level), view),
                  override=site.override, chief_seal=sealer)
    return find_case(site, view.case.id)


def resolve(site: Site, case_id: str, *, by: str, note: str, pin: str | None) -> CaseView:
    """The cause went away (certificate arrived, normal re-test): admit to the original seat."""
    if not note.strip():
        raise ReviewRefused(said(N_("say how it was resolved (--note)")))
    sealer = require_chief(site, pin, by, f"resolve {case_id}")
    view = find_case(site, case_id)
    if view.status not in ("pending", "approved") or view.case.seated_by is not None:
        raise ReviewRefused(said(N_("exception {case} is {status}: nothing to resolve"), case=case_id,
                                 status=status_said(view.status)))
    events = [_event(site, Resolved(exception_id=view.case.id, by=by, note=note.strip()), view)]
    if not view.day.admitted:
        events.append(_event(site, _admission_payload(view, view.card.room, view.card.seat, "resolve"), view))
    ledger.record(site.store, *events, chief_seal=sealer)
    return find_case(site, view.case.id)


def _flags(site: Site, kind: str, session: str | None, shown: Callable[[Event], dict]) -> list[dict]:
    """Events of `kind` that flag a candidate for the chief proctor, with the candidate's name."""
    flags = []
    with site.store.read() as conn:
        findings = {e.data.target: e for e in q.events_of_kind(conn, Kind.ALARM_RESOLVED, session)}
        for event in q.events_of_kind(conn, kind, session):
            card = lookup.card_by(conn, ticket=event.ticket, session=event.session)
            found = findings.get(event.id)
            flags.append({"event_id": event.id, "session": event.session, "ticket": event.ticket,
                          "name": card.name if card else None, "lane": event.lane, "staff": event.staff, "at": event.at,
                          **shown(event),
                          "resolution": None if found is None else {
                              "as": found.data.resolution, "by": found.data.by, "note": found.data.note, "at": found.at}})
    return flags


def duplicate_alarms(site: Site, session: str | None = None) -> list[dict]:
    """Scans of candidates already admitted: possible impersonation."""
    return _flags(site, Kind.DUPLICATE, session, _first_admission)


def _first_admission(event: Event) -> dict:
    first = DuplicateScan.from_event(event)
    return {"first_lane": first.first_lane, "first_at": first.first_at, "first_staff": first.first_staff,
            "first_via": first.first_via, "first_by": first.first_by}


def conflicts(site: Site, session: str | None = None) -> list[dict]:
    """Admissions from offline lanes that collided with another lane's: the candidate needs a look."""
    return _flags(site, Kind.CONFLICT, session, _both_admissions)


def _both_admissions(event: Event) -> dict:
    conflict = AdmissionConflict.from_event(event)
    return {"kept": conflict.kept, "conflicting": conflict.conflicting, "kept_lane": conflict.kept_lane,
            "kept_at": conflict.kept_at, "conflicting_lane": conflict.conflicting_lane, "conflicting_at": conflict.conflicting_at}
