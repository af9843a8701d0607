"""The gate's side panels after its own scans and after another lane's: the figures, the rooms and the recent
scans on screen are what a fresh count of the store says; the lane's own scans change them in place, without
counting the session again (issue 15: that recount held the GIL while the next scan waited)."""

from __future__ import annotations

import threading

from examops.services import counters, gate_view
from examops.services.gate import Lane
from examops.tui.messages import ScanRequest
from examops.tui.widgets.panels import CountersPanel, RecentScansTable, RoomsTable
from tests.support.gate import SIZE, gate_of, make_app, wedge
from tests.support.tui import run_async, screen_text, until


def on_screen(gate) -> tuple:  # noqa: ANN001
    return (gate.query_one(CountersPanel).shown, gate.query_one(RoomsTable).shown, gate.query_one(RecentScansTable).shown)


def counted(site, lane: str = "A") -> tuple:  # noqa: ANN001
    fresh = gate_view.lane_panels(site, lane, "S1")
    figures = fresh.counters
    return ((figures.expected, figures.admitted, figures.held, figures.denied, figures.remaining), figures.rooms, fresh.recent)


@run_async
async def test_the_panels_follow_the_lane_s_scans_in_place_and_another_lane_s_by_a_recount(seeded_site, monkeypatch):
    site, people = seeded_site, seeded_site.people
    sessions_counted = []  # the screen's recounts (on its worker threads; this test counts on its own thread)
    real_counters = counters.session_counters

    def session_counters(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if threading.current_thread() is not threading.main_thread():
            sessions_counted.append(1)
        return real_counters(*args, **kwargs)

    monkeypatch.setattr(counters, "session_counters", session_counters)
    app = make_app(site)
    async with app.run_test(size=SIZE) as pilot:
        gate = gate_of(app)
        await until(pilot, lambda: gate.idle and gate.query_one(CountersPanel).shown is not None)
        assert on_screen(gate) == counted(site)
        before = len(sessions_counted)

        async def settled(expect_admitted: int) -> None:
            await until(pilot, lambda: gate.idle and not gate._panels_dirty
                        and gate.query_one(CountersPanel).shown[1] == expect_admitted)
            assert on_screen(gate) == counted(site)

        wedge(app, people[0].ticket, people[1].ticket)  # two admissions
        await settled(2)
        wedge(app, people[0].ticket)  # a duplicate
        await until(pilot, lambda: gate.last_verdict is not None and gate.last_verdict.verdict == "duplicate")
        await settled(2)
        gate.submit(ScanRequest(people[2].ticket, outcome="late"))  # denied
        gate.submit(ScanRequest(people[3].ticket, outcome="id_mismatch"))  # held
        await settled(2)
        assert gate.query_one(CountersPanel).shown[2:4] == (1, 1)
        room = next(iter(gate.query_one(RoomsTable).shown))
        assert str(gate.query_one(RoomsTable).get_cell(room, "count")) == f"2/{counted(site)[1][room]['expected']}"
        assert [row.ticket for row in gate.query_one(RecentScansTable).shown[:2]] == [people[3].ticket, people[2].ticket]
        if site.store.is_sqlite:  # PostgreSQL's positions cannot say whose events came: there it counts every time
            assert len(sessions_counted) == before, "the lane's own scans were counted again"

        # Another lane admits one, then this lane scans the same ticket: a duplicate, and the figures count again.
        assert Lane(site, "B", "staff2").check(people[4].ticket, session_id="S1").verdict == "admitted"
        await until(pilot, lambda: gate.idle and gate.query_one(CountersPanel).shown[1] == 3)  # the watcher's news
        assert on_screen(gate) == counted(site)
        recounts = len(sessions_counted)
        assert recounts > before
        wedge(app, people[4].ticket)
        await until(pilot, lambda: gate.idle and gate.last_verdict is not None and gate.last_verdict.verdict == "duplicate")
        await settled(3)
        assert "Admitted 3" in screen_text(app)
