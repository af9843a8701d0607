"""The compiled scan path's decision: from one look-up, a plain admission or a duplicate, or None (the general path).

Shared by `gate.Lane` and the one-shot lane (`services.one_shot`, on SQLite's own connection, without
SQLAlchemy): both answer a scan the same way from the same look-up. Free of the store on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping

from examops.adapters.scan_rows import Lookup
from examops.domain.event_payloads import Admitted, DuplicateScan
from examops.domain.events import Event, Kind, format_utc, new_event_id
from examops.domain.plan import Session
from examops.domain.policy import Policy, PolicyError
from examops.domain.state import CandidateDay, fold_day
from examops.domain.verdict import CandidateCard, Placement, Verdict, decide


@dataclass(frozen=True)
class Planned:
    """What a scan writes (an event of `kind`, and for an admission its guard row `guard_slot`) and says once written."""

    kind: str
    payload: dict
    verdict: Verdict
    """The lane's answer, before the write gives it the event's id and time."""
    guard_slot: int | None
    duplicate: bool


def plan_scan(found: Lookup | None, session: Session, ticket: str, policy: Policy, now_local, outcome: str | None,  # noqa: ANN001
              evidence: Mapping[str, str], read_at: str | None = None) -> Planned | None:
    """A plain admission or a duplicate scan from the look-up; None where the general path answers (no such
    ticket, no seat, a closed session, a leave, an exception or denial standing, a policy that does not admit).
    `read_at`: when the scan was read, where it is judged as of then (the admission says so beside its write time)."""
    if found is None or found.closure is not None or found.card.room is None:
        return None
    day = fold_day(session.id, ticket, found.day)
    card = replace(found.card, placement=placement_of(day), state=day.state)
    if day.admitted:
        if day.left_for_good is not None or day.out is not None or day.awaiting_arrival:
            return None
        payload, verdict = duplicate_scan(session, card, day)
        return Planned(Kind.DUPLICATE, payload, verdict, None, True)
    if day.open_exception or day.denial:
        return None
    try:
        decision = decide(policy, session, now_local, outcome, evidence)
    except PolicyError:
        return None
    if decision.action != "admit":
        return None
    admitted = Admitted(code=decision.code, action=decision.action, reason=decision.reason, evidence=evidence,
                        room=card.room, seat=card.seat, via="ticket", missing=decision.missing or None, read_at=read_at)
    verdict = Verdict(decision.verdict, session.id, card=card, code=decision.code or None,
                      action=decision.action, reason=decision.reason, evidence=evidence,
                      go_room=card.current_room, go_seat=card.current_seat,
                      go_kind="regular" if card.current_room else None)
    return Planned(Kind.ADMITTED, admitted.to_payload(), verdict, day.voided_admissions, False)


def lane_event(kind: str, session: str, ticket: str | None, payload: dict, *, now, device: str, lane: str,  # noqa: ANN001
               staff: str) -> Event:
    """A lane's event, before the chain seals it (`now`: the site clock's aware UTC moment)."""
    return Event(new_event_id(), kind, format_utc(now), device, 0, session, ticket, lane, staff, payload)


def placement_of(day: CandidateDay) -> Placement | None:
    """Where the chief's desk seated the candidate (an admission or a move made there), or None: the roster seat holds."""
    event = day.placement
    if event is None or event.lane is not None:
        return None
    data = event.data
    origin = getattr(data, "origin", None)
    return Placement(data.room, data.seat, origin.room if origin else None, origin.seat if origin else None,
                     str(getattr(data, "via", "") or ""))


def duplicate_scan(session: Session, card: CandidateCard, day: CandidateDay) -> tuple[dict, Verdict]:
    """The duplicate-scan event's payload and the lane's verdict: where, when and by whom the first admission was."""
    first = day.admission
    data = first.data if first else None
    at_desk = first is not None and first.lane is None
    scan = DuplicateScan(first_event=first.id if first else None, first_lane=first.lane if first else None,
                         first_at=first.at if first else None, first_staff=first.staff if first else None,
                         first_via=str(getattr(data, "via", "") or "") or None,
                         first_by=(getattr(data, "by", None) or first.staff) if at_desk else None)
    payload = scan.to_payload()
    verdict = Verdict("duplicate", session.id, card=card,
                      first_lane=scan.first_lane, first_at=scan.first_at, first_staff=scan.first_staff,
                      first_via=scan.first_via, first_by=scan.first_by,
                      go_room=card.current_room, go_seat=card.current_seat, go_kind="regular",
                      reason="already admitted: possible impersonation, call the chief proctor")
    return payload, verdict
