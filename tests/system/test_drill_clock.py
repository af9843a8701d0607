"""One drill clock per store: processes started with the same EXAMOPS_CLOCK continue one running drill.

Two real `examops` processes a few seconds apart: the second one's alarm comes after the first one's
admission it refers to. Only ordering is asserted, never a duration.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from examops import sample
from tests.conftest import SAMPLE_PLAN, TEST_PIN

EXAMOPS = str(Path(sys.executable).parent / "examops")
DRILL = "2021-10-16T08:05"
PAUSE_S = 2  # a real gap between two processes, so that restarting at 08:05:00 would show


def _run(home: Path, *args: str, clock: str = DRILL, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "EXAMOPS_HOME": str(home), "EXAMOPS_PIN": TEST_PIN, "EXAMOPS_CLOCK": clock}
    done = subprocess.run([EXAMOPS, *args], input=stdin, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def home(tmp_path) -> tuple[Path, list]:
    home = tmp_path / "home"
    _run(home, "init", "--plan", str(SAMPLE_PLAN))
    people = sample.synthetic_people(60)
    _run(home, "roster", "import", str(sample.write_roster_xlsx(tmp_path / "roster.xlsx", people, rooms=2)))
    return home, people


def _at(verdict: dict) -> float:
    return _moment(verdict["at"])


def _moment(text: str) -> float:
    import datetime as dt

    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def test_a_later_process_continues_the_drill_so_the_alarm_follows_the_admission(home):
    home, people = home
    target = people[0].ticket
    # Lane A: some scans, then the target, all in one process that began at the drill's start.
    stream = "".join(p.ticket + "\n" for p in people[1:25]) + target + "\n"
    lane_a = [json.loads(line) for line in _run(home, "check", "--stdin", "--lane", "A", "--staff", "a", "--json",
                                                  stdin=stream).stdout.splitlines()]
    admitted = lane_a[-1]
    assert (admitted["ticket"], admitted["verdict"]) == (target, "admitted")
    time.sleep(PAUSE_S)
    # Lane B, a new process seconds later: the same ticket again, its first scan.
    duplicate = json.loads(_run(home, "check", target, "--lane", "B", "--staff", "b", "--json").stdout)
    assert duplicate["verdict"] == "duplicate" and duplicate["first_at"] == admitted["at"]
    assert _at(duplicate) > _at(admitted) > _at(lane_a[0])
    status = json.loads(_run(home, "status", "--json").stdout)
    assert status["drill"]["clock"] == DRILL
    assert _moment(status["now"]) >= int(_at(duplicate))  # status says the time to the second: not before that scan's
    with_offset = status["now"]
    assert with_offset.endswith("+08:00") and with_offset.startswith("2021-10-16T08:0")


def test_another_value_starts_a_new_drill_and_the_first_value_again_starts_afresh(home):
    home, people = home
    first = json.loads(_run(home, "check", people[0].ticket, "--lane", "A", "--staff", "a", "--json").stdout)
    later = json.loads(_run(home, "check", people[1].ticket, "--lane", "A", "--staff", "a", "--json",
                            clock="2021-10-16T08:20").stdout)
    assert first["verdict"] == later["verdict"] == "admitted"
    assert _at(later) > _at(first)
    assert later["at"].startswith("2021-10-16T00:20:0")  # 08:20 site time: the new drill began at its own value
    time.sleep(PAUSE_S)
    again = json.loads(_run(home, "check", people[2].ticket, "--lane", "A", "--staff", "a", "--json").stdout)
    assert _at(again) < _at(later)  # back at 08:05: a new drill, not the old one continued
    status = json.loads(_run(home, "status", "--json").stdout)
    assert status["drill"]["clock"] == DRILL and status["now"] < "2021-10-16T08:20"


def test_the_lane_screen_and_a_script_share_the_drill(home, monkeypatch):
    """The gate screen's Site, open and ticking, admits; a script started later sees its own alarm come after."""
    from examops.services.gate import Lane
    from examops.services.site import Site

    home, people = home
    monkeypatch.setenv("EXAMOPS_HOME", str(home))
    monkeypatch.setenv("EXAMOPS_CLOCK", DRILL)
    site = Site.open()  # as `examops gate` opens it
    try:
        time.sleep(2 * PAUSE_S)  # the screen's clock runs on
        admitted = Lane(site, "screen", "s").check(people[0].ticket, session_id="S1")
    finally:
        site.close()
    duplicate = json.loads(_run(home, "check", people[0].ticket, "--lane", "B", "--staff", "b", "--json").stdout)
    assert admitted.verdict == "admitted" and duplicate["verdict"] == "duplicate"
    assert _at(duplicate) > _moment(admitted.at)
