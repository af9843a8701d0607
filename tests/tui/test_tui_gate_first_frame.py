"""The gate's first frame comes before its store is open (issue 15): drawn from a `SiteHead` read on SQLite's own
connection, it says the lane is starting; scans typed meanwhile wait for the lane; a damaged store refuses them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from examops import sample
from examops.adapters.store import schema
from examops.services.site_head import SiteHead
from tests.conftest import ROOT, SAMPLE_PLAN, TEST_PIN
from tests.support.tui import count, run_async, until
from tests.tui.test_tui_gate import gate_of, make_app, settle

# The gate command itself (its head, its app) on Textual's headless driver: what its first frame showed and had
# loaded, then the same once the lane said it was ready.
COMMAND = """
import json, sys
from textual.app import App
import examops.adapters.quick_check as quick_check
import examops.tui.app as tui_app

seen = {}
run = App.run
tui_app.ExamopsApp.run = lambda self, **kwargs: run(self, headless=True, size=(80, 24))

def display(self, screen, renderable, _display=tui_app.ExamopsApp._display):
    if renderable is not None and type(screen).__name__ == "GateScreen":
        banner = screen.query_one("#verdict").view
        state = {"sqlalchemy": "sqlalchemy" in sys.modules, "banner": [banner.style, banner.title, banner.subtitle],
                 "lane": str(screen.query_one("#top-lane").render()), "search": screen.lane_ready}
        seen.setdefault("first", state)
        if screen.lane_ready and screen.idle:
            seen["ready"] = state
            self.exit()
    return _display(self, screen, renderable)

tui_app.ExamopsApp._display = display

def begin(url, _begin=quick_check.begin):
    seen.setdefault("checked_after_first_frame", "first" in seen)
    return _begin(url)

quick_check.begin = begin
from examops.cli import main
try:
    main(["--db", sys.argv[1], "gate", "--lane", "A", "--staff", "s"], standalone_mode=False)
finally:
    print(json.dumps(seen, ensure_ascii=False))
"""


def test_the_gate_commands_first_frame_comes_before_sqlalchemy_and_says_the_lane_is_starting(tmp_path):
    from examops.services.site import init_site

    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN).close()  # the sample plan's language: zh-CN
    env = {**os.environ, "EXAMOPS_HOME": str(tmp_path), "EXAMOPS_CLOCK": "2021-10-16T08:10"}
    env.pop("EXAMOPS_LANG", None)
    out = subprocess.run([sys.executable, "-c", COMMAND, url], capture_output=True, text=True, check=True, cwd=ROOT,
                         env=env, timeout=120).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    first, ready = seen["first"], seen["ready"]
    assert not first["sqlalchemy"] and seen["checked_after_first_frame"]  # the lane worker begins the quick check
    assert first["banner"] == ["pending", "通道启动中…", "现在扫描的不会丢失：通道就绪后按顺序核验"]
    assert "通道 A" in first["lane"]
    assert not first["search"]  # what needs the store waits for it
    assert ready["sqlalchemy"] and ready["search"]
    assert ready["banner"][:2] == ["idle", "请扫描下一位考生"]


def _head_of(site, opened: threading.Event | None = None) -> SiteHead:
    """A head of `site`'s store whose `open` waits for `opened` (a slow start), then gives `site` itself."""
    head = SiteHead(site.store.url, site.plan, site.policy, site.clock, has_photos=False)
    if opened is not None:
        def slow_open():  # noqa: ANN202
            assert opened.wait(30)
            return site
        head.open = slow_open
    return head


def _lane_events(site) -> int:
    with site.store.read() as conn:
        return sum(1 for row in conn.execute(schema.events.select()) if row.lane is not None)


@run_async
async def test_a_scan_typed_while_the_lane_starts_is_kept_and_checked_once_it_is_ready(seeded_site):
    opened = threading.Event()
    person = seeded_site.people[0]
    app = make_app(_head_of(seeded_site, opened))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ == "GateScreen")
        gate = gate_of(app)
        gate.scan_input.insert_text_at_cursor(person.ticket)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert not gate.lane_ready and gate.pending_scans == 1 and gate.last_verdict is None
        assert _lane_events(seeded_site) == 0  # nothing recorded, nothing acknowledged, before the lane is ready
        assert not app.check_action("review", ()) and not gate.lane_ready  # Ctrl+F, F11, Ctrl+T/B: "starting"
        opened.set()
        await settle(pilot)
        assert gate.lane_ready and app.site is seeded_site and gate.site is seeded_site
        assert gate.last_verdict.verdict == "admitted" and gate.last_verdict.recorded
        assert count(seeded_site, schema.admissions, ticket=person.ticket) == 1
        assert _lane_events(seeded_site) == 1


def _damaged_site(tmp_path):
    """A site whose candidates' pages have a scribbled one: its plan and settings read fine, its quick check fails."""
    from sqlalchemy import insert

    from examops.services.site import init_site

    path = tmp_path / "s.sqlite3"
    site = init_site(SAMPLE_PLAN, url=f"sqlite:///{path}", chief_pin=TEST_PIN)
    with site.store.write() as conn:
        conn.execute(insert(schema.candidates), [{"ticket": f"T{n:06d}", "name": "x" * 60, "id_number": f"{n:018d}",
                                                  "id_tail": "0000", "sex": "F", "site": None} for n in range(3000)])
    with site.store.read() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.exec_driver_sql("PRAGMA page_size").scalar()
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    site.close()
    data = bytearray(path.read_bytes())
    middle = (pages // 2) * page_size
    data[middle + 8:middle + 208] = b"\xff" * 200
    path.write_bytes(bytes(data))
    return f"sqlite:///{path}"


@run_async
async def test_a_gate_started_on_a_damaged_store_says_so_and_records_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("EXAMOPS_HOME", str(tmp_path))
    url = _damaged_site(tmp_path)
    head = SiteHead.read(url)
    assert head is not None  # the plan reads fine: the first frame is drawn, and the lane finds the damage
    app = make_app(head)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ == "GateScreen" and gate_of(app).lane_ready)
        gate = gate_of(app)
        banner = gate.query_one("#verdict").view
        assert banner.style == "not_recorded" and "damaged" in banner.subtitle
        gate.scan_input.insert_text_at_cursor(sample.synthetic_people(1)[0].ticket)  # unknown here: an event to write
        await pilot.press("enter")
        await until(pilot, lambda: gate.pending_scans == 0)
        verdict = gate.last_verdict
        assert verdict.verdict == "not_recorded" and not verdict.recorded and "damaged" in verdict.reason
        assert gate.query_one("#verdict").view.style == "not_recorded"
    from examops.services.site import Site

    site = Site.open(url, check=False)
    try:
        assert _lane_events(site) == 0
    finally:
        site.close()


def test_a_store_the_head_cannot_read_as_site_open_would_gives_none(tmp_path, monkeypatch):
    """No file, no plan, or a drill this process would begin: the gate opens the full site first, as before."""
    from examops.adapters.store import Store
    from examops.services.site import init_site

    monkeypatch.setenv("EXAMOPS_HOME", str(tmp_path))
    assert SiteHead.read(f"sqlite:///{tmp_path / 'none.sqlite3'}") is None
    bare = f"sqlite:///{tmp_path / 'bare.sqlite3'}"
    Store.open(bare, create=True).close()
    assert SiteHead.read(bare) is None
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    monkeypatch.delenv("EXAMOPS_CLOCK", raising=False)
    init_site(SAMPLE_PLAN, url=url, chief_pin=TEST_PIN).close()
    assert SiteHead.read(url) is not None
    monkeypatch.setenv("EXAMOPS_CLOCK", "2021-10-16T08:10")  # a drill not begun in this store: opening writes it
    assert SiteHead.read(url) is None
