"""The site's own events (a plan set, a PIN refused, a roster's tables' digests): free of the store, so the
SQLAlchemy-free SQLite import (`services.plain_roster`) makes them as `Site.system_event` does."""

from __future__ import annotations

import getpass

from examops.domain.events import Event, format_utc, new_event_id
from examops.services.clock import Clock


def system_event(clock: Clock, device: str, kind: str, payload: dict, *, session: str | None = None,
                 ticket: str | None = None) -> Event:
    """An event of the site's admin device (`device`), at the site clock's now, by the user running this process."""
    return Event(
        id=new_event_id(),
        kind=kind,
        at=format_utc(clock.now()),
        device=device,
        device_seq=0,
        session=session,
        ticket=ticket,
        lane=None,
        staff=getpass.getuser(),
        payload=payload,
    )
