"""A burst met by a store another process holds locked: the lane asks for the lock once, and every scan is NOT
RECORDED at once, in order, with why.

Found as a lane laptop's user: with an import holding the write lock, a wedge scanner's burst of six kept the
gate on "checking…" for 35 s (the group waited the busy timeout, then each scan alone waited it again).
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import event

from examops.services.gate import Lane
from examops.services.site import init_site
from tests.conftest import SAMPLE_PLAN, TEST_PIN, at_local, seed_roster


def _events(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]


def test_a_burst_on_a_locked_store_waits_for_the_lock_once_and_records_nothing(tmp_path):
    path = tmp_path / "s.sqlite3"
    site = init_site(SAMPLE_PLAN, url=f"sqlite:///{path}", chief_pin=TEST_PIN)
    try:
        people = seed_roster(site)
        at_local(site, "2021-10-16T08:10")
        lane = Lane(site, "A", "s")
        assert lane.check(people[0].ticket, session_id="S1").recorded  # the lane's statements are ready
        lock_errors: list[str] = []
        event.listen(site.store.engine, "handle_error", lambda ctx: lock_errors.append(str(ctx.original_exception)))
        before = _events(path)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            burst = [(p.ticket, None, {}) for p in people[1:6]] + [("not a ticket \x01", None, {})]
            verdicts = lane.check_burst(burst, session_id="S1")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert [v.verdict for v in verdicts] == ["not_recorded"] * 5 + ["invalid"]
        assert [v.scanned for v in verdicts[:5]] == [p.ticket for p in people[1:6]]
        assert all(not v.recorded and "locked" in v.reason for v in verdicts[:5])
        assert len([e for e in lock_errors if "locked" in e]) == 1, lock_errors  # one wait, not one a scan
        assert _events(path) == before
        # the lock gone, the same burst is recorded as it would have been
        again = lane.check_burst(burst[:5], session_id="S1")
        assert [v.verdict for v in again] == ["admitted"] * 5 and all(v.recorded for v in again)
    finally:
        site.close()
