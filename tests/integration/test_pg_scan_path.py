"""The PostgreSQL scan path keeps the lane's promises: one admission per ticket, one chain per device, no
record after a close-out, the live refresh, and the laptop's copy when the server never answers.

Interleavings are made by running another lane (or the chief) between a scan's look-up and its write;
the server, the connections and their failures are real. Without EXAMOPS_TEST_PG_URL the tests are skipped.
"""

from __future__ import annotations

from collections import Counter
from contextlib import ExitStack

import pytest
from sqlalchemy import create_engine, func, select, text

from examops.adapters.store import schema
from examops.domain.event_payloads import SessionClosed
from examops.domain.events import Kind
from examops.services import ledger
from examops.services.audit import verify
from examops.services.chief_seal import chief_sealer
from examops.services.gate import Lane
from examops.services.live import EventWatcher
from examops.services.offline import ResilientLane
from examops.services.site import Site, init_site
from tests.conftest import PG_URL, SAMPLE_PLAN, TEST_PIN, seed_roster

REFUSING_URL = "postgresql+psycopg://postgres@127.0.0.1:1/test"  # nothing listens on port 1


@pytest.fixture
def pg_site(pg_url):
    site = init_site(SAMPLE_PLAN, url=pg_url, chief_pin=TEST_PIN)
    site.people = seed_roster(site, n_rooms=2)
    yield site
    site.close()


def between_look_up_and_write(lane: Lane, action) -> None:  # noqa: ANN001
    """Run `action()` once, after the lane's next look-up and before its write."""
    path = lane.scan_path
    real = path.lookup

    def look_up(*args):  # noqa: ANN002, ANN202
        found = real(*args)
        del path.lookup  # once
        action()
        return found

    path.lookup = look_up


def admissions_of(site: Site, ticket: str) -> tuple[int, int]:
    """(admission events, guard rows) of `ticket` in S1."""
    E, A = schema.events, schema.admissions
    with site.store.read() as conn:
        events = conn.execute(select(func.count()).select_from(E).where(E.c.kind == Kind.ADMITTED, E.c.ticket == ticket)).scalar()
        guards = conn.execute(select(func.count()).select_from(A).where(A.c.ticket == ticket)).scalar()
    return events, guards


def terminate(lane: Lane) -> None:
    """End the server process behind the lane's own connection, as a server restart would."""
    pid = lane.scan_path._conn.connection.driver_connection.info.backend_pid
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    admin.dispose()


def test_the_lane_that_loses_the_guard_row_answers_duplicate(pg_site):
    ticket = pg_site.people[0].ticket
    slow, quick = Lane(pg_site, "A", "甲"), Lane(pg_site, "B", "乙")
    between_look_up_and_write(slow, lambda: quick.check(ticket, session_id="S1"))
    lost = slow.check(ticket, session_id="S1")
    assert (lost.verdict, lost.recorded, lost.first_lane) == ("duplicate", True, "B")
    assert admissions_of(pg_site, ticket) == (1, 1)
    assert verify(pg_site).ok, verify(pg_site).problems


def test_two_processes_of_one_device_keep_one_chain(pg_site):
    """Each lane's head goes stale in turn: the collision on (device, device_seq) is retried, never a gap or a fork."""
    other = Site.open(pg_site.store.url, check=False)
    first, second = Lane(pg_site, "A", "甲", device="gate-1"), Lane(other, "A", "甲", device="gate-1")
    tickets = [p.ticket for p in pg_site.people[:8]]
    verdicts = [(first if n % 2 == 0 else second).check(t, session_id="S1") for n, t in enumerate(tickets)]
    assert [(v.verdict, v.recorded) for v in verdicts] == [("admitted", True)] * 8
    with pg_site.store.read() as conn:
        seqs = [row[0] for row in conn.execute(select(schema.events.c.device_seq).where(schema.events.c.device == "gate-1")
                                               .order_by(schema.events.c.device_seq))]
    assert seqs == list(range(1, 9))
    assert verify(pg_site).ok, verify(pg_site).problems
    other.close()


def test_a_close_between_look_up_and_write_records_nothing(pg_site):
    ticket = pg_site.people[0].ticket
    lane = Lane(pg_site, "A", "甲")
    close = pg_site.system_event(Kind.SESSION_CLOSED, SessionClosed(by="总监考").to_payload(), session="S1")
    sealer = chief_sealer(pg_site, TEST_PIN, who="总监考", purpose="close S1")  # the chief's close, sealed as the desk seals it
    between_look_up_and_write(lane, lambda: ledger.record(pg_site.store, close, chief_seal=sealer))
    verdict = lane.check(ticket, session_id="S1")
    assert (verdict.verdict, verdict.recorded, verdict.closed_by) == ("session_closed", False, "总监考")
    assert admissions_of(pg_site, ticket) == (0, 0)
    assert lane.check(pg_site.people[1].ticket, session_id="S1").verdict == "session_closed"
    assert verify(pg_site).ok, verify(pg_site).problems


def test_other_lanes_hear_every_scan_the_path_writes(pg_site):
    lane = Lane(pg_site, "A", "甲")
    watcher = EventWatcher(pg_site.store)
    try:
        watcher.wait(0.5)  # whatever was announced before
        ticket = pg_site.people[0].ticket
        assert lane.check(ticket, session_id="S1").verdict == "admitted"
        assert watcher.wait(10)
        assert lane.check(ticket, session_id="S1").verdict == "duplicate"
        assert watcher.wait(10)
        assert not watcher.wait(0.5)
    finally:
        watcher.close()


def test_an_event_committed_below_a_position_already_seen_still_wakes_the_watcher(pg_site):
    """`pos` comes from a sequence: a slow transaction commits its lower position after a later one was seen."""
    lane = Lane(pg_site, "A", "甲")
    watcher = EventWatcher(pg_site.store)
    try:
        with ExitStack() as slow:
            conn = slow.enter_context(pg_site.store.write())
            ledger.append_in(conn, pg_site.store, pg_site.system_event(Kind.INCIDENT, {"note": "slow"}, session="S1"))
            assert lane.check(pg_site.people[0].ticket, session_id="S1").verdict == "admitted"  # the higher pos
            assert watcher.wait(10)
            assert not watcher.wait(0.5)
        assert watcher.wait(10), "the lower position committed last"
        assert not watcher.wait(0.5)
    finally:
        watcher.close()


def test_the_lane_plans_each_look_up_for_the_log_as_it_is_now(pg_site):
    """A generic plan made on the first scans (a log of a few rows) is kept for the connection's life: the lane's
    connection plans each run instead, so the close-out stays a search of ix_events_kind as the day's events grow."""
    lane = Lane(pg_site, "A", "甲")
    assert lane.check(pg_site.people[0].ticket, session_id="S1").verdict == "admitted"
    assert lane.scan_path._conn.exec_driver_sql("SHOW plan_cache_mode").scalar() == "force_custom_plan"


def test_a_server_restart_between_scans_costs_a_reconnect_not_an_outage(pg_site):
    lane = ResilientLane(pg_site, "A", "甲")
    assert lane.check(pg_site.people[0].ticket, session_id="S1").verdict == "admitted"
    terminate(lane.shared)
    verdict = lane.check(pg_site.people[1].ticket, session_id="S1")
    assert (verdict.verdict, verdict.recorded, verdict.offline) == ("admitted", True, False)
    assert lane.online and lane.pending == 0
    assert verify(pg_site).ok, verify(pg_site).problems


def test_a_write_the_server_never_answered_is_recorded_on_the_laptop_and_uploaded(pg_site):
    site, people = pg_site, pg_site.people
    lane = ResilientLane(site, "A", "甲")
    assert lane.check(people[0].ticket, session_id="S1").verdict == "admitted"
    real_engine = site.store.engine

    def server_gone() -> None:
        terminate(lane.shared)
        site.store.engine = create_engine(REFUSING_URL, pool_pre_ping=True, connect_args={"connect_timeout": 2})

    between_look_up_and_write(lane.shared, server_gone)
    try:
        verdict = lane.check(people[1].ticket, session_id="S1")
        assert (verdict.verdict, verdict.recorded, verdict.offline) == ("admitted", True, True)
        assert not lane.online and lane.pending == 1
        assert lane.check(people[1].ticket, session_id="S1").verdict == "duplicate"  # on the laptop's copy
    finally:
        site.store.engine.dispose()
        site.store.engine = real_engine
    uploaded = lane.try_upload()
    assert uploaded.ok and uploaded.uploaded == 2 and lane.online
    assert admissions_of(site, people[1].ticket) == (1, 1)
    assert Counter(v.verdict for v in [lane.check(people[1].ticket, session_id="S1")]) == Counter({"duplicate": 1})
    assert verify(site).ok, verify(site).problems
