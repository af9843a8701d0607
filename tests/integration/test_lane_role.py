"""On PostgreSQL the lanes connect as their own role: it adds events and reads the roster, and nothing more.

Each test works in its own schema (the `pg_url` fixture) and its own role name, dropped afterwards, so
parallel runs do not meet. Without EXAMOPS_TEST_PG_URL the tests are skipped.
"""

from __future__ import annotations

import json
import uuid

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from examops.cli import main
from examops.services.audit import verify
from examops.services.gate import Lane
from examops.services.site import PinLocked, Site
from tests.conftest import PG_URL, SAMPLE_PLAN, TEST_PIN, at_local, seed_roster


@pytest.fixture
def role_name():
    if not PG_URL:
        pytest.skip("EXAMOPS_TEST_PG_URL not set: no PostgreSQL server for this run")
    name = "t_lane_" + uuid.uuid4().hex[:12]
    yield name
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": name}).scalar():
            conn.execute(text(f'DROP OWNED BY "{name}"'))
            conn.execute(text(f'DROP ROLE "{name}"'))
    admin.dispose()


@pytest.fixture
def lane_site(pg_url, role_name, tmp_path):
    """`examops init` on PostgreSQL with a lane role; then a seeded roster; yields (owner site, lane URL, init output)."""
    done = CliRunner().invoke(main, ["--db", pg_url, "init", "--plan", str(SAMPLE_PLAN), "--lane-role", role_name, "--json"],
                              env={"EXAMOPS_PIN": TEST_PIN}, catch_exceptions=False)
    assert done.exit_code == 0, done.output
    info = json.loads(done.stdout)["lane_role"]
    assert info["created"] and info["granted"] and info["role"] == role_name
    site = Site.open(pg_url)
    site.people = seed_roster(site, n_rooms=1)
    password = open(info["password_file"], encoding="utf-8").read().strip().rsplit(":", 1)[1]
    lane_url = info["url"].replace(f"{role_name}@", f"{role_name}:{password}@")
    yield site, lane_url, info
    site.close()


def _refused(engine, sql: str) -> str:
    with engine.connect() as conn:
        with pytest.raises(DBAPIError) as caught:
            conn.execute(text(sql))
        conn.rollback()
    return str(caught.value.orig)


def test_the_lane_role_records_scans_but_cannot_change_the_log_or_read_secrets(lane_site):
    owner, lane_url, _ = lane_site
    lane_site_ = Site.open(lane_url)
    try:
        at_local(lane_site_, "2021-10-16T08:10")
        lane = Lane(lane_site_, "A", "甲")
        assert lane.check(owner.people[0].ticket, session_id="S1").recorded
        assert lane.check(owner.people[0].ticket, session_id="S1").verdict == "duplicate"
        assert lane_site_.check_pin(TEST_PIN) and not lane_site_.check_pin("8513")  # through the owner's function
        assert verify(lane_site_).ok, verify(lane_site_).problems
    finally:
        lane_site_.close()
    engine = create_engine(lane_url)
    try:
        assert "permission denied" in _refused(engine, "UPDATE events SET staff = 'x'")
        assert "permission denied" in _refused(engine, "DELETE FROM events")
        assert "permission denied" in _refused(engine, "TRUNCATE events")
        assert "permission denied" in _refused(engine, "DELETE FROM admissions")
        assert "permission denied" in _refused(engine, "SELECT * FROM site_secrets")
        assert "permission denied" in _refused(engine, "UPDATE candidates SET name = '替身'")
        assert "permission denied" in _refused(engine, "DELETE FROM photos")
        assert "permission denied" in _refused(engine, "UPDATE settings SET value = 'x'")
        assert "permission denied" in _refused(engine, "INSERT INTO settings (key, value) VALUES ('site_public_key', 'x')")
        with engine.connect() as conn:
            readable = " ".join(v for (v,) in conn.execute(text("SELECT value FROM settings")))
            assert conn.execute(text("SELECT count(*) FROM candidates")).scalar() == 30  # the roster, to check tickets
        assert "PRIVATE KEY" not in readable and "scrypt$" not in readable  # no key material, no PIN hash
    finally:
        engine.dispose()
    assert verify(owner).ok, verify(owner).problems  # at the desk the PIN hash is checked too


def test_the_lane_role_cannot_out_guess_the_back_off(lane_site):
    """Calling the PIN function directly, as a lane login could, meets the same back-off as the chief's own tries."""
    owner, lane_url, _ = lane_site
    engine = create_engine(lane_url)
    try:
        with engine.connect() as conn:
            answers = [conn.execute(text("SELECT examops_pin_try('AAAA')")).scalar() for _ in range(6)]
            conn.commit()
    finally:
        engine.dispose()
    assert answers[:5] == [f"wrong:{n}:0" for n in range(1, 6)] and answers[5].startswith("wait:5:")
    with pytest.raises(PinLocked):
        owner.check_pin(TEST_PIN)


def test_the_lane_role_cannot_run_init(lane_site):
    _, lane_url, _ = lane_site
    done = CliRunner().invoke(main, ["--db", lane_url, "init", "--plan", str(SAMPLE_PLAN)], env={"EXAMOPS_PIN": TEST_PIN})
    assert done.exit_code == 2 and "the lanes' own" in done.output, done.output


def test_init_again_keeps_the_role_and_its_password(lane_site, pg_url, role_name):
    _, lane_url, _ = lane_site
    again = CliRunner().invoke(main, ["--db", pg_url, "init", "--plan", str(SAMPLE_PLAN), "--lane-role", role_name],
                               env={"EXAMOPS_PIN": TEST_PIN}, catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert f"lanes connect as {role_name}, granted (it existed" in again.output
    engine = create_engine(lane_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM events")).scalar() > 0
    finally:
        engine.dispose()


def test_a_login_that_may_not_create_roles_is_told_what_to_ask_for(pg_url, tmp_path):
    owner_role = "t_owner_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    schema = pg_url.rsplit("search_path%3D", 1)[1]
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{owner_role}" LOGIN NOCREATEROLE PASSWORD \'pw\''))
        conn.execute(text(f'GRANT ALL ON SCHEMA "{schema}" TO "{owner_role}"'))
    try:
        url = pg_url.replace("postgres@", f"{owner_role}:pw@", 1)
        done = CliRunner().invoke(main, ["--db", url, "init", "--plan", str(SAMPLE_PLAN), "--lane-role", owner_role + "_lane"],
                                  env={"EXAMOPS_PIN": TEST_PIN}, catch_exceptions=False)
        assert done.exit_code == 0, done.output
        assert "may not create it" in done.output and f'CREATE ROLE "{owner_role}_lane" LOGIN' in done.output
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))  # the fixture drops it again
            conn.execute(text(f'DROP OWNED BY "{owner_role}"'))
            conn.execute(text(f'DROP ROLE "{owner_role}"'))
        admin.dispose()


def test_the_lane_role_scans_in_two_round_trips_with_no_new_right(lane_site):
    """The PostgreSQL scan path (one look-up, one INSERT … RETURNING statement) needs only the role's
    SELECT and INSERT on events and admissions: it admits and answers duplicates in two round trips each."""
    from sqlalchemy import func, select

    from examops.adapters.store import schema
    from tests.support.pg_wire import WireCounter

    owner, lane_url, _ = lane_site
    relay, through = WireCounter.for_url(lane_url)
    lane_site_ = Site.open(through, check=False)
    try:
        at_local(lane_site_, "2021-10-16T08:10")
        lane, other = Lane(lane_site_, "A", "甲"), Lane(lane_site_, "B", "乙")
        tickets = [p.ticket for p in owner.people[:16]]
        assert {lane.check(t, session_id="S1").verdict for t in tickets[:6]} == {"admitted"}
        assert {other.check(t, session_id="S1").verdict for t in tickets[:6]} == {"duplicate"}
        mark = relay.mark()
        admitted = [lane.check(t, session_id="S1") for t in tickets[6:]]
        duplicates = [other.check(t, session_id="S1") for t in tickets[6:]]
        per_scan = len(relay.since(mark)) / (len(admitted) + len(duplicates))
        assert {(v.verdict, v.recorded) for v in admitted} == {("admitted", True)}
        assert {(v.verdict, v.recorded, v.first_lane) for v in duplicates} == {("duplicate", True, "A")}
        assert per_scan <= 2, f"{per_scan} round trips per scan"
        with lane_site_.store.read() as conn:
            assert conn.execute(select(func.count()).select_from(schema.admissions)).scalar() == 16
    finally:
        lane_site_.close()
        relay.close()
    assert verify(owner).ok, verify(owner).problems
    engine = create_engine(lane_url)
    try:  # still append-only for the role
        assert "permission denied" in _refused(engine, "UPDATE events SET staff = 'x'")
        assert "permission denied" in _refused(engine, "DELETE FROM admissions")
    finally:
        engine.dispose()
