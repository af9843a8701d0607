"""The answer a lane shows for one scan, and how it is decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

from examops.domain import idnumber
from examops.domain.plan import Session
from examops.domain.policy import Decision, Policy
from examops.domain.said import Said

VERDICTS = ("admitted", "exception", "denied", "duplicate", "unknown", "wrong_session", "invalid", "not_recorded",
            "session_closed", "outside_window", "arrived", "returned", "no_reentry", "to_confirm")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the chief's desk put a candidate (a reallocation, a move, an approval): the seat and the one left."""

    room: str | None
    seat: int | None
    from_room: str | None = None
    from_seat: int | None = None
    via: str = ""  # reallocation, move, approval, resolve

    @property
    def moved(self) -> bool:
        return (self.room, self.seat) != (self.from_room, self.from_seat)

    def describe(self) -> str:
        """'B01-1, moved from 001-4 by reallocation' (English; the edges may word it from the fields)."""
        here = f"{self.room}-{self.seat}"
        if not self.moved:
            return f"{here} ({self.via})" if self.via else here
        return f"{here}, moved from {self.from_room or '-'}-{self.from_seat or '-'} by {self.via or 'the chief'}"


@dataclass(frozen=True, slots=True)
class CandidateCard:
    """The roster facts about one candidate in one session, as looked up in the store."""

    ticket: str
    name: str
    id_number: str
    sex: str | None
    room: str | None
    seat: int | None
    session: str | None
    placement: Placement | None = None  # set when the chief's desk seated them elsewhere than the roster
    state: str | None = None  # in this session: expected, admitted, held, denied, out, left (None: not looked up)
    arriving: bool = False  # admitted at the chief's desk (a reallocation, a move) and not yet through a gate since

    @property
    def id_masked(self) -> str:
        return idnumber.mask(self.id_number)

    @property
    def current_room(self) -> str | None:
        """Where they sit now: the chief's placement, else the roster's room."""
        return self.placement.room if self.placement else self.room

    @property
    def current_seat(self) -> int | None:
        return self.placement.seat if self.placement else self.seat

    def place_json(self) -> dict:
        """Room and seat now, and where that came from (the roster's seat if they were moved)."""
        out = {"room": self.current_room, "seat": self.current_seat}
        if self.placement is not None:
            out["placed"] = {"via": self.placement.via, "from_room": self.placement.from_room,
                             "from_seat": self.placement.from_seat, "said": self.placement.describe()}
        return out


@dataclass(frozen=True)
class Verdict:
    """What happened to one scan. `recorded` is True only after the commit returned."""

    verdict: str
    session: str | None = None
    card: CandidateCard | None = None
    code: str | None = None
    action: str | None = None
    reason: str = ""
    event_id: str | None = None
    recorded: bool = False
    at: str | None = None
    first_lane: str | None = None
    first_at: str | None = None
    first_staff: str | None = None
    suggestions: tuple[CandidateCard, ...] = ()
    scanned: str = ""
    evidence: Mapping[str, str] = field(default_factory=dict)
    offline: bool = False
    """Recorded on this laptop while the shared store did not answer; uploaded when it does."""
    closed_by: str | None = None  # for "session_closed": who signed the session off, and when (local HH:MM)
    closed_at: str | None = None
    window: str | None = None  # outside_window: other_day, not_yet or ended (domain.windows)
    opens_at: str | None = None  # site-local ISO times of the session's entry window
    closes_at: str | None = None
    go_room: str | None = None  # where the candidate must go now (isolation room for a fever, the new seat after a move)
    go_seat: int | None = None
    go_kind: str | None = None  # regular, backup or isolation
    first_via: str | None = None  # duplicate: how the first admission came (ticket/id_number at a gate; reallocation, approval… at the chief's desk)
    first_by: str | None = None  # duplicate: the chief who decided an admission made at the desk
    failure: Said | None = None  # not_recorded: why, as a sentence for the screen in its language (`reason` its English)
    standing: bool = False  # recorded before: the verdict repeats an event already in the log and wrote nothing now

    @property
    def mistyped_id(self) -> bool:
        """An unknown scan shaped like an ID number whose check character fails: a slip of the keys, not a stranger."""
        value = idnumber.clean(self.scanned)
        return self.verdict == "unknown" and idnumber.looks_like_id(value) and idnumber.check_char(value[:17]) != value[17]

    def to_json(self, *, reveal_id: bool = False) -> dict:
        card = self.card
        out = {
            "verdict": self.verdict,
            "recorded": self.recorded,
            "ticket": card.ticket if card else None,
            "name": card.name if card else None,
            "sex": card.sex if card else None,
            "id_number": (card.id_number if reveal_id else card.id_masked) if card else None,
            "room": card.current_room if card else None,
            "seat": card.current_seat if card else None,
            "session": self.session,
            "event_id": self.event_id,
            "at": self.at,
            "reason": self.reason,
        }
        if self.code:
            out["code"] = self.code
            out["action"] = self.action
        if card and card.placement:
            out["placed"] = card.place_json()["placed"]
        if self.go_room is not None:
            out.update(go_room=self.go_room, go_seat=self.go_seat, go_kind=self.go_kind)
        if self.window:
            out.update(window=self.window, opens_at=self.opens_at, closes_at=self.closes_at)
        if self.verdict == "duplicate":
            out.update(first_lane=self.first_lane, first_at=self.first_at, first_staff=self.first_staff,
                       first_via=self.first_via, first_by=self.first_by)
        if self.mistyped_id:
            out["typo"] = "id-check-character"
        if self.suggestions:
            out["suggestions"] = [
                {"ticket": s.ticket, "name": s.name, "id_number": s.id_masked} for s in self.suggestions
            ]
        if self.evidence:
            out["evidence"] = dict(self.evidence)
        if self.offline:
            out["offline"] = True
        if self.verdict == "session_closed":
            out.update(closed_by=self.closed_by, closed_at=self.closed_at)
        return out


def decide(
    policy: Policy,
    session: Session,
    now_local: dt.datetime,
    outcome: str | None,
    evidence: Mapping[str, str],
) -> Decision:
    """Decide a scan's outcome: the code staff chose (or a clean admission) and the late-entry rule."""
    if outcome in (None, "", "admit"):
        decision = Decision("", "admit")
    else:
        decision = policy.judge(outcome, evidence, session.starts_at)
    if decision.action != "deny" and now_local.date() == session.date and now_local > session.entry_closes_at \
            and "late" in policy.codes:
        late = policy.code("late")
        reason = f"entry closed at {session.entry_closes_at:%H:%M}"
        return Decision(late.code, late.action, reason)
    return decision

