"""三零 only for a paper that has been sat: a report made before a session's end cannot call it 零事故、零失误、零差错.

Found by printing `report --all` at 08:40: the afternoon paper (S2, 14:00), with nobody through the gate yet,
read "零事故、零失误、零差错: 是" on the bureau's summary page.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from examops.services.figures import session_figures
from examops.services.gate import Lane
from examops.services.incidents import close_session
from tests.conftest import TEST_PIN, at_local


def test_a_session_not_yet_held_is_not_zero_incident(seeded_site):
    at_local(seeded_site, "2021-10-16T08:40")
    s2 = session_figures(seeded_site, "S2")
    assert not s2.zero_incident
    assert [r.code for r in s2.reasons] == ["not_over"]


def test_a_session_in_progress_is_not_zero_incident_until_it_ends(seeded_site):
    at_local(seeded_site, "2021-10-16T08:10")
    lane = Lane(seeded_site, "A", "甲")
    assert all(lane.check(p.ticket, session_id="S1").recorded for p in seeded_site.people[:5])
    at_local(seeded_site, "2021-10-16T11:29")
    assert [r.code for r in session_figures(seeded_site, "S1").reasons] == ["not_over"]
    at_local(seeded_site, "2021-10-16T11:30")
    assert session_figures(seeded_site, "S1").zero_incident


def test_the_chiefs_close_ends_the_session_for_the_verdict(seeded_site):
    at_local(seeded_site, "2021-10-16T10:30")
    close_session(seeded_site, session="S1", by="王总监", pin=TEST_PIN, reason="all papers collected")
    assert session_figures(seeded_site, "S1").zero_incident


def test_the_report_at_0840_says_the_afternoon_is_not_over(seeded_site, tmp_path):
    env = {**os.environ, "EXAMOPS_CLOCK": "2021-10-16T08:40", "EXAMOPS_PIN": TEST_PIN, "EXAMOPS_LANG": "zh-CN"}
    command = [sys.executable, "-m", "examops", "--db", seeded_site.store.url, "report", "--all"]
    done = subprocess.run([*command, "--out", str(tmp_path / "r.xlsx"), "--json"], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    sessions = {s["session"]: s for s in json.loads(done.stdout)["sessions"]}
    assert sessions["S2"]["zero_incident"] is False
    assert sessions["S2"]["reasons"] == ["the session had not ended when these figures were made"]
    done = subprocess.run([*command, "--out", str(tmp_path / "r2.xlsx")], capture_output=True, text=True, env=env, timeout=300)
    s2 = [line for line in done.stdout.splitlines() if line.startswith("S2")]
    assert s2 and ("尚未结束" in s2[0] or "not ended" in s2[0]), done.stdout
