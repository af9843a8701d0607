"""Every scan, in order: keys arriving as a wedge scanner sends them, all at once, become one scan per Enter."""

from __future__ import annotations

import time

from textual import events

from tests.support.gate import admitted_tickets, gate_of, make_app, open_lane, stored_kinds, wedge
from tests.support.tui import run_async, screen_text, until


@run_async
async def test_a_burst_with_no_gap_is_six_scans_in_order(seeded_site):
    people = seeded_site.people[20:26]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        started = time.monotonic()
        wedge(app, *(p.ticket for p in people))
        depths: list[int] = []

        def drained() -> bool:
            depths.append(gate_of(app).pending_scans)
            return gate_of(app).idle and len(admitted_tickets(seeded_site)) == len(people)

        await until(pilot, drained)
        elapsed = time.monotonic() - started
        assert gate_of(app).card.ticket == people[-1].ticket
        assert gate_of(app).scan_input.value == ""
        print(f"burst: typed {len(people)}, recorded {len(admitted_tickets(seeded_site))}, "
              f"drained in {elapsed:.3f}s, deepest queue {max(depths)}")
    assert admitted_tickets(seeded_site) == [p.ticket for p in people]
    assert stored_kinds(seeded_site) == ["admitted"] * len(people)  # nothing glued into an invalid scan


@run_async
async def test_a_newline_ends_a_scan_and_cr_lf_is_one_line_end(seeded_site):
    """Keys typed before the app took the terminal arrive with the Enter turned into a newline (ctrl+j); a scanner
    may end its codes with CR LF, or LF. Each code is one scan: no lost Enter, no empty Enter after a CR."""
    people = seeded_site.people[40:44]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        for person, ends in zip(people, (("ctrl+j",), ("enter", "ctrl+j"), ("ctrl+j", "ctrl+j"), ("enter",))):
            for character in person.ticket:
                app.post_message(events.Key(character, character))
            for key in ends:
                app.post_message(events.Key(key, "\r" if key == "enter" else "\n"))
        await until(pilot, lambda: gate_of(app).idle and len(admitted_tickets(seeded_site)) == len(people))
        await pilot.pause()
        assert gate_of(app).scan_input.value == ""
    assert admitted_tickets(seeded_site) == [p.ticket for p in people]
    assert stored_kinds(seeded_site) == ["admitted"] * len(people)


@run_async
async def test_scans_during_a_check_in_flight_are_queued_not_refused(seeded_site, monkeypatch):
    """The first check is held in the lane worker; the next scans wait their turn and the depth is on screen."""
    import threading

    people = seeded_site.people[30:34]
    gate_release = threading.Event()
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        lane = gate_of(app).lane
        real_check = lane.check

        def slow_check(code, **kwargs):
            gate_release.wait()
            return real_check(code, **kwargs)

        monkeypatch.setattr(lane, "check", slow_check)
        try:  # a failing step must not leave the lane worker waiting for ever (the app could not exit)
            wedge(app, people[0].ticket)
            await until(pilot, lambda: gate_of(app).pending_scans == 1)
            wedge(app, *(p.ticket for p in people[1:]))
            await until(pilot, lambda: gate_of(app).pending_scans == len(people))
            await until(pilot, lambda: f"({len(people)})" in screen_text(app))  # the queue depth while it waits
            assert gate_of(app).scan_input.value == ""  # no digits left behind in the field
        finally:
            gate_release.set()
        await until(pilot, lambda: gate_of(app).idle and len(admitted_tickets(seeded_site)) == len(people))
    assert admitted_tickets(seeded_site) == [p.ticket for p in people]


@run_async
async def test_a_double_read_within_a_second_is_one_scan(seeded_site):
    person, other = seeded_site.people[40], seeded_site.people[41]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        wedge(app, person.ticket, person.ticket, other.ticket)
        await until(pilot, lambda: gate_of(app).idle and len(admitted_tickets(seeded_site)) == 2)
        await until(pilot, lambda: gate_of(app).idle)
    assert admitted_tickets(seeded_site) == [person.ticket, other.ticket]
    assert "duplicate_scan" not in stored_kinds(seeded_site)


@run_async
async def test_a_pasted_block_of_lines_is_one_scan_per_line(seeded_site):
    people = seeded_site.people[50:53]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        app.post_message(events.Paste("\r".join(p.ticket for p in people) + "\r"))
        await until(pilot, lambda: gate_of(app).idle and len(admitted_tickets(seeded_site)) == len(people))
    assert admitted_tickets(seeded_site) == [p.ticket for p in people]
