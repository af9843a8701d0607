"""A deliberately broken lane: check-then-insert with no uniqueness guard.

It reads whether the ticket already has an admission in one transaction and
writes an `admitted` event in another, with no `admissions` row and a short
pause in between (a lane's screen would take longer). Two lanes scanning one
ticket at once can both admit it. The reliability tests run it through the
same multi-process harness as `examops check --stdin` to prove the harness
can see a double admission.

Usage: python tests/support/naive_checkin.py --db URL --lane L --staff S --session S1
(one scan per stdin line, one JSON line per scan).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time

from sqlalchemy import select

from examops.adapters.store import format_utc, schema
from examops.domain.events import Event, Kind, new_event_id
from examops.domain.scan import classify
from examops.services import lookup
from examops.services.site import Site


def naive_check(site: Site, code: str, *, session: str, lane: str, staff: str) -> dict:
    """Check, pause, then insert: the race the `admissions` primary key exists to close."""
    scan = classify(code)
    if scan.kind == "invalid":
        return {"verdict": "invalid", "ticket": None, "event_id": None}
    E = schema.events
    with site.store.read() as conn:
        card = lookup.card_by(conn, ticket=scan.value, session=session)
        if card is None:
            return {"verdict": "unknown", "ticket": None, "event_id": None}
        already = conn.execute(
            select(E.c.id).where(E.c.session_id == session, E.c.ticket == card.ticket, E.c.kind == Kind.ADMITTED)
        ).first()
    if already is not None:
        return {"verdict": "duplicate", "ticket": card.ticket, "event_id": None}
    time.sleep(random.uniform(0, 0.002))
    event = Event(new_event_id(), Kind.ADMITTED, format_utc(site.clock.now()), site.device(lane), 0,
                  session, card.ticket, lane, staff, {"room": card.room, "seat": card.seat})
    with site.store.write() as conn:
        stored, _ = site.store.append(conn, event)
    return {"verdict": "admitted", "ticket": card.ticket, "event_id": stored.id}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--lane", required=True)
    parser.add_argument("--staff", required=True)
    parser.add_argument("--session", required=True)
    args = parser.parse_args(argv)
    site = Site.open(args.db, check=False)
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        if not line.strip():
            continue
        result = naive_check(site, line, session=args.session, lane=args.lane, staff=args.staff)
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
