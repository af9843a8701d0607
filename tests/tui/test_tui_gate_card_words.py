"""What the gate's card and panels say: a re-entry refusal says when they left (not its title again), a screening
that sends to a room without a seat says the seat is pending, the rooms panel has one header, and a key
that needs the store says the lane is starting rather than nothing."""

from __future__ import annotations

import threading

from examops.tui.screens.gate import GateScreen
from examops.tui.screens.gate_lane import LaneWorker
from tests.conftest import at_local
from tests.support.gate import SIZE, banner, gate_of, make_app, open_lane, settle, wedge
from tests.support.tui import run_async, screen_text, until


@run_async
async def test_a_reentry_refusal_says_when_they_left_not_its_title_twice(seeded_site):
    person = seeded_site.people[40]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        wedge(app, person.ticket)
        await settle(pilot)
        at_local(seeded_site, "2021-10-16T09:00")  # when S1 allows an early leave
        await pilot.press("ctrl+g")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExitForm")
        await pilot.press(*"handed in", "enter")
        await settle(pilot)
        wedge(app, person.ticket)
        await until(pilot, lambda: gate_of(app).idle and banner(app) == "denied")
        await pilot.pause()
        view = gate_of(app).query_one("#verdict").view
        text = screen_text(app)
    assert "LEFT FOR GOOD — NO RE-ENTRY" in text and "Left for good at 09:00:00" in text
    assert "Left the exam for good: no re-entry" not in text and view.title not in view.subtitle


@run_async
async def test_a_fever_sent_to_the_isolation_room_says_its_seat_is_pending(seeded_site):
    person = seeded_site.people[41]
    app = make_app(seeded_site)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExceptionForm")
        app.screen.query_one("#form-ticket").value = person.ticket
        app.screen.query_one("#ev-temp1").value = "38.6"
        app.screen.query_one("#ev-temp2").value = "38.4"
        await pilot.press("enter")
        await settle(pilot)
        assert gate_of(app).last_verdict.go_kind == "isolation"
        text = screen_text(app)
    room_and_seat = [line.split("▏")[0].split()[-1] for line in text.splitlines() if "G01" in line]
    assert room_and_seat == ["pending"]  # the seat's column, beside the room's: on main "-"


@run_async
async def test_the_rooms_panel_has_one_header(seeded_site):
    app = make_app(seeded_site)
    async with open_lane(app, (80, 24)):
        text = screen_text(app)
    assert text.count("Rooms admitted/expected") == 1 and "In/expected" not in text


@run_async
async def test_keys_that_need_the_store_say_the_lane_is_starting(seeded_site, monkeypatch):
    release = threading.Event()
    real_open = LaneWorker._open_lane

    def slow_open(self):
        release.wait(30)
        return real_open(self)

    monkeypatch.setattr(LaneWorker, "_open_lane", slow_open)
    app = make_app(seeded_site)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, GateScreen))
            for key in ("ctrl+t", "ctrl+b", "ctrl+f", "f11"):
                app.clear_notifications()
                await pilot.press(key)
                await pilot.pause()
                said = [n.message for n in app._notifications]
                assert said == ["The lane is still starting: wait a moment, then press the key again"], key
                assert isinstance(app.screen, GateScreen), key
            release.set()
            await until(pilot, lambda: gate_of(app).idle)
            await pilot.press("ctrl+f")
            await until(pilot, lambda: app.screen.__class__.__name__ == "SearchModal")
    finally:
        release.set()
