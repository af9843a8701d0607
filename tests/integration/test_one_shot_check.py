"""A one-shot `examops check CODE` on SQLite (services.one_shot): a plain admission or a duplicate recorded on SQLite's
own connection, as the full lane records it (the same verdict, a signed event sealed on the device's chain, the guard
row, the witness file), before it answers; every other scan, and a damaged store, go to the full lane untouched."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import select

from examops import locations
from examops.adapters import signing
from examops.adapters.store import schema
from examops.adapters.witness import read_heads
from examops.domain.events import signing_message
from examops.services.offline import ResilientLane
from examops.services.one_shot import check_once
from examops.services.site import Site, init_site
from tests.conftest import MORNING, SAMPLE_PLAN, TEST_PIN, seed_roster

RUN_CLI = ("import sys\nfrom examops.cli import main\ntry:\n    main()\n"
           "finally:\n    print('SQLALCHEMY', 'sqlalchemy' in sys.modules, file=sys.stderr)")


@pytest.fixture
def twin_stores(tmp_path, monkeypatch):
    """Two copies of one seeded store, on a frozen clock: what one lane writes into each can be compared."""
    monkeypatch.setenv("EXAMOPS_CLOCK", MORNING + "!")
    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    site = init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN)
    people = seed_roster(site)
    site.close()
    shutil.copy(tmp_path / "a.sqlite3", tmp_path / "b.sqlite3")
    return url, f"sqlite:///{tmp_path / 'b.sqlite3'}", people


def _events(url: str) -> list:
    site = Site.open(url)
    try:
        with site.store.read() as conn:
            return conn.execute(select(schema.events).order_by(schema.events.c.pos)).all()
    finally:
        site.close()


def _guards(url: str) -> set:
    site = Site.open(url)
    try:
        with site.store.read() as conn:
            return {row.event_id for row in conn.execute(select(schema.admissions))}
    finally:
        site.close()


def _full_lane(url: str, ticket: str):  # noqa: ANN202
    site = Site.open(url)
    try:
        return ResilientLane(site, "A", "s").check(ticket, session_id="S1")
    finally:
        site.close()


def _one_shot(url: str, ticket: str):  # noqa: ANN202
    answered = check_once(url, ticket, lane="A", staff="s", device=None, session_id="S1", outcome=None, evidence={})
    assert answered is not None
    return answered[1]


def _same(one, full, ids: dict) -> None:  # noqa: ANN001
    """The verdicts agree but for the events' ids (`ids` maps the one-shot's to the full lane's)."""
    as_json = json.dumps(one.to_json(), sort_keys=True)
    for mine, theirs in ids.items():
        as_json = as_json.replace(mine, theirs)
    assert json.loads(as_json) == full.to_json()


def test_an_admission_and_a_duplicate_are_recorded_as_the_full_lane_records_them(twin_stores):
    one_url, full_url, people = twin_stores
    ticket = people[0].ticket
    admitted, full_admitted = _one_shot(one_url, ticket), _full_lane(full_url, ticket)
    assert admitted.verdict == "admitted" and admitted.recorded
    _same(admitted, full_admitted, {admitted.event_id: full_admitted.event_id})
    duplicate, full_duplicate = _one_shot(one_url, ticket), _full_lane(full_url, ticket)
    assert duplicate.verdict == "duplicate" and duplicate.recorded
    _same(duplicate, full_duplicate, {admitted.event_id: full_admitted.event_id, duplicate.event_id: full_duplicate.event_id})

    mine, theirs = _events(one_url)[-2:], _events(full_url)[-2:]
    for row, full_row in zip(mine, theirs):
        kept = ("kind", "at", "device", "device_seq", "session_id", "ticket", "lane", "staff", "signer")
        assert {k: getattr(row, k) for k in kept} == {k: getattr(full_row, k) for k in kept}
        payload = row.payload.replace(admitted.event_id, full_admitted.event_id)
        assert json.loads(payload) == json.loads(full_row.payload)
        assert signing.verify(row.signer, signing_message(row.hash), row.signature)
    assert mine[0].prev_hash == theirs[0].prev_hash  # sealed on the same head
    assert mine[1].prev_hash == mine[0].hash and mine[1].device_seq == mine[0].device_seq + 1
    assert admitted.event_id in _guards(one_url) and duplicate.event_id not in _guards(one_url)
    site = Site.open(one_url)
    heads, trouble = read_heads(locations.witness_path(site.store_id))
    site.close()
    assert trouble is None and heads[mine[1].device] == (mine[1].device_seq, mine[1].hash)


@pytest.mark.parametrize(("scan", "outcome"), [("unknown", None), ("ticket", "fever"), ("id_number", None),
                                               ("invalid", None)])
def test_every_other_scan_goes_to_the_full_lane_with_nothing_written(twin_stores, scan, outcome):
    url, _other, people = twin_stores
    code = {"unknown": "999999999999", "ticket": people[1].ticket, "id_number": people[1].id_number,
            "invalid": "\x00?"}[scan]
    before = len(_events(url))
    assert check_once(url, code, lane="A", staff="s", device=None, session_id="S1", outcome=outcome, evidence={}) is None
    assert len(_events(url)) == before


def test_a_store_missing_a_migration_goes_to_the_full_lane(twin_stores):
    url, _other, people = twin_stores
    site = Site.open(url)
    with site.store.write() as conn:
        conn.execute(schema.schema_migrations.delete().where(schema.schema_migrations.c.name == "0006_site_secrets"))
    site.close()
    assert check_once(url, people[2].ticket, lane="A", staff="s", device=None, session_id="S1", outcome=None,
                      evidence={}) is None


def test_the_one_shot_process_never_imports_sqlalchemy_and_says_what_the_lane_says(tmp_path):
    """The CLI's JSON and human lines of a one-shot admission, in a process of its own, without SQLAlchemy."""
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    site = init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN)
    people = seed_roster(site)
    site.close()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", RUN_CLI, "--db", url, "check", *args, "--lane", "A", "--staff", "s",
                               "--session", "S1"], capture_output=True, text=True, env=os.environ.copy(), timeout=60)

    done = run(people[0].ticket, "--json")
    assert done.returncode == 0 and "SQLALCHEMY False" in done.stderr, done.stdout + done.stderr
    assert json.loads(done.stdout)["verdict"] == "admitted"
    human = run(people[0].ticket)
    assert human.returncode == 0 and "SQLALCHEMY False" in human.stderr, human.stdout + human.stderr
    assert human.stdout.startswith("S1 DUPLICATE") and "first at" in human.stdout
    unknown = run("999999999999", "--json")  # the full lane answers it
    assert unknown.returncode == 0 and "SQLALCHEMY True" in unknown.stderr
    assert json.loads(unknown.stdout)["verdict"] == "unknown"


def test_a_store_locked_past_the_busy_timeout_is_not_recorded_at_once_in_the_sites_words(tmp_path):
    """Another process holds the write lock: the one-shot says NOT RECORDED (exit 3, nothing written) itself, in the
    site's language, without going on to the full lane (which would wait the whole busy timeout again)."""
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    site = init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN)
    people = seed_roster(site)
    site.close()
    before = len(_events(url))
    holder = sqlite3.connect(tmp_path / "s.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        done = subprocess.run([sys.executable, "-c", RUN_CLI, "--lang", "zh-CN", "--db", url, "check", people[0].ticket,
                               "--lane", "A", "--staff", "s", "--session", "S1"],
                              capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 3, done.stdout + done.stderr
    assert "SQLALCHEMY False" in done.stderr  # answered by the one-shot: the full lane never started
    assert "未记录" in done.stdout and "其他进程" in done.stdout and people[0].ticket in done.stdout, done.stdout
    assert len(_events(url)) == before
