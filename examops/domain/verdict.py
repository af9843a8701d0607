"""The answer a lane shows for one scan, and how it is decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

from examops.domain import idnumber
from examops.domain.plan import Session
from examops.domain.policy import Decision, Policy

VERDICTS = ("admitted", "exception", "denied", "duplicate", "unknown", "wrong_session", "invalid", "not_recorded",
            "session_closed")


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

    @property
    def id_masked(self) -> str:
        return idnumber.mask(self.id_number)


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

    def to_json(self, *, reveal_id: bool = False) -> dict:
        card = self.card
        out = {
            "verdict": self.verdict,
            "recorded": self.recorded,
            "ticket": card.ticket if card else None,
            "name": card.name if card else None,
            "sex": card.sex if card else None,
            "id_number": (card.id_number if reveal_id else card.id_masked) if card else None,
            "room": card.room if card else None,
            "seat": card.seat if card else None,
            "session": self.session,
            "event_id": self.event_id,
            "at": self.at,
            "reason": self.reason,
        }
        if self.code:
            out["code"] = self.code
            out["action"] = self.action
        if self.verdict == "duplicate":
            out.update(first_lane=self.first_lane, first_at=self.first_at, first_staff=self.first_staff)
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
    if decision.action != "deny" and now_local > session.entry_closes_at and "late" in policy.codes:
        late = policy.code("late")
        reason = f"entry closed at {session.entry_closes_at:%H:%M}"
        return Decision(late.code, late.action, reason)
    return decision

