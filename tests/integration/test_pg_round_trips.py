"""A PostgreSQL lane's scan costs at most two client↔server round trips (a count on the wire, not a time).

The lane's site is opened through `tests.support.pg_wire.WireCounter`, a relay that counts every
message the client waits on: statements, BEGIN/COMMIT/ROLLBACK, a pool's pre-ping, psycopg's prepares.
Issue 15: one indexed look-up, then one round trip that appends the event (and an admission's guard
row) and commits. Without EXAMOPS_TEST_PG_URL the tests are skipped.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from examops.adapters.store import schema
from examops.services.audit import verify
from examops.services.gate import Lane
from examops.services.offline import ResilientLane
from examops.services.site import Site
from tests.support.pg_wire import WireCounter

WARM_UP = 6  # past psycopg's prepare threshold (5): its one-off prepares are not the scan's cost
MEASURED = 20


@pytest.fixture
def counted(seeded_site):
    """(the owner's site, the same store opened through the counting relay, the relay)."""
    if seeded_site.store.is_sqlite:
        pytest.skip("round trips to a server: PostgreSQL only")
    relay, url = WireCounter.for_url(seeded_site.store.url)
    through = Site.open(url, check=False)
    through.people = seeded_site.people
    yield seeded_site, through, relay
    through.close()
    relay.close()


def trips_per_scan(relay: WireCounter, scan) -> tuple[float, list[str], list]:  # noqa: ANN001
    mark = relay.mark()
    verdicts = [scan(index) for index in range(MEASURED)]
    trips = relay.since(mark)
    return len(trips) / MEASURED, [trip.sql[:90] for trip in trips[:12]], verdicts


@pytest.mark.parametrize("make_lane", [lambda s: Lane(s, "A", "甲"), lambda s: ResilientLane(s, "A", "甲")],
                         ids=["Lane", "ResilientLane"])
def test_an_admitted_scan_costs_at_most_two_round_trips(counted, make_lane):
    owner, site, relay = counted
    lane = make_lane(site)
    tickets = [p.ticket for p in site.people]
    assert {lane.check(t, session_id="S1").verdict for t in tickets[:WARM_UP]} == {"admitted"}
    per_scan, seen, verdicts = trips_per_scan(relay, lambda i: lane.check(tickets[WARM_UP + i], session_id="S1"))
    assert {(v.verdict, v.recorded) for v in verdicts} == {("admitted", True)}
    assert per_scan <= 2, f"{per_scan} round trips per admitted scan: {seen}"
    with owner.store.read() as conn:
        guarded = conn.execute(select(func.count()).select_from(schema.admissions)).scalar_one()
    assert guarded == WARM_UP + MEASURED
    assert verify(owner).ok, verify(owner).problems


def test_a_duplicate_scan_costs_at_most_two_round_trips(counted):
    owner, site, relay = counted
    first, again = Lane(site, "A", "甲"), ResilientLane(site, "B", "乙")
    tickets = [p.ticket for p in site.people[:WARM_UP + MEASURED]]
    assert {first.check(t, session_id="S1").verdict for t in tickets} == {"admitted"}
    assert {again.check(t, session_id="S1").verdict for t in tickets[:WARM_UP]} == {"duplicate"}
    per_scan, seen, verdicts = trips_per_scan(relay, lambda i: again.check(tickets[WARM_UP + i], session_id="S1"))
    assert {(v.verdict, v.recorded, v.first_lane) for v in verdicts} == {("duplicate", True, "A")}
    assert per_scan <= 2, f"{per_scan} round trips per duplicate scan: {seen}"
    assert verify(owner).ok, verify(owner).problems
