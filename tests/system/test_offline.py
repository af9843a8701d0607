"""When the shared store goes away: the lane records on this laptop, then uploads by itself, idempotently.

"Going away" is real: a store whose engine points at a closed port (the server
refuses), and, where this machine allows it, the PostgreSQL cluster itself
stopped with `-m immediate` in the middle of a lane's stream and started again.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from examops.adapters.store import ServerUnreachable, Store, schema
from examops.domain.events import Kind
from examops.services import review
from examops.services.audit import verify
from examops.services.figures import session_figures
from examops.services.gate import Lane
from examops.services.offline import ResilientLane, cache_path
from examops.services.site import Site, init_site
from examops.services.sync import merge_events
from examops.tui.app import ExamopsApp
from examops.tui.screens.gate import GateScreen
from tests.conftest import PG_URL, SAMPLE_PLAN, TEST_PIN, _pg_schema_url, at_local, seed_roster
from tests.support.tui import run_async, screen_text, until
from tests.system.test_reliability import PROCESS_TIMEOUT, LaneProcess, admitted_events_per_ticket, count, verify_rc, wait_for

REFUSING_URL = "postgresql+psycopg://postgres@127.0.0.1:1/test"  # nothing listens on port 1: connection refused


@pytest.fixture
def pg_site(pg_url):
    site = init_site(SAMPLE_PLAN, url=pg_url, chief_pin=TEST_PIN)
    site.people = seed_roster(site, n_rooms=4)
    yield site
    site.close()


@contextmanager
def server_refusing(site: Site):
    """The site's shared store stops answering (its engine points at a closed port) until the block ends."""
    real = site.store.engine
    site.store.engine = create_engine(REFUSING_URL, pool_pre_ping=True, connect_args={"connect_timeout": 2})
    try:
        yield
    finally:
        site.store.engine.dispose()
        site.store.engine = real


def shared_events(site: Site, **where) -> list:
    E = schema.events
    query = select(E)
    for column, value in where.items():
        query = query.where(getattr(E.c, column) == value)
    with site.store.read() as conn:
        return conn.execute(query.order_by(E.c.pos)).all()


# -- on SQLite it is a plain lane --------------------------------------------------


def test_on_sqlite_the_resilient_lane_is_a_plain_lane(tmp_path):
    site = init_site(SAMPLE_PLAN, url=f"sqlite:///{tmp_path / 'store.sqlite3'}", chief_pin=TEST_PIN)
    people = seed_roster(site)
    lane = ResilientLane(site, "A", "s")
    assert not lane.can_go_offline and lane.local is None and lane.cache_error is None
    assert not (cache_path(site, "A")).parent.exists(), "no cache for a store on this laptop already"
    first = lane.check(people[0].ticket, session_id="S1")
    again = lane.check(people[0].ticket, session_id="S1")
    assert (first.verdict, again.verdict) == ("admitted", "duplicate") and lane.online and lane.pending == 0
    assert "offline" not in first.to_json()
    assert lane.try_upload().ok and lane.maintain() is None
    assert lane.device == Lane(site, "A", "s").device
    site.close()


# -- which failures mean "the server does not answer" ----------------------------------


def test_only_a_silent_server_counts_as_unreachable(pg_site):
    store = pg_site.store
    refusing = Store(create_engine(REFUSING_URL, connect_args={"connect_timeout": 2}), REFUSING_URL)
    with pytest.raises(DBAPIError) as refused:
        with refusing.read() as conn:
            conn.exec_driver_sql("SELECT 1")
    assert refusing.unreachable(refused.value)
    refusing.close()
    with pytest.raises(DBAPIError) as cancelled:  # the server answered: a statement timeout is not an outage
        with store.read() as conn:
            conn.exec_driver_sql("SET statement_timeout = 1")
            conn.exec_driver_sql("SELECT pg_sleep(1)")
    assert not store.unreachable(cancelled.value)
    with pytest.raises(DBAPIError) as duplicate:
        with store.write() as conn:
            conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES ('store_id', 'again')")
    assert not store.unreachable(duplicate.value)


def test_a_refusal_by_the_server_is_not_recorded_and_does_not_go_offline(pg_site):
    """A read-only session answers, and refuses: NOT RECORDED, as on one laptop, never a silent switch."""
    from sqlalchemy import event

    lane = ResilientLane(pg_site, "A", "s")

    def read_only(dbapi_connection, _record):  # noqa: ANN001
        cursor = dbapi_connection.cursor()
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        cursor.close()
        dbapi_connection.commit()

    engine = pg_site.store.engine
    event.listen(engine, "connect", read_only)
    engine.dispose()
    try:
        verdict = lane.check(pg_site.people[0].ticket, session_id="S1")
    finally:
        event.remove(engine, "connect", read_only)
        engine.dispose()
    assert (verdict.verdict, verdict.recorded, verdict.offline) == ("not_recorded", False, False)
    assert "read-only" in verdict.reason and lane.online and lane.pending == 0


# -- offline and back, on a real PostgreSQL schema -----------------------------------


def test_lane_goes_offline_keeps_duplicates_and_uploads_once(pg_site):
    site, people = pg_site, pg_site.people
    lane = ResilientLane(site, "A", "甲")
    assert lane.cache_error is None and lane.local_site is not None
    assert cache_path(site, "A").exists()
    other_site = Site.open(site.store.url, check=False)
    other = Lane(other_site, "B", "乙")
    assert lane.check(people[0].ticket, session_id="S1").verdict == "admitted"
    assert other.check(people[1].ticket, session_id="S1").verdict == "admitted"
    lane.refresh_mirror()  # what the live poller does when another lane stores something

    with server_refusing(site):
        offline = [lane.check(p.ticket, session_id="S1") for p in people[2:6]]
        assert [(v.verdict, v.recorded, v.offline) for v in offline] == [("admitted", True, True)] * 4
        assert not lane.online and lane.pending == 4
        assert "offline" in offline[0].to_json() and offline[0].to_json()["offline"] is True
        # Re-scans: admitted here online before the outage, here offline, and at lane B before the outage.
        again = [lane.check(people[i].ticket, session_id="S1") for i in (0, 2, 1)]
        assert [(v.verdict, v.recorded, v.offline) for v in again] == [("duplicate", True, True)] * 3
        assert lane.check("211599999999", session_id="S1").verdict == "unknown"
        # Meanwhile lane B, still online, admits someone this lane will admit offline too.
        assert other.check(people[7].ticket, session_id="S1").verdict == "admitted"
        assert lane.check(people[7].ticket, session_id="S1").verdict == "admitted"
        assert lane.pending == 9
        failed = lane.try_upload()
        assert not failed.ok and failed.unreachable and not lane.online and lane.pending == 9
    before = {row.id for row in shared_events(site)}
    queue = lane.queued_events()

    result = lane.try_upload()
    assert result.ok and lane.online and lane.pending == 0
    assert (result.uploaded, result.already) == (9, 0)
    assert [(c["ticket"], c["kept_lane"], c["conflicting_lane"]) for c in result.conflicts] == [(people[7].ticket, "B", "A")]
    stored = {row.id: row for row in shared_events(site)}
    assert {e.id for e in queue} <= stored.keys() and len(stored) == len(before) + 9 + 1  # the queue and one conflict flag
    assert verify(site).ok

    # Uploading again creates nothing: the event id is the key.
    again = merge_events(site.store, queue, merged_by="upload-A")
    assert (again.new, again.already, again.conflicts) == (0, 9, [])
    assert site.store.count_events() == len(stored)

    # Back online, the chain goes on from the last uploaded event.
    assert lane.check(people[8].ticket, session_id="S1").verdict == "admitted"
    assert lane.check(people[3].ticket, session_id="S1").verdict == "duplicate"
    assert verify(site).ok
    assert admitted_events_per_ticket(site, [people[3].ticket])[people[3].ticket] == 1
    assert [flag["ticket"] for flag in review.conflicts(site, "S1")] == [people[7].ticket]
    other_site.close()


def test_a_commit_whose_answer_was_lost_is_stored_once(pg_site, monkeypatch):
    """The server committed the admission, then vanished before answering: the lane queues the same event, same id.

    The admission is written by the lane's scan path (issue 15), so that is where the answer is lost."""
    site, people = pg_site, pg_site.people
    lane = ResilientLane(site, "A", "甲")
    assert lane.check(people[0].ticket, session_id="S1").verdict == "admitted"
    real_engine, path = site.store.engine, lane.shared.scan_path
    real_insert = path.insert

    def answer_lost(conn, sealed, guard_slot):  # noqa: ANN001, ANN202
        real_insert(conn, sealed, guard_slot)
        site.store.engine = create_engine(REFUSING_URL, pool_pre_ping=True, connect_args={"connect_timeout": 2})
        raise ServerUnreachable("the shared store does not answer")

    monkeypatch.setattr(path, "insert", answer_lost)
    try:
        lost = lane.check(people[1].ticket, session_id="S1")
        assert (lost.verdict, lost.recorded, lost.offline) == ("admitted", True, True)
        assert lane.check(people[2].ticket, session_id="S1").offline
    finally:
        monkeypatch.setattr(path, "insert", real_insert)
        site.store.engine.dispose()
        site.store.engine = real_engine
    assert [row.id for row in shared_events(site, ticket=people[1].ticket)] == [lost.event_id]

    result = lane.try_upload()
    assert result.ok and (result.uploaded, result.already) == (1, 1)
    assert admitted_events_per_ticket(site, [people[1].ticket]) == Counter({people[1].ticket: 1})
    assert verify(site).ok


def test_a_lane_restarted_during_the_outage_uploads_what_it_queued(pg_site):
    site, people = pg_site, pg_site.people
    lane = ResilientLane(site, "A", "甲")
    lane.check(people[0].ticket, session_id="S1")
    with server_refusing(site):
        assert lane.check(people[1].ticket, session_id="S1").offline
        assert lane.check(people[2].ticket, session_id="S1").offline
    del lane  # the laptop was switched off before the upload

    restarted = ResilientLane(site, "A", "甲")
    assert restarted.online and restarted.pending == 0
    assert restarted.carried_over is not None and restarted.carried_over.uploaded == 2
    assert admitted_events_per_ticket(site, [p.ticket for p in people[:3]]) == Counter(dict.fromkeys([p.ticket for p in people[:3]], 1))
    assert restarted.check(people[3].ticket, session_id="S1").verdict == "admitted"
    assert verify(site).ok


def test_a_streaming_lane_keeps_its_copy_of_admissions_current(pg_site):
    """`check --stdin` refreshes this laptop's copy of admissions on a thread beside the scans (no scan waits for
    it): another lane's admission reaches the copy while the lane runs, so it would be a duplicate offline too."""
    import sqlite3

    site, people = pg_site, pg_site.people
    lane = LaneProcess(site.store.url, "A")
    try:
        lane.proc.stdin.write(f"{people[0].ticket}\n".encode())
        lane.proc.stdin.flush()
        wait_for(lambda: len(lane.lines) == 1)
        assert lane.lines[0]["verdict"] == "admitted"
        assert Lane(site, "B", "乙").check(people[1].ticket, session_id="S1").verdict == "admitted"

        def copied() -> set[str]:
            with sqlite3.connect(cache_path(site, "A")) as cache:
                return {row[0] for row in cache.execute("SELECT ticket FROM admissions")}

        wait_for(lambda: people[1].ticket in copied())
        lane.proc.stdin.write(f"{people[1].ticket}\n".encode())
        lane.proc.stdin.flush()
        wait_for(lambda: len(lane.lines) == 2)
        assert (lane.lines[1]["verdict"], lane.lines[1]["first_lane"]) == ("duplicate", "B")
    finally:
        assert "Traceback" not in lane.finish()


def test_two_offline_lanes_admitting_one_ticket_make_one_conflict(pg_site):
    site, people = pg_site, pg_site.people
    laptops = {name: Site.open(site.store.url, check=False) for name in ("A", "B")}
    lanes = {name: ResilientLane(laptops[name], name, f"staff-{name}") for name in laptops}
    shared = people[0].ticket
    for name, lane in lanes.items():
        with server_refusing(laptops[name]):
            assert lane.check(shared, session_id="S1").verdict == "admitted"
            own = people[1:6] if name == "A" else people[6:11]
            assert all(lane.check(p.ticket, session_id="S1").offline for p in own)
            assert not lane.online and lane.pending == 6
    queues = {name: lane.queued_events() for name, lane in lanes.items()}

    first, second = lanes["A"].try_upload(), lanes["B"].try_upload()
    assert first.ok and second.ok and first.conflicts == []
    assert [(c["ticket"], c["kept_lane"], c["conflicting_lane"]) for c in second.conflicts] == [(shared, "A", "B")]
    assert [flag["ticket"] for flag in review.conflicts(site, "S1")] == [shared]
    figures = session_figures(site, "S1")
    assert figures.present == 11 and figures.conflicts == 1
    assert admitted_events_per_ticket(site, [shared])[shared] == 2, "both admissions stay in the log"
    assert count(site, schema.admissions, schema.admissions.c.session_id == "S1") == 11
    assert verify(site).ok

    before = site.store.count_events()
    for name, events in queues.items():
        again = merge_events(site.store, events, merged_by=f"upload-{name}")
        assert (again.new, again.conflicts) == (0, [])
    assert all(lane.try_upload().uploaded == 0 for lane in lanes.values())
    assert site.store.count_events() == before and len(review.conflicts(site, "S1")) == 1
    for laptop in laptops.values():
        laptop.close()


# -- the gate screen: OFFLINE banner, then the upload notice ------------------------------


@run_async
async def test_gate_screen_shows_offline_banner_and_the_upload(pg_site):
    site, people = pg_site, pg_site.people
    at_local(site, "2021-10-16T08:10")
    other_site = Site.open(site.store.url, check=False)
    app = ExamopsApp(site, mode="gate", lane="A", staff="staff1", lang="en")
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        gate = next(s for s in app.screen_stack if isinstance(s, GateScreen))
        await until(pilot, lambda: gate.idle and gate.lane.local is not None)
        assert "OFFLINE" not in screen_text(app)
        elsewhere = Lane(other_site, "B", "s").check(people[5].ticket, session_id="S1")
        await until(pilot, lambda: elsewhere.event_id in gate.lane._mirrored)  # the watcher copied it to this laptop
        with server_refusing(site):
            for person in people[:2] + people[5:6]:
                gate.scan_input.insert_text_at_cursor(person.ticket)
                await pilot.press("enter")
                await until(pilot, lambda: gate.pending_scans == 0)
            await until(pilot, lambda: "3 pending" in screen_text(app))
            text = screen_text(app)
            assert "OFFLINE —" in text and "recorded on this laptop" in text and "离线" not in text
            assert gate.has_class("-offline") and gate.last_verdict.offline
            assert gate.last_verdict.verdict == "duplicate", "admitted at lane B before the outage"
        await until(pilot, lambda: not gate.has_class("-offline"))
        await until(pilot, lambda: "Back online: 3 record(s) uploaded" in [n.message for n in app._notifications])
        assert "OFFLINE" not in screen_text(app)
    assert admitted_events_per_ticket(site, [p.ticket for p in people[:2]]) == Counter({people[0].ticket: 1, people[1].ticket: 1})
    assert verify(site).ok
    other_site.close()


# -- the PostgreSQL server stopped in the middle of a lane's stream -----------------------


def _local_cluster() -> tuple[str, str]:
    """The (version, name) of the cluster EXAMOPS_TEST_PG_URL names, if this test may stop and start it."""
    if not PG_URL:
        pytest.skip("EXAMOPS_TEST_PG_URL not set: no PostgreSQL server for this run")
    url = make_url(PG_URL)
    if url.host not in ("127.0.0.1", "localhost"):
        pytest.skip(f"the test server {url.host} is not on this machine: it is not ours to stop")
    if shutil.which("pg_ctlcluster") is None or shutil.which("pg_lsclusters") is None:
        pytest.skip("no pg_ctlcluster here (Debian/Ubuntu postgresql-common): cannot stop and start the server")
    if os.geteuid() != 0:
        pytest.skip("stopping the PostgreSQL cluster needs root")
    port = str(url.port or 5432)
    for line in subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True).stdout.splitlines():
        version, name, cluster_port, status, *_ = line.split()
        if cluster_port == port and status == "online":
            return version, name
    pytest.skip(f"no online cluster on port {port} in pg_lsclusters")


def _accepting() -> bool:
    engine = create_engine(PG_URL, poolclass=NullPool, connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except DBAPIError:
        return False
    finally:
        engine.dispose()


def _start_cluster(version: str, name: str) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"], capture_output=True)
    wait_for(_accepting, timeout=PROCESS_TIMEOUT)


@pytest.fixture
def killable_pg_site():
    """A seeded site in its own schema, with an admin engine that survives the server's restart (no pooled connections)."""
    cluster = _local_cluster()
    url, schema_name = _pg_schema_url(PG_URL)
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema_name}"'))
    site = init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN)
    site.people = seed_roster(site, n_rooms=4)
    site.cluster = cluster
    yield site
    site.close()
    if not _accepting():
        _start_cluster(*cluster)
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema_name}" CASCADE'))


def ask(lane: LaneProcess, code: str) -> dict:
    """One scan, and its answer (the lane prints it only after the commit, local or shared)."""
    answered = len(lane.lines)
    lane.proc.stdin.write(f"{code}\n".encode())
    lane.proc.stdin.flush()
    wait_for(lambda: len(lane.lines) > answered)
    return lane.lines[answered]


@pytest.mark.slow
def test_server_stopped_mid_stream_loses_no_acknowledged_scan(killable_pg_site):
    site, people = killable_pg_site, killable_pg_site.people
    version, name = site.cluster
    url = site.store.url
    rng = random.Random(uuid.uuid4().int)
    tickets = [p.ticket for p in people]
    online_before = tickets[:15]
    streamed = tickets[15:60] + rng.sample(online_before, 5)  # re-scans of admissions from before the outage
    rng.shuffle(streamed)
    online_after = tickets[60:70] + tickets[15:20]

    lane = LaneProcess(url, "K")
    answers: list[dict] = []
    try:
        answers += [ask(lane, t) for t in online_before]
        assert all(a["verdict"] == "admitted" and "offline" not in a for a in answers)
        stream_answers: list[dict] = []

        def feed() -> None:
            for code in streamed:
                stream_answers.append(ask(lane, code))
                time.sleep(0.01)

        writer = threading.Thread(target=feed)
        writer.start()
        wait_for(lambda: len(stream_answers) >= 10)
        try:
            subprocess.run(["pg_ctlcluster", version, name, "stop", "-m", "immediate"], check=True, capture_output=True)
            writer.join(timeout=PROCESS_TIMEOUT)
            assert not writer.is_alive()
        finally:
            _start_cluster(version, name)
        answers += stream_answers
        assert len(stream_answers) == len(streamed)
        assert all(a["recorded"] for a in stream_answers), [a for a in stream_answers if not a["recorded"]]
        went_offline = [i for i, a in enumerate(stream_answers) if a.get("offline")]
        assert went_offline, "the lane never went offline"
        assert all(a.get("offline") for a in stream_answers[went_offline[0]:]), "offline until the server is back"
        for code, answer in zip(streamed, stream_answers):
            if code in online_before:
                assert answer["verdict"] == "duplicate", (code, answer)

        acknowledged = {a["event_id"] for a in answers}
        check = Site.open(url, check=False)
        try:
            def uploaded() -> bool:
                with check.store.read() as conn:
                    stored = {row[0] for row in conn.execute(select(schema.events.c.id).where(schema.events.c.id.in_(acknowledged)))}
                return stored == acknowledged
            wait_for(uploaded, timeout=PROCESS_TIMEOUT)  # nobody asked: the lane uploads by itself
            after = [ask(lane, t) for t in online_after]
            assert all("offline" not in a for a in after)
            assert [a["verdict"] for a in after] == ["admitted"] * 10 + ["duplicate"] * 5
            answers += after
            stderr = lane.finish()
            assert lane.proc.returncode == 0, stderr
            assert "Traceback" not in stderr and "OFFLINE" in stderr and "back online" in stderr, stderr

            acknowledged = [a["event_id"] for a in answers]
            with check.store.read() as conn:
                E = schema.events
                copies = Counter(row[0] for row in conn.execute(select(E.c.id).where(E.c.id.in_(acknowledged))))
                twice = conn.execute(select(E.c.id).group_by(E.c.id).having(func.count() > 1)).all()
            assert copies == Counter(dict.fromkeys(acknowledged, 1)), "every acknowledged scan is stored exactly once"
            assert twice == []
            admitted = sorted({a["ticket"] for a in answers if a["verdict"] == "admitted"})
            assert admitted_events_per_ticket(check, admitted) == Counter(dict.fromkeys(admitted, 1))
            assert count(check, schema.admissions) == len(admitted) == 70
            assert not shared_events(check, kind=Kind.CONFLICT)
        finally:
            check.close()
        rc, report = verify_rc(url)
        assert rc == 0, report
    finally:
        if lane.proc.poll() is None:
            lane.proc.kill()
            lane.finish()


@run_async
async def test_the_offline_banner_says_why_in_the_site_language(pg_site):
    """The reason under the banner was the store's English sentence on a Chinese gate ("the shared store does not answer")."""
    site, people = pg_site, pg_site.people
    at_local(site, "2021-10-16T08:10")
    app = ExamopsApp(site, mode="gate", lane="A", staff="staff1", lang="zh-CN")
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        gate = next(s for s in app.screen_stack if isinstance(s, GateScreen))
        await until(pilot, lambda: gate.idle and gate.lane.local is not None)
        with server_refusing(site):
            gate.scan_input.insert_text_at_cursor(people[0].ticket)
            await pilot.press("enter")
            await until(pilot, lambda: gate.has_class("-offline") and gate.pending_scans == 0)
            text = screen_text(app)
            assert "共享数据库无响应" in text, text
            assert "does not answer" not in text and "store" not in text, text
        await until(pilot, lambda: not gate.has_class("-offline"))
