"""The first candidate at the gate waits no longer than the next (issue 15, the tail of scan → card): nothing the
scan path or its card needs is imported or loaded inside the first scan, and the gate paints at a frame rate whose
wait does not dominate a scan.

Run in a fresh interpreter: in the test process an earlier test has imported everything already."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from examops.services.site import init_site
from tests.conftest import SAMPLE_PLAN, TEST_PIN, seed_roster

ROOT = Path(__file__).resolve().parents[2]

FIRST_SCAN = textwrap.dedent("""
    import asyncio, json, sys
    from examops.services.site import Site
    from examops.tui.app import ExamopsApp
    from tests.support.tui import screen_text, until

    site = Site.open(sys.argv[1])
    tickets = sys.argv[2:]

    async def main():
        app = ExamopsApp(site, mode="gate", lane="A", staff="s1", lang="zh-CN")
        app.animation_level = "none"
        imported = []
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: getattr(app.screen, "_ready", False))
            await pilot.pause(0.3)  # the lane's start-up work after ready (its figures, its head start)
            for ticket in tickets:
                before = set(sys.modules)
                await pilot.press(*ticket, "enter")
                await until(pilot, lambda: ticket in screen_text(app))
                imported.append(sorted(set(sys.modules) - before))
        print(json.dumps(imported))

    asyncio.run(main())
""")


def test_the_first_scan_imports_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    site = init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN)  # made here: the gate's process opens a store it did not make
    people = seed_roster(site)
    site.close()
    tickets = [people[0].ticket, people[1].ticket]
    out = subprocess.run([sys.executable, "-c", FIRST_SCAN, url, *tickets], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert out.returncode == 0, out.stderr
    first, second = json.loads(out.stdout.splitlines()[-1])
    assert first == [] and second == []  # e.g. the signing code, `_strptime` or the figures' fold, loaded by the card


def test_the_gate_paints_at_240_frames_a_second_unless_told():
    probe = "import examops.cli.gate; from examops.tui.app import ExamopsApp; import textual.constants as c; print(c.MAX_FPS)"
    env = {key: value for key, value in os.environ.items() if key != "TEXTUAL_FPS"}
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env).stdout.strip() == "240"
    told = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env={**env, "TEXTUAL_FPS": "30"})
    assert told.stdout.strip() == "30"
