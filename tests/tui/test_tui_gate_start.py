"""What a lane's start loads: only what its first frame needs (issue 15); the other screens load theirs when opened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLE_PLAN, TEST_PIN, at_local
from tests.support.tui import run_async, until
from tests.tui.test_tui_gate import make_app, settle

LATER = ("examops.tui.screens.review", "examops.tui.screens.report", "examops.tui.screens.roster",
         "examops.tui.widgets.exception_form", "examops.tui.widgets.exit_form", "examops.tui.widgets.search",
         "examops.tui.widgets.pin_modal", "examops.tui.widgets.review_forms", "examops.tui.widgets.roster_import",
         "examops.domain.figures", "openpyxl", "pandas", "PIL", "numpy", "qrcode", "reportlab")
"""Modules the gate's first frame does without: other screens, the F-key forms, Ctrl+F, the report's figures."""

# The gate command's own steps (cli/gate.py), on Textual's headless driver: first frame, then what was loaded.
START = """
import asyncio, gc, json, sys
from examops.cli.gate import _photo_terminal
from examops.services.bulk_work import pause_collection_for_start
pause_collection_for_start()
from examops.services.site import Site
site = Site.open(sys.argv[1], check_meanwhile=True)
from examops.tui.app import ExamopsApp

async def main():
    app = ExamopsApp(site, mode="gate", lane="A", staff="s", lang="zh-CN", photo_terminal=_photo_terminal(site))
    async with app.run_test(size=(120, 40)) as pilot:
        while type(app.screen).__name__ != "GateScreen":
            await pilot.pause(0.01)
        paused_at_start = not gc.isenabled()
        await pilot.pause(0.3)
        css = sorted(path.rsplit("/", 1)[-1] for path, _ in app.stylesheet.source if path.endswith(".tcss"))
        print(json.dumps({"modules": sorted(sys.modules), "css": css, "paused_at_start": paused_at_start,
                          "collector_on": gc.isenabled(), "frozen": gc.get_freeze_count()}))

asyncio.run(main())
"""


def test_the_gate_starts_without_the_other_screens_forms_or_their_css(tmp_path):
    from examops.services.site import init_site

    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN).close()
    env = {**os.environ, "EXAMOPS_HOME": str(tmp_path), "EXAMOPS_CLOCK": "2021-10-16T08:10"}
    out = subprocess.run([sys.executable, "-c", START, url], capture_output=True, text=True, check=True, cwd=ROOT,
                         env=env).stdout
    started = json.loads(out.strip().splitlines()[-1])
    assert "examops.tui.screens.gate" in started["modules"]
    assert not set(LATER) & set(started["modules"])
    assert started["css"] == ["app.tcss", "gate.tcss"]
    # the collector waited for the first frame and is back on after it, start-up's objects frozen
    assert started["paused_at_start"] and started["collector_on"] and started["frozen"] > 0


@run_async
async def test_each_screen_brings_its_css_when_a_key_opens_it(seeded_site):
    at_local(seeded_site, "2021-10-16T08:10")
    app = make_app(seeded_site, lang="zh-CN")

    def css() -> set[str]:
        return {Path(path).name for path, _ in app.stylesheet.source if path.endswith(".tcss")}

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert css() == {"app.tcss", "gate.tcss"}
        await pilot.press("f11")
        await until(pilot, lambda: type(app.screen).__name__ == "RosterScreen")
        assert "roster.tcss" in css()
        await pilot.press("escape")
        await until(pilot, lambda: type(app.screen).__name__ == "GateScreen")
        await pilot.press("ctrl+t")  # the review opens behind the chief's PIN: the dialog's rules come with it
        await until(pilot, lambda: type(app.screen).__name__ == "PinModal")
        assert {"review.tcss", "chief_forms.tcss"} <= css()
        assert app.screen.query_one("#pin-box").styles.width.value == 60  # chief_forms.tcss, applied
        await pilot.press("escape")
        await until(pilot, lambda: type(app.screen).__name__ == "GateScreen")
        await pilot.press("ctrl+b")
        await until(pilot, lambda: type(app.screen).__name__ == "PinModal")
        assert "report.tcss" in css()


def test_the_collector_pause_is_the_starting_commands_alone():
    """An app started without the pause (tests, scripts) leaves its process's collector as it was."""
    code = ("import gc\nfrom examops.services.bulk_work import collection_after_start, pause_collection_for_start\n"
            "collection_after_start(); untouched = gc.isenabled() and gc.get_freeze_count() == 0\n"
            "pause_collection_for_start(); paused = not gc.isenabled()\n"
            "collection_after_start(); print(untouched, paused, gc.isenabled(), gc.get_freeze_count() > 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.split() == ["True", "True", "True", "True"]


def test_the_gate_command_pauses_the_collector_before_sqlalchemy_is_imported(tmp_path):
    """The group imports the store's refusals only when one is raised: the store's modules come with the command."""
    code = ("import sys\nimport examops.services.bulk_work as bulk_work\nseen = []\n"
            "bulk_work.pause_collection_for_start = lambda: seen.append('sqlalchemy' in sys.modules)\n"
            "from examops.cli import main\n"
            f"try:\n    main(['--db', {str(tmp_path / 'none' / 's.sqlite3')!r}, 'gate', '--lane', 'A', '--staff', 's'],"
            " standalone_mode=False)\nexcept Exception as exc:\n    print(type(exc).__name__)\nprint(seen)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                         env={**os.environ, "EXAMOPS_HOME": str(tmp_path)}).stdout
    assert out.split("\n")[-2] == "[False]", out  # paused, and SQLAlchemy not yet loaded when it was
