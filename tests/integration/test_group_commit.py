"""A burst of scans committed together (issue 15): one transaction for the burst, every promise of one scan kept.

A wedge scanner or a piped file delivers scans faster than a disk commits them one by one; `check_burst` runs
what has arrived in one transaction (a savepoint each) and answers only after its commit. Counted, not timed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from sqlalchemy import event, func, insert, select

from examops.adapters.store import schema
from examops.services.audit import verify
from examops.services.gate import Lane
from examops.services.offline import ResilientLane
from tests.conftest import at_local


@pytest.fixture
def lane_site(seeded_site):
    if not seeded_site.store.is_sqlite:
        pytest.skip("a shared store's lane commits each scan on its own (its offline fallback is per write)")
    at_local(seeded_site, "2021-10-16T08:10")
    return seeded_site


def commits_during(engine, work):  # noqa: ANN001, ANN201
    """(result of work(), COMMIT statements and BEGINs the store's engine ran meanwhile)."""
    seen = []

    def on_execute(conn, cursor, statement, *rest) -> None:  # noqa: ANN001, ANN002
        seen.append(statement.lstrip().split(None, 1)[0].upper())

    def on_commit(conn) -> None:  # noqa: ANN001
        seen.append("COMMIT")

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    try:
        result = work()
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)
    return result, seen.count("COMMIT"), seen.count("BEGIN")


def admissions(site) -> int:  # noqa: ANN001
    with site.store.read() as conn:
        return conn.execute(select(func.count()).select_from(schema.admissions)).scalar_one()


@pytest.mark.parametrize("make_lane", [Lane, ResilientLane], ids=["Lane", "ResilientLane"])
def test_a_burst_of_twenty_scans_is_one_commit(lane_site, make_lane):
    lane = make_lane(lane_site, "A", "甲")
    tickets = [p.ticket for p in lane_site.people[:20]]
    lane.check(lane_site.people[50].ticket, session_id="S1")  # warm: the chain head is known
    verdicts, commits, begins = commits_during(
        lane_site.store.engine, lambda: lane.check_burst([(t, None, {}) for t in tickets], session_id="S1"))
    assert [(v.verdict, v.recorded) for v in verdicts] == [("admitted", True)] * 20
    assert (commits, begins) == (1, 1)
    assert admissions(lane_site) == 21
    assert verify(lane_site).ok


def test_one_ticket_twice_in_a_burst_is_admitted_once_and_then_a_duplicate(lane_site):
    lane = Lane(lane_site, "A", "甲")
    first, other = lane_site.people[0].ticket, lane_site.people[1].ticket
    verdicts = lane.check_burst([(first, None, {}), (other, None, {}), (first, None, {})], session_id="S1")
    assert [v.verdict for v in verdicts] == ["admitted", "admitted", "duplicate"]
    assert verdicts[2].first_lane == "A" and all(v.recorded for v in verdicts)
    assert admissions(lane_site) == 2


def test_a_lost_guard_race_inside_a_burst_leaves_the_other_scans_standing(lane_site):
    """Another lane holds the guard row (its event not yet seen): that scan is a duplicate; the burst's others stand."""
    lane = Lane(lane_site, "A", "甲")
    taken, before, after = (p.ticket for p in lane_site.people[:3])
    with lane_site.store.write() as conn:
        conn.execute(insert(schema.admissions).values(session_id="S1", ticket=taken, slot=0, event_id="elsewhere"))
    verdicts = lane.check_burst([(before, None, {}), (taken, None, {}), (after, None, {})], session_id="S1")
    assert [v.verdict for v in verdicts] == ["admitted", "duplicate", "admitted"]
    assert all(v.recorded for v in verdicts)
    with lane_site.store.read() as conn:
        kinds = conn.execute(select(schema.events.c.ticket, schema.events.c.kind).where(schema.events.c.lane == "A")).all()
    assert sorted(kinds) == sorted([(before, "admitted"), (taken, "duplicate_scan"), (after, "admitted")])


def test_a_failed_commit_records_none_of_the_burst_and_says_so(lane_site, tmp_path):
    """The store file replaced while the burst ran: the commit is refused, no verdict claims a record, nothing is kept."""
    lane = Lane(lane_site, "A", "甲")
    tickets = [p.ticket for p in lane_site.people[:5]]
    store_path = lane_site.store.path
    original_check = lane.check
    calls = []

    def check_then_replace(code, **kwargs):  # noqa: ANN001, ANN003, ANN202
        verdict = original_check(code, **kwargs)
        calls.append(code)
        if len(calls) == 3:  # mid-burst, the file at the store's path becomes another file (an insider's copy)
            copy = tmp_path / "copy.sqlite3"
            shutil.copyfile(store_path, copy)
            os.replace(copy, store_path)
        return verdict

    lane.check = check_then_replace
    verdicts = lane.check_burst([(t, None, {}) for t in tickets], session_id="S1")
    assert [v.verdict for v in verdicts] == ["not_recorded"] * 5
    assert not any(v.recorded for v in verdicts), [(v.verdict, v.recorded, v.reason) for v in verdicts]
    assert all(v.reason for v in verdicts)
    assert lane.scan_path.head is None  # the next scan reads the chain's head from the store again


def test_check_stdin_answers_a_piped_burst_in_order_each_recorded(lane_site):
    people = lane_site.people
    lines = [people[0].ticket, people[1].ticket, "garbage!", people[0].ticket, people[2].ticket + "\tfever\ttemp1=38.5"]
    env = {**os.environ, "EXAMOPS_CLOCK": "2021-10-16T08:10", "EXAMOPS_LANG": "en"}
    out = subprocess.run([sys.executable, "-m", "examops", "--db", lane_site.store.url, "check", "--stdin", "--json",
                          "--lane", "A", "--staff", "甲", "--session", "S1"],
                         input="\n".join(lines) + "\n", capture_output=True, text=True, env=env, timeout=120)
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    assert [a["verdict"] for a in answers] == ["admitted", "admitted", "invalid", "duplicate", "exception"], out.stderr
    assert [a["recorded"] for a in answers] == [True, True, False, True, True]
    assert admissions(lane_site) == 2
    assert verify(lane_site).ok


def test_a_burst_that_raises_midway_leaves_nothing_and_the_lane_chains_on_what_is_on_disk(lane_site):
    """Not a failed write but an error of the code (say): the group rolls back, and the lane's next scan is sealed
    on the last event the store holds, not on the head the lost burst had moved on in memory."""
    lane = Lane(lane_site, "A", "甲")
    people = lane_site.people[:4]
    lane.check(people[0].ticket)
    real_check = lane.check
    calls = []

    def check_then_break(code, **kwargs):  # noqa: ANN001, ANN003, ANN202
        calls.append(code)
        if len(calls) == 2:
            raise RuntimeError("a bug halfway through the burst")
        return real_check(code, **kwargs)

    lane.check = check_then_break
    with pytest.raises(RuntimeError):
        lane.check_burst([(p.ticket, None, {}) for p in people[1:3]])
    lane.check = real_check
    assert admissions(lane_site) == 1
    assert lane.check(people[3].ticket).recorded
    assert admissions(lane_site) == 2
    assert verify(lane_site).ok
