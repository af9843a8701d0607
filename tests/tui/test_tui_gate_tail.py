"""The gate's scan path under a queue: a burst is one group commit with a verdict per scan, the figures wait for
the cards, and the recent scans keep their rows (issue 15, the tail of scan → card)."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest

from examops.adapters.store import WriteFailed
from examops.services import gate_view
from examops.tui.messages import PanelsRefreshed
from examops.tui.widgets.panels import CountersPanel, RecentScansTable
from tests.support.gate import admitted_tickets, gate_of, make_app, open_lane, stored_kinds, wedge
from tests.support.photos import give_photos
from tests.support.tui import run_async, screen_text, until


@contextmanager
def first_check_held(gate, monkeypatch):
    """The lane's next lone check waits until the block ends, so the scans after it queue up behind it."""
    release = threading.Event()
    real_check = gate.lane.check
    held = []

    def slow_check(code, **kwargs):
        if not held:
            held.append(code)
            release.wait()
        return real_check(code, **kwargs)

    monkeypatch.setattr(gate.lane, "check", slow_check)
    try:
        yield held  # the code being held, once the lane worker took it (on PostgreSQL it prepares its offline copy first)
    finally:
        release.set()


def cards_shown(gate, monkeypatch) -> list[tuple[str, str, bool]]:
    """(code, verdict, recorded) of every verdict the screen drew, in order."""
    shown: list[tuple[str, str, bool]] = []
    real = gate._card_shown

    def spy(request, verdict):
        shown.append((request.code, verdict.verdict, verdict.recorded))
        return real(request, verdict)

    monkeypatch.setattr(gate, "_card_shown", spy)
    return shown


async def go_past_alarms(pilot, gate) -> None:
    """Esc until no card waits behind an alarm (a burst's later cards wait until the staffer has seen it)."""
    while gate.alarm_hold.queued:
        await pilot.press("escape")
        await pilot.pause()


def bursts_checked(gate, monkeypatch) -> list[list[str]]:
    """The codes of each `check_burst` the lane worker made."""
    calls: list[list[str]] = []
    real = gate.lane.check_burst

    def spy(scans, **kwargs):
        calls.append([code for code, _outcome, _evidence in scans])
        return real(scans, **kwargs)

    monkeypatch.setattr(gate.lane, "check_burst", spy)
    return calls


@run_async
async def test_a_queued_burst_is_one_group_commit_and_every_card_shows_its_own_verdict(seeded_site, monkeypatch):
    people = seeded_site.people[60:66]
    slip = people[4].ticket[:6] + people[4].ticket[7:]  # a digit dropped: no such ticket
    codes = [people[0].ticket, people[1].ticket, slip, people[2].ticket, people[1].ticket, people[3].ticket]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        gate = gate_of(app)
        shown = cards_shown(gate, monkeypatch)
        bursts = bursts_checked(gate, monkeypatch)
        groups = []
        real_group = seeded_site.store.group

        @contextmanager
        def counted_group():
            groups.append(1)
            with real_group():
                yield

        monkeypatch.setattr(seeded_site.store, "group", counted_group)
        with first_check_held(gate, monkeypatch) as held:
            wedge(app, codes[0])
            await until(pilot, lambda: gate.pending_scans == 1 and held)
            wedge(app, *codes[1:])
            await until(pilot, lambda: gate.pending_scans == len(codes))
        await until(pilot, lambda: gate.idle and len(shown) == len(codes) - 1)  # the duplicate holds the last card
        assert gate.alarm_hold.queued == 1 and len(admitted_tickets(seeded_site)) == 4  # ... which is recorded
        await go_past_alarms(pilot, gate)
        await until(pilot, lambda: gate.idle and len(shown) == len(codes))
    assert bursts == [codes[1:]]  # the first alone (nothing queued behind it yet), the five queued ones together
    assert len(groups) == (1 if seeded_site.store.is_sqlite else 0)  # PostgreSQL: each scan commits (its fallback is per write)
    assert [(code, verdict) for code, verdict, _recorded in shown] == [
        (codes[0], "admitted"), (codes[1], "admitted"), (codes[2], "unknown"), (codes[3], "admitted"),
        (codes[4], "duplicate"), (codes[5], "admitted")]
    assert all(recorded for _code, _verdict, recorded in shown)
    assert admitted_tickets(seeded_site) == [p.ticket for p in (people[0], people[1], people[2], people[3])]


@run_async
async def test_a_failed_burst_commit_is_one_not_recorded_card_naming_every_scan_of_it(seeded_site, monkeypatch):
    if not seeded_site.store.is_sqlite:
        pytest.skip("only SQLite groups a burst's commits")
    people = seeded_site.people[70:75]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        gate = gate_of(app)
        shown = cards_shown(gate, monkeypatch)
        real_group = seeded_site.store.group

        @contextmanager
        def failing_group():  # every write of the burst went in; the commit at the end fails (a full disk, say)
            with real_group():
                yield
                raise WriteFailed("disk I/O error")

        monkeypatch.setattr(seeded_site.store, "group", failing_group)
        with first_check_held(gate, monkeypatch) as held:
            wedge(app, people[0].ticket)
            await until(pilot, lambda: gate.pending_scans == 1 and held)
            wedge(app, *(p.ticket for p in people[1:4]))
            await until(pilot, lambda: gate.pending_scans == 4)
        await until(pilot, lambda: gate.idle and len(shown) == 2)
        assert gate.alarm_hold.queued == 0  # one not-recorded card for the burst (one Esc), not one per scan
        assert shown[0] == (people[0].ticket, "admitted", True)
        assert shown[1] == (people[1].ticket, "not_recorded", False)
        text = screen_text(app)
        assert "NOT RECORDED" in text
        assert "Not recorded, scan again: " + "  ".join(p.ticket for p in people[1:4]) in text  # whom to re-scan
        assert admitted_tickets(seeded_site) == [people[0].ticket]
        monkeypatch.setattr(seeded_site.store, "group", real_group)
        wedge(app, people[4].ticket)  # the lane goes on: its chain head is the last event on disk, not the lost burst's
        await until(pilot, lambda: gate.idle and len(shown) == 3)
    assert shown[2] == (people[4].ticket, "admitted", True)
    assert admitted_tickets(seeded_site) == [people[0].ticket, people[4].ticket]


@run_async
async def test_a_burst_whose_check_raises_is_one_not_recorded_card_naming_each_scan(seeded_site, monkeypatch):
    people = seeded_site.people[80:84]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        gate = gate_of(app)
        failures = []
        real_failure = gate._show_failure
        monkeypatch.setattr(gate, "_show_failure", lambda error, requests=(): (failures.append(error), real_failure(error, requests))[1])

        def broken_burst(scans, **kwargs):
            raise RuntimeError("the store went away")

        with first_check_held(gate, monkeypatch) as held:
            wedge(app, people[0].ticket)
            await until(pilot, lambda: gate.pending_scans == 1 and held)
            monkeypatch.setattr(gate.lane, "check_burst", broken_burst)
            wedge(app, *(p.ticket for p in people[1:]))
            await until(pilot, lambda: gate.pending_scans == 4)
        await until(pilot, lambda: gate.idle and len(failures) == 1)
        await pilot.pause()
        assert gate.alarm_hold.queued == 0 and len(failures) == 1  # one card for the burst's one failed commit
        text = screen_text(app)
        assert "NOT RECORDED" in text and all(p.ticket in text for p in people[1:4])
    assert admitted_tickets(seeded_site) == [people[0].ticket]


@run_async
async def test_a_lane_that_confirms_photos_checks_one_scan_at_a_time(seeded_site, monkeypatch):
    """A held admission is never part of a group: each card waits for the staffer's Enter."""
    people = seeded_site.people[:3]
    give_photos(seeded_site, [p.ticket for p in people])
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        gate = gate_of(app)
        bursts = bursts_checked(gate, monkeypatch)
        wedge(app, *(p.ticket for p in people))
        for person in people:
            await until(pilot, lambda p=person: gate.waiting_card and gate.card is not None and gate.card.ticket == p.ticket
                        and gate.idle)
            await pilot.pause()
            await pilot.press("enter")
        await until(pilot, lambda: gate.idle and len(admitted_tickets(seeded_site)) == len(people))
    assert bursts == []
    assert admitted_tickets(seeded_site) == [p.ticket for p in people]


@run_async
async def test_the_figures_are_not_recounted_while_a_scan_is_queued(seeded_site, monkeypatch):
    person = seeded_site.people[90]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        gate = gate_of(app)
        counted = []
        real_panels = gate_view.lane_panels
        monkeypatch.setattr(gate_view, "lane_panels", lambda *a, **k: (counted.append(1), real_panels(*a, **k))[1])
        with first_check_held(gate, monkeypatch):
            wedge(app, person.ticket)
            await until(pilot, lambda: gate.pending_scans == 1 and not gate.panels_refreshing)  # one begun before may end
            before = len(counted)
            gate.request_panels()  # the periodic refresh, the watcher's news, a new session: all wait for the card
            gate.request_panels(if_changed=True)
            await pilot.pause(0.05)
            assert len(counted) == before and not gate.panels_refreshing
        # after the card, its figures come (folded in place on SQLite, counted again on PostgreSQL)
        await until(pilot, lambda: gate.idle and gate.query_one(CountersPanel).shown[1] == 1)  # admitted


@run_async
async def test_figures_counted_before_a_scan_are_not_drawn_while_it_waits(seeded_site, monkeypatch):
    person = seeded_site.people[91]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        gate = gate_of(app)
        before = gate.query_one(CountersPanel).shown
        stale = gate_view.lane_panels(gate.lane.view_site, gate.lane.lane, gate.session.id)
        stale.counters.admitted = 999
        with first_check_held(gate, monkeypatch):
            wedge(app, person.ticket)
            await until(pilot, lambda: gate.pending_scans == 1)
            gate.panels_refreshing = True  # as if the recount had started just before the scan
            gate.post_message(PanelsRefreshed(stale))
            await until(pilot, lambda: not gate.panels_refreshing)
            assert gate.query_one(CountersPanel).shown == before
        await until(pilot, lambda: gate.idle and gate.query_one(CountersPanel).shown[1] == 1)


@run_async
async def test_recent_scans_keep_their_rows_and_shift_down(seeded_site, monkeypatch):
    people = seeded_site.people[100:104]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        gate = gate_of(app)
        table = gate.query_one(RecentScansTable)
        cleared = []
        real_clear = table.clear
        monkeypatch.setattr(table, "clear", lambda *a, **k: (cleared.append(1), real_clear(*a, **k))[1])
        for count, person in enumerate(people, start=1):
            wedge(app, person.ticket)
            await until(pilot, lambda n=count: gate.idle and table.row_count == n)
        tickets = [table.get_cell(str(index), "ticket") for index in range(table.row_count)]
    assert cleared == []
    assert [str(ticket) for ticket in tickets] == [p.ticket for p in reversed(people)]
    assert stored_kinds(seeded_site) == ["admitted"] * len(people)


@run_async
async def test_a_slow_check_takes_the_last_candidate_off_the_card_without_a_layout_pass(seeded_site, monkeypatch):
    """'Checking…' wipes the previous card (nothing of them stays on screen) and keeps every size: a repaint."""
    from tests.tui.test_tui_gate_frames import same_width_pair

    first, second = same_width_pair(seeded_site)
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        gate = gate_of(app)
        wedge(app, first)
        await until(pilot, lambda: gate.idle and gate.card is not None and gate.card.ticket == first)
        name = gate.card.name
        layouts = []
        real_layout = gate._refresh_layout
        monkeypatch.setattr(gate, "_refresh_layout", lambda *a, **k: (layouts.append(1), real_layout(*a, **k))[1])
        with first_check_held(gate, monkeypatch):
            wedge(app, second)
            await until(pilot, lambda: gate.query_one("#verdict").view.style == "pending")
            await pilot.pause()
            text = screen_text(app)
            assert first not in text.split("\n", 1)[1].split("Recent")[0] and name not in text.split("Recent")[0]
        await until(pilot, lambda: gate.idle and gate.card is not None and gate.card.ticket == second)
        await pilot.pause()
        assert second in screen_text(app)
    assert layouts == []


@run_async
async def test_a_room_out_of_sight_changes_unseen_and_shows_its_figure_once_scrolled_to(seeded_site, monkeypatch):
    """A big site shows some twenty of its rooms: a scan in another is no repaint of the table, and its figure is
    there when the table is scrolled to it."""
    from examops.tui.widgets.panels import RoomsTable

    rooms = sorted({gate_view.find_candidates(seeded_site, p.ticket, "S1")[0].room for p in seeded_site.people})
    last = next(p for p in seeded_site.people if gate_view.find_candidates(seeded_site, p.ticket, "S1")[0].room == rooms[-1])
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        gate = gate_of(app)
        table = gate.query_one(RoomsTable)
        table.styles.min_height = table.styles.height = 3  # the header and two rooms in sight
        await until(pilot, lambda: table.size.height == 3)
        updated = []
        real_update = table.update_cell
        monkeypatch.setattr(table, "update_cell", lambda row, *a, **k: (updated.append(row), real_update(row, *a, **k))[1])
        wedge(app, last.ticket)
        await until(pilot, lambda: gate.idle and gate.query_one(CountersPanel).shown[1] == 1)
        assert updated == []
        assert str(table.get_cell(rooms[-1], "count")) == "1/30"
        table.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        await until(pilot, lambda: "1/30" in screen_text(app))
        first = next(p for p in seeded_site.people if gate_view.find_candidates(seeded_site, p.ticket, "S1")[0].room == rooms[-2])
        wedge(app, first.ticket)  # a room in sight now: drawn at once
        await until(pilot, lambda: gate.idle and rooms[-2] in updated)
        await until(pilot, lambda: screen_text(app).count("1/30") == 2)
