"""`examops demo` keeps an EXAMOPS_CLOCK the user set: rehearsing the late-entry cutoff or the day before ran at 08:05."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

DEMO = textwrap.dedent("""
    import json
    from examops.services.demo import prepare_demo
    from examops.services.gate import Lane

    site, info = prepare_demo()
    verdict = Lane(site, "A", "demo").check("21150054251571", session_id=site.plan.sessions[0].id)
    print(json.dumps({"clock": info["clock"], "verdict": verdict.verdict, "recorded": verdict.recorded}), flush=True)
""")


def _demo(tmp_path: Path, clock: str | None) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXAMOPS_")}
    env["TMPDIR"] = str(tmp_path)
    if clock is not None:
        env["EXAMOPS_CLOCK"] = clock
    done = subprocess.run([sys.executable, "-c", DEMO], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_demo_runs_on_the_clock_the_user_set(tmp_path):
    after_cutoff = _demo(tmp_path, "2021-10-16T09:05")
    assert after_cutoff == {"clock": "2021-10-16T09:05", "verdict": "denied", "recorded": True}  # too late: refused
    day_before = _demo(tmp_path, "2021-10-15T10:00")
    assert (day_before["clock"], day_before["verdict"]) == ("2021-10-15T10:00", "outside_window")


def test_without_a_clock_the_demo_starts_25_minutes_before_the_first_paper(tmp_path):
    assert _demo(tmp_path, None) == {"clock": "2021-10-16T08:05", "verdict": "admitted", "recorded": True}
