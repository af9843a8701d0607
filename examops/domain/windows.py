"""Entry and leave windows: when a session's gate opens and closes, and which session a lane is in now.

A session's doors open `entry_opens_minutes` before the start and admit until
`late_entry_minutes` after it. A scan outside that window (another day, before
the doors open, after the paper ended) is no admission and no denial: the
gate answers with what and when. Only a late arrival on the session's own day,
after the cutoff and before the paper ends, is the `late` denial. Leaving for
good waits until `early_leave_minutes` after the start (`too_early_to_leave`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from examops.domain.plan import Session

OPEN = "open"          # doors open: screen and admit
LATE = "late"          # the session's day, after the cutoff, before the end: the `late` denial
NOT_YET = "not_yet"    # the session's day, before the doors open
OTHER_DAY = "other_day"  # a day before the session's
ENDED = "ended"        # the paper has ended (that day or a later one)
OUTSIDE = (NOT_YET, OTHER_DAY, ENDED)


@dataclass(frozen=True, slots=True)
class Window:
    """Where `now` falls against one session's entry window."""

    session: Session
    status: str
    opens_at: dt.datetime
    closes_at: dt.datetime

    @property
    def outside(self) -> bool:
        """Neither admit nor deny: answer with what and when."""
        return self.status in OUTSIDE

    def reason(self) -> str:
        """The answer in English, e.g. 'S1 试卷一 is on 2021-10-16, entry from 07:45' (the edges translate `status`)."""
        s = self.session
        if self.status == OTHER_DAY:
            return f"{s.id} {s.name} is on {s.date.isoformat()}, entry from {self.opens_at:%H:%M}"
        if self.status == NOT_YET:
            return f"{s.id} {s.name}: entry from {self.opens_at:%H:%M}"
        if self.status in (ENDED, LATE):
            return f"{s.id} {s.name}: entry closed at {self.closes_at:%H:%M} on {s.date.isoformat()}"
        return f"{s.id} {s.name}: entry open until {self.closes_at:%H:%M}"


def opens_at(session: Session) -> dt.datetime:
    return session.starts_at - dt.timedelta(minutes=session.entry_opens_minutes)


def window(session: Session, now_local: dt.datetime) -> Window:
    """Where `now_local` (naive site time) stands against `session`'s entry window."""
    start, close = opens_at(session), session.entry_closes_at
    if now_local.date() < session.date:
        status = OTHER_DAY
    elif now_local > session.ends_at:
        status = ENDED
    elif now_local < start:
        status = NOT_YET
    elif now_local <= close:
        status = OPEN
    else:
        status = LATE
    return Window(session, status, start, close)


def lane_window(sessions: Iterable[Session], now_local: dt.datetime) -> Window | None:
    """The lane's session now: the one from doors-open to its end; between sessions the next; after all, the last."""
    ordered = sorted(sessions, key=opens_at)
    if not ordered:
        return None
    for session in ordered:
        if opens_at(session) <= now_local <= session.ends_at:
            return window(session, now_local)
    upcoming = [s for s in ordered if opens_at(s) > now_local]
    return window(upcoming[0] if upcoming else ordered[-1], now_local)


def too_early_to_leave(session: Session, now_local: dt.datetime) -> dt.datetime | None:
    """While `now_local` is before the time `session` allows a candidate to leave for good: that time; else None.

    Leaving for good before the paper starts is an early leave too: the same time holds. A temporary leave is
    never refused by the clock (the candidate is checked again at the gate)."""
    allowed = session.early_leave_from
    return allowed if now_local < allowed else None
