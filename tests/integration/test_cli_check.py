"""`examops check`: one scan or a stream of scans from a script, as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from examops.adapters.store import schema
from examops.domain import idnumber
from examops.services.site import Site
from tests.conftest import SAMPLE_PLAN, TEST_PIN, seed_roster

EXAMOPS = Path(sys.executable).parent / "examops"
CARD_KEYS = {"verdict", "recorded", "ticket", "name", "room", "seat", "session", "event_id", "id_number", "at", "reason"}


@pytest.fixture
def cli_store(tmp_path):
    """A store made by `examops init`, seeded with 4 rooms × 30 synthetic candidates."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    done = subprocess.run([str(EXAMOPS), "--db", url, "init", "--plan", str(SAMPLE_PLAN), ], env={**os.environ, "EXAMOPS_PIN": TEST_PIN},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    site = Site.open(url)
    site.people = seed_roster(site)
    site.url = url
    yield site
    site.close()


def examops(site, *args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXAMOPS), "--db", site.url, *args], input=stdin, capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})})


def check(site, *args: str, lane: str = "A", env: dict | None = None) -> subprocess.CompletedProcess:
    return examops(site, "check", *args, "--lane", lane, "--staff", f"staff-{lane}", "--json", env=env)


def event_count(site) -> int:
    with site.store.read() as conn:
        return conn.execute(select(func.count()).select_from(schema.events)).scalar_one()


def test_check_one_code_prints_the_card_with_the_id_masked(cli_store):
    person = cli_store.people[0]
    done = check(cli_store, person.ticket)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert CARD_KEYS <= out.keys()
    assert (out["verdict"], out["recorded"], out["ticket"], out["name"]) == ("admitted", True, person.ticket, person.name)
    assert (out["room"], out["seat"], out["session"]) == ("001", 1, "S1")
    assert out["id_number"] == idnumber.mask(person.id_number) != person.id_number
    assert person.id_number not in done.stdout
    with cli_store.store.read() as conn:
        guarded = conn.execute(select(schema.admissions.c.event_id)).scalars().all()
    assert guarded == [out["event_id"]]


def test_second_check_is_a_duplicate_naming_the_first_lane(cli_store):
    person = cli_store.people[4]
    first = json.loads(check(cli_store, person.ticket, lane="A").stdout)
    done = check(cli_store, person.id_number, lane="B")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["verdict"] == "duplicate" and out["recorded"] and out["event_id"]
    assert (out["first_lane"], out["first_at"], out["first_staff"]) == ("A", first["at"], "staff-A")
    assert out["id_number"] == idnumber.mask(person.id_number)


def test_fever_on_the_re_test_goes_to_the_isolation_room(cli_store):
    person = cli_store.people[5]
    done = check(cli_store, person.ticket, "--outcome", "fever", "--field", "temp1=38.2", "--field", "temp2=38.0")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["verdict"], out["code"], out["action"], out["recorded"]) == ("exception", "fever", "isolation_room", True)
    assert out["evidence"] == {"temp1": "38.2", "temp2": "38.0"}
    standing = json.loads(check(cli_store, person.ticket).stdout)  # a plain re-scan does not admit them
    assert (standing["verdict"], standing["event_id"]) == ("exception", out["event_id"])


@pytest.mark.parametrize("args, message", [
    (("--outcome", "nonsense"), "unknown outcome 'nonsense'"),
    (("--session", "S9"), "no session 'S9'"),
    (("--field", "temp1"), "write KEY=VALUE"),
])
def test_bad_options_are_a_clear_error_with_exit_2(cli_store, args, message):
    before = event_count(cli_store)
    done = check(cli_store, cli_store.people[6].ticket, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("examops: ") and message in done.stderr
    assert "Traceback" not in done.stderr
    assert event_count(cli_store) == before


def test_outcome_nonsense_lists_the_sites_codes(cli_store):
    done = check(cli_store, cli_store.people[6].ticket, "--outcome", "nonsense")
    assert "fever" in done.stderr and "no_test_cert" in done.stderr


def test_check_needs_exactly_one_code_or_stdin(cli_store):
    assert examops(cli_store, "check", "--lane", "A", "--staff", "s").returncode == 2
    both = examops(cli_store, "check", cli_store.people[0].ticket, "--stdin", "--lane", "A", "--staff", "s")
    assert both.returncode == 2 and "give one CODE, or --stdin" in both.stderr


def test_stdin_lines_carry_outcome_and_evidence(cli_store):
    p = cli_store.people
    lines = [
        p[0].ticket,
        f"{p[1].ticket}\tfever\ttemp1=38.2\ttemp2=38.0",
        f"{p[2].ticket}\tfever\ttemp1=38.5",
        f"{p[3].ticket}\tno_test_cert\tsampled_at=2021-10-15 09:30",
        f"{p[4].ticket}\tno_test_cert\tsampled_at=2021-10-13 09:30",
        f"{p[5].ticket}\tadmit",
        f"{p[0].ticket}",
        f"{p[6].ticket}\tnonsense",
    ]
    done = examops(cli_store, "check", "--stdin", "--lane", "A", "--staff", "s", "--json", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(lines)
    assert [(o["verdict"], o.get("code"), o.get("action")) for o in out] == [
        ("admitted", None, None),
        ("exception", "fever", "isolation_room"),
        ("exception", "fever", "hold"),  # one reading only: rest, then re-test
        ("admitted", "no_test_cert", "admit"),  # sampled within 48 h of the 08:30 start
        ("exception", "no_test_cert", "backup_room"),
        ("admitted", None, None),
        ("duplicate", None, None),
        ("invalid", None, None),
    ]
    assert out[1]["evidence"] == {"temp1": "38.2", "temp2": "38.0"}
    assert out[3]["evidence"] == {"sampled_at": "2021-10-15 09:30"}
    assert all(o["session"] == "S1" for o in out)
    assert [o["ticket"] for o in out[:7]] == [p[0].ticket, p[1].ticket, p[2].ticket, p[3].ticket, p[4].ticket,
                                               p[5].ticket, p[0].ticket]
    assert "unknown outcome code 'nonsense'" in out[7]["reason"] and not out[7]["recorded"]


@pytest.mark.parametrize("clock, session", [("2021-10-16T08:10", "S1"), ("2021-10-16T13:40", "S2")])
def test_session_defaults_to_the_current_one_by_the_plan_clock(cli_store, clock, session):
    done = check(cli_store, cli_store.people[7].ticket, env={"EXAMOPS_CLOCK": clock})
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["verdict"], out["session"]) == ("admitted", session)


def test_after_entry_closes_a_clean_scan_is_denied_late(cli_store):
    done = check(cli_store, cli_store.people[8].ticket, env={"EXAMOPS_CLOCK": "2021-10-16T09:01"})
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["verdict"], out["code"], out["session"]) == ("denied", "late", "S1")


def test_unknown_ticket_suggests_near_matches_masked(cli_store):
    person = next(p for p in cli_store.people if p.ticket[-1] != p.ticket[-2])
    typo = person.ticket[:-2] + person.ticket[-1] + person.ticket[-2]  # last two digits swapped
    done = check(cli_store, typo)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["verdict"] == "unknown" and out["recorded"]
    suggestion = next(s for s in out["suggestions"] if s["ticket"] == person.ticket)
    assert suggestion["id_number"] == idnumber.mask(person.id_number)


def test_a_one_shot_check_into_a_damaged_store_records_nothing(cli_store, tmp_path):
    """The CLI begins the quick check before its heavy imports (examops.adapters.quick_check): the scan still waits for
    it, and a store it finds damaged is refused (exit 3, nothing written), though the scan's own pages read fine."""
    path = Path(cli_store.url.removeprefix("sqlite:///"))
    with cli_store.store.write() as conn:  # a table the scan never reads, written last: its pages end the file
        conn.exec_driver_sql("CREATE TABLE filler (n INTEGER PRIMARY KEY, v TEXT)")
        conn.exec_driver_sql("INSERT INTO filler (v) SELECT printf('%.200c', 'x') FROM seats LIMIT 3000")
        conn.exec_driver_sql("INSERT INTO filler (v) SELECT v FROM filler")
    with cli_store.store.read() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.exec_driver_sql("PRAGMA page_size").scalar()
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    before = event_count(cli_store)
    cli_store.store.engine.dispose()
    data = bytearray(path.read_bytes())
    inside = (pages * 3 // 4) * page_size
    data[inside + 8:inside + 208] = b"\xff" * 200
    path.write_bytes(bytes(data))
    done = check(cli_store, cli_store.people[0].ticket, "--session", "S1")
    assert done.returncode == 3, done.stdout + done.stderr
    assert json.loads(done.stdout)["recorded"] is False and "damaged" in done.stdout
    assert event_count(cli_store) == before
