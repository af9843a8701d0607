"""The lane's session and times from the plan and the site clock alone: what the gate's first frame shows.

No store here (`gate_view` has the queries and imports SQLAlchemy): a `Site` or a `SiteHead` serves alike.
"""

from __future__ import annotations

from typing import Protocol

from examops.domain import windows
from examops.domain.events import parse_utc
from examops.domain.plan import Plan, Session
from examops.services.clock import Clock

UTC_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class HasPlanAndClock(Protocol):
    plan: Plan
    clock: Clock


def local_time(site: HasPlanAndClock, at: str | None, fmt: str = "%H:%M:%S") -> str:
    """An event's UTC time stamp as site-local wall time."""
    if not at:
        return ""
    try:
        return site.clock.local(parse_utc(at)).strftime(fmt)
    except ValueError:
        return at


def current_session(site: HasPlanAndClock, session_id: str | None) -> Session | None:
    """The lane's fixed session, or the one the site clock says is current."""
    if session_id:
        return site.plan.session(session_id)
    return site.plan.current_session(site.clock.local())


def entry_window(site: HasPlanAndClock, session_id: str | None) -> windows.Window | None:
    """The lane's session and its entry window now: open, late, or not open (and when it opens or closed)."""
    now = site.clock.local()
    if session_id:
        return windows.window(site.plan.session(session_id), now)
    return windows.lane_window(site.plan.sessions, now)
