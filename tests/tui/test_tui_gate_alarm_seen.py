"""What the lane recorded as an alarm is seen: no exit draws over it, a failed burst names its scans, the bell
rings when the alarm is recorded (once for a burst), not when a waiting card is drawn."""

from __future__ import annotations

import sqlite3
import threading

from textual import events

from tests.support.gate import (
    admitted_elsewhere,
    admitted_tickets,
    banner,
    burst_with_alarms,
    card_waiting,
    gate_of,
    make_app,
    open_lane,
    settled,
    stored_kinds,
    wedge,
)
from tests.support.photos import give_photos
from tests.support.tui import run_async, screen_text, store_url, until

__all__ = ["store_url"]  # a real SQLite file: another program locks it as a real one would


def bells(app) -> list[int]:
    """The terminal bells the app rings (what the driver would write as BEL)."""
    rung: list[int] = []
    app.bell = lambda: rung.append(1)
    return rung


def store_file(site) -> str:
    return site.store.engine.url.database


@run_async
async def test_an_exit_key_while_a_duplicate_holds_is_refused_and_the_alarm_stays(seeded_site):
    first, twin, last = seeded_site.people[30:33]
    async with burst_with_alarms(seeded_site, (first, twin, last), twins=(twin,)) as (app, pilot):
        assert banner(app) == "duplicate"
        for key in ("ctrl+l", "ctrl+g"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is gate_of(app), f"{key} opened {app.screen!r} over the alarm"
            assert banner(app) == "duplicate" and gate_of(app).alarm_hold.queued == 1
        said = [n.message for n in app._notifications]
        assert said and all(m.startswith("An alarm is on screen: press Esc to see it through first") for m in said)
        await pilot.press("escape")  # the alarm seen: the card waiting behind it
        await until(pilot, lambda: banner(app) == "admitted")
        await pilot.press("ctrl+l")  # nothing holds now: the exit form opens on the card's candidate
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExitForm")
        assert app.screen.query_one("#exit-ticket").value == last.ticket
    assert sorted(admitted_tickets(seeded_site)) == sorted([twin.ticket, first.ticket, last.ticket])


@run_async
async def test_an_exit_key_sent_with_the_burst_does_not_cover_its_alarm(seeded_site):
    """Ctrl+L right behind a scanner's burst, before its verdicts: no form opens in front of the alarm to come."""
    first, twin, last = seeded_site.people[40:43]
    then = (events.Key("ctrl+l", "\x0c"),)
    async with burst_with_alarms(seeded_site, (first, twin, last), twins=(twin,), then=then) as (app, pilot):
        assert app.screen is gate_of(app) and banner(app) == "duplicate"
        assert gate_of(app).last_verdict.card.ticket == twin.ticket
    assert "left" not in stored_kinds(seeded_site)


@run_async
async def test_a_failed_burst_is_one_not_recorded_card_naming_every_scan(seeded_site, monkeypatch):
    """The store is locked by another program when the burst's one commit is made: the card says whom to re-scan."""
    ahead, *burst = seeded_site.people[50:54]
    app = make_app(seeded_site)
    release, locked = threading.Event(), []
    async with open_lane(app) as pilot:
        rung = bells(app)
        lane = gate_of(app).lane
        real_check = lane.check

        def check_then_lock(code, **kwargs):  # the scan ahead is recorded; then another program takes the store
            release.wait()
            verdict = real_check(code, **kwargs)
            holder = sqlite3.connect(store_file(seeded_site), check_same_thread=False, isolation_level=None)
            holder.execute("BEGIN EXCLUSIVE")
            locked.append(holder)
            return verdict

        monkeypatch.setattr(lane, "check", check_then_lock)
        try:
            wedge(app, ahead.ticket)
            await until(pilot, lambda: gate_of(app).pending_scans == 1)
            wedge(app, *(p.ticket for p in burst))  # queued behind it: one burst, one commit
            await until(pilot, lambda: gate_of(app).pending_scans == 4)
            release.set()
            await until(pilot, lambda: gate_of(app).idle and banner(app) == "not_recorded")
            await pilot.pause()
        finally:
            release.set()
            for holder in locked:
                holder.execute("ROLLBACK")
                holder.close()
        text = screen_text(app)
        assert "NOT RECORDED" in text
        named = [line for line in text.splitlines() if "Not recorded, scan again:" in line]
        assert named, text
        for person in burst:
            assert person.ticket in text, f"{person.ticket} not named on the card"
        assert gate_of(app).alarm_hold.queued == 0  # one card for the burst, not one per scan
        assert len(rung) == 1  # one bell for the failed commit
    assert admitted_tickets(seeded_site) == [ahead.ticket]


@run_async
async def test_the_bell_rings_once_when_a_bursts_alarms_are_recorded_not_when_a_waiting_one_is_drawn(seeded_site):
    first, twin, other_twin, last, later_twin = seeded_site.people[60:65]
    app = make_app(seeded_site)
    for person in (twin, other_twin, later_twin):
        admitted_elsewhere(seeded_site, person)
    async with open_lane(app) as pilot:
        rung = bells(app)
        wedge(app, first.ticket, twin.ticket, other_twin.ticket, last.ticket)
        await settled(pilot, 7)
        assert banner(app) == "duplicate" and gate_of(app).alarm_hold.queued == 2
        assert len(rung) == 1  # the burst's alarms are known: one bell calls the staffer
        await pilot.press("escape")  # the second duplicate, recorded seconds ago: drawn now, no second bell
        await until(pilot, lambda: gate_of(app).last_verdict.card.ticket == other_twin.ticket)
        assert banner(app) == "duplicate" and len(rung) == 1
        await pilot.press("escape")
        await until(pilot, lambda: banner(app) == "admitted")
        assert len(rung) == 1
        wedge(app, later_twin.ticket)  # a new alarm, typed after the last was seen: its own bell
        await settled(pilot, 8)
        assert banner(app) == "duplicate" and len(rung) == 2


@run_async
async def test_a_burst_whose_commit_raises_is_one_card_naming_its_scans_an_id_number_masked(seeded_site, monkeypatch):
    ahead, by_ticket, by_id = seeded_site.people[70:73]
    app = make_app(seeded_site)
    release = threading.Event()
    async with open_lane(app) as pilot:
        lane = gate_of(app).lane
        real_check = lane.check

        def held(code, **kwargs):
            release.wait()
            return real_check(code, **kwargs)

        def full(scans, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(lane, "check", held)
        monkeypatch.setattr(lane, "check_burst", full)
        try:
            wedge(app, ahead.ticket)
            await until(pilot, lambda: gate_of(app).pending_scans == 1)
            wedge(app, by_ticket.ticket, by_id.id_number)
            await until(pilot, lambda: gate_of(app).pending_scans == 3)
        finally:
            release.set()
        await until(pilot, lambda: gate_of(app).idle and banner(app) == "not_recorded")
        await pilot.pause()
        text = screen_text(app)
        line = next(line for line in text.splitlines() if "Not recorded, scan again:" in line)
        assert by_ticket.ticket in line and by_id.id_number[:6] in line and by_id.id_number not in text
        assert "The scan failed: the disk is full" in text and gate_of(app).alarm_hold.queued == 0
    assert admitted_tickets(seeded_site) == [ahead.ticket]


@run_async
async def test_a_pick_from_ctrl_f_does_not_replace_an_alarm(seeded_site):
    """Ctrl+F right behind a burst: the search may open before its duplicate is drawn; the pick must not cover it."""
    first, twin, last, looked_up = seeded_site.people[80:84]
    then = (events.Key("ctrl+f", "\x06"),)
    async with burst_with_alarms(seeded_site, (first, twin, last), twins=(twin,), then=then) as (app, pilot):
        if app.screen.__class__.__name__ == "SearchModal":  # opened before the alarm: pick someone
            await pilot.press(*looked_up.ticket)
            await until(pilot, lambda: [c.ticket for c in app.screen.cards] == [looked_up.ticket])
            await pilot.press("enter")
            await until(pilot, lambda: app.screen is gate_of(app))
        assert banner(app) == "duplicate" and gate_of(app).last_verdict.card.ticket == twin.ticket
        await pilot.press("ctrl+f")  # with the alarm on screen: refused with a word
        await pilot.pause()
        assert app.screen is gate_of(app) and banner(app) == "duplicate"
        assert any("then Ctrl+F" in n.message for n in app._notifications)


@run_async
async def test_exit_keys_and_ctrl_f_do_not_replace_a_card_waiting_for_the_photo_check(seeded_site):
    """The exit's answer replaced the waiting card and its photo, and the next Enter admitted that candidate unseen."""
    waiting = seeded_site.people[0]
    give_photos(seeded_site, [waiting.ticket])
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        await card_waiting(pilot, waiting.ticket)
        for key in ("ctrl+l", "ctrl+g", "ctrl+f"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is gate_of(app), f"{key} opened {app.screen!r} over the waiting card"
        assert gate_of(app).card.ticket == waiting.ticket and gate_of(app).waiting_card
        assert any(n.message.startswith("The card waits: Enter admits") for n in app._notifications)
        await pilot.press("enter")  # with the photo on screen
        await until(pilot, lambda: admitted_tickets(seeded_site) == [waiting.ticket])
