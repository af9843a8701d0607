"""An alarm stays until seen: the cards of a burst's later scans wait behind it (all recorded), Esc goes on."""

from __future__ import annotations

import time

from textual import events

from tests.support.gate import (
    admitted_elsewhere,
    admitted_tickets,
    banner,
    burst_with_alarms,
    card_waiting,
    card_waits,
    gate_of,
    make_app,
    open_lane,
    scan,
    settled,
    stored_kinds,
    wedge,
)
from tests.support.photos import give_photos
from tests.support.tui import run_async, screen_text, until


def early_scan(app, code: str) -> None:
    """A scan whose keys came before the card on screen was drawn (the terminal delivered them late)."""
    at = time.monotonic() - 5
    for key in (*code, "enter"):
        event = events.Key(key, "\r" if key == "enter" else key)
        event.time = at
        gate_of(app).scan_input.post_message(event)


@run_async
async def test_a_duplicate_in_a_burst_stays_on_screen_until_esc(seeded_site):
    first, twin, last = seeded_site.people[30:33]
    async with burst_with_alarms(seeded_site, (first, twin, last), twins=(twin,)) as (app, pilot):
        assert banner(app) == "duplicate" and gate_of(app).last_verdict.card.ticket == twin.ticket
        text = screen_text(app)
        assert "1 more scan recorded — Esc or Enter shows it" in text and "call the chief proctor" in text
        assert sorted(stored_kinds(seeded_site)) == ["admitted"] * 3 + ["duplicate_scan"]  # all recorded
        await pilot.press("escape")
        await pilot.pause()
        assert banner(app) == "admitted" and gate_of(app).card.ticket == last.ticket
        assert "more scan recorded" not in screen_text(app)
    assert sorted(admitted_tickets(seeded_site)) == sorted([twin.ticket, first.ticket, last.ticket])


@run_async
async def test_a_scan_typed_after_the_alarm_goes_on_one_typed_before_waits(seeded_site):
    first, twin, late, after = seeded_site.people[30:34]
    async with burst_with_alarms(seeded_site, (first, twin), twins=(twin,)) as (app, pilot):
        assert banner(app) == "duplicate"
        early_scan(app, late.ticket)  # its Enter came before the alarm was drawn: recorded, its card waits
        await settled(pilot, 4)
        assert banner(app) == "duplicate" and gate_of(app).alarm_hold.queued == 1
        await scan(pilot, after.ticket)  # typed with the alarm in view: a look at it, the lane goes on
        await settled(pilot, 5)
        assert banner(app) == "admitted" and gate_of(app).card.ticket == after.ticket
        assert "1 admitted just before this one" in screen_text(app)
    assert sorted(admitted_tickets(seeded_site)) == sorted([twin.ticket, first.ticket, late.ticket, after.ticket])


@run_async
async def test_a_confirming_lane_holds_its_next_scan_behind_a_duplicate_until_esc(seeded_site):
    first, twin, last = seeded_site.people[:3]
    give_photos(seeded_site, [p.ticket for p in seeded_site.people[:3]])
    app = make_app(seeded_site)
    admitted_elsewhere(seeded_site, twin)
    async with open_lane(app) as pilot:
        await card_waiting(pilot, first.ticket)
        wedge(app, twin.ticket, last.ticket)
        await until(pilot, lambda: gate_of(app).line.queued == 2)
        await pilot.press("enter")  # admits the first; the twin is checked next: a duplicate
        await until(pilot, lambda: banner(app) == "duplicate" and gate_of(app).idle)
        for _ in range(3):
            await pilot.pause()
        assert banner(app) == "duplicate" and gate_of(app).line.queued == 1  # the last scan is still held
        assert "1 more scan waiting — Esc or Enter shows it" in screen_text(app)
        await pilot.press("escape")
        await card_waits(pilot, last.ticket)
    assert admitted_tickets(seeded_site) == [twin.ticket, first.ticket]
