"""What a scan costs the gate's screen, counted, never timed: the next candidate's card is drawn without laying the
screen out again, and a gate whose store is quiet does not recount the roster every couple of seconds."""

from __future__ import annotations

import pytest

from examops.services import counters, gate_view
from examops.tui.screens import gate as gate_module
from examops.tui.screens import gate_panels
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)
from tests.tui.test_tui_gate import SIZE, gate_of, make_app, settle


def same_width_pair(site):  # noqa: ANN001, ANN201
    """Two candidates whose room and seat are written with as many characters (so no size on the card changes)."""
    cards = [gate_view.find_candidates(site, person.ticket, "S1")[0] for person in site.people[:12]]
    for first in cards:
        for second in cards:
            if first is not second and (len(str(first.room)), len(str(first.seat))) == (len(str(second.room)), len(str(second.seat))):
                return first.ticket, second.ticket
    raise AssertionError("no two candidates with rooms and seats of the same width")


@run_async
async def test_the_next_card_is_drawn_without_a_layout_pass(seeded_site, monkeypatch):
    monkeypatch.setattr(gate_module, "CHECKING_AFTER_S", 30.0, raising=False)  # the verdict always comes first: no 'checking' frame
    monkeypatch.setattr(gate_panels, "PANELS_AFTER_SCAN_S", 30.0)  # the figures' recount is not part of this
    first, second = same_width_pair(seeded_site)
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        gate = gate_of(app)
        gate.scan_input.insert_text_at_cursor(first)
        await pilot.press("enter")
        await until(pilot, lambda: gate.card is not None and gate.card.ticket == first)
        await pilot.pause(0.1)
        layouts = []
        original = gate._refresh_layout

        def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            layouts.append(1)
            return original(*args, **kwargs)

        gate._refresh_layout = counted
        gate.scan_input.insert_text_at_cursor(second)
        await pilot.press("enter")
        await until(pilot, lambda: gate.card is not None and gate.card.ticket == second)
        await pilot.pause(0.1)
        assert second in screen_text(app)
        assert gate.last_verdict.verdict == "admitted"
        assert layouts == []


def other_width_seats(site):  # noqa: ANN001, ANN201
    """Three candidates of one room whose seats are written with one digit, then two, then one (seat 9, 10, 8)."""
    cards = [gate_view.find_candidates(site, person.ticket, "S1")[0] for person in site.people[:30]]
    short = [card for card in cards if card.seat < 10]
    long = next(card for card in cards if card.seat >= 10 and card.room == short[0].room)
    return short[0].ticket, long.ticket, short[1].ticket


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@run_async
async def test_a_seat_with_more_digits_is_drawn_without_a_layout_pass(seeded_site, monkeypatch, size):
    """The big digits (120 columns) and the plain seat (80) fill a column the CSS fixes: another width is a repaint."""
    monkeypatch.setattr(gate_module, "CHECKING_AFTER_S", 30.0, raising=False)
    monkeypatch.setattr(gate_panels, "PANELS_AFTER_SCAN_S", 30.0)
    tickets = other_width_seats(seeded_site)
    app = make_app(seeded_site)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        gate = gate_of(app)
        shown = "#card-seat" if size[0] > 100 else "#card-seat-text"  # what shows the seat at this width
        layouts = []
        for index, ticket in enumerate(tickets):
            gate.scan_input.insert_text_at_cursor(ticket)
            await pilot.press("enter")
            await until(pilot, lambda t=ticket: gate.card is not None and gate.card.ticket == t)
            await pilot.pause(0.1)
            seat = str(gate.card.current_seat)
            widget = gate.query_one(shown)
            assert (widget.value if size[0] > 100 else widget._shown) == seat
            if index == 0:  # from here on every frame is counted
                real_layout = gate._refresh_layout
                gate._refresh_layout = lambda *a, **k: (layouts.append(1), real_layout(*a, **k))[1]
        assert gate.last_verdict.verdict == "admitted"
    assert layouts == []


@run_async
async def test_a_quiet_gate_does_not_recount_the_roster(seeded_site, monkeypatch):
    calls = {"looked": 0, "counted": 0}
    real_look, real_counters = gate_view.own_writes_only, counters.session_counters

    def looked(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls["looked"] += 1
        return real_look(*args, **kwargs)

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls["counted"] += 1
        return real_counters(*args, **kwargs)

    monkeypatch.setattr(gate_view, "own_writes_only", looked)
    monkeypatch.setattr(counters, "session_counters", counted)
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = dict(calls)
        await until(pilot, lambda: calls["looked"] >= before["looked"] + 2)  # the periodic refresh came twice
        assert calls["counted"] == before["counted"]
        gate = gate_of(app)
        gate.scan_input.insert_text_at_cursor(seeded_site.people[0].ticket)
        await pilot.press("enter")
        await until(pilot, lambda: "Admitted 1" in screen_text(app) and gate.idle)  # the lane's own scan, folded in
        await until(pilot, lambda: calls["looked"] >= before["looked"] + 4)  # the watcher's news of it, the periodic look
        assert calls["counted"] == before["counted"]  # not counted again
