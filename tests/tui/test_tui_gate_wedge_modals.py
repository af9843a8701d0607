"""A scanner's burst that lands in Ctrl+F's search, F11's rooms search or the exit form is never silently lost:
checked as scans (the search closes), or, in the exit form past its ticket, refused on screen by code."""

from __future__ import annotations

import pytest

from examops.tui.screens.gate import GateScreen
from tests.support.gate import admitted_tickets, gate_of, kinds, make_app, open_lane, settle, wedge
from tests.support.tui import run_async, screen_text, until


@pytest.mark.parametrize("key,opened", [("ctrl+f", "SearchModal"), ("f11", "RosterScreen")])
@run_async
async def test_a_burst_into_a_search_is_checked_as_scans(seeded_site, key, opened):
    people = seeded_site.people[20:23]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        await pilot.press(key)
        await until(pilot, lambda: app.screen.__class__.__name__ == opened)
        wedge(app, *(p.ticket for p in people))
        await until(pilot, lambda: isinstance(app.screen, GateScreen) and gate_of(app).idle
                    and len(admitted_tickets(seeded_site)) == len(people))
        await settle(pilot)
        assert gate_of(app).card.ticket == people[-1].ticket
    assert admitted_tickets(seeded_site) == [p.ticket for p in people]


@run_async
async def test_a_name_typed_into_the_search_is_still_a_search(seeded_site):
    person = seeded_site.people[24]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        await pilot.press("ctrl+f")
        await until(pilot, lambda: app.screen.__class__.__name__ == "SearchModal")
        await pilot.press(*person.id_number[-4:])
        await until(pilot, lambda: person.ticket in [c.ticket for c in app.screen.cards])
        assert app.screen.__class__.__name__ == "SearchModal"
    assert admitted_tickets(seeded_site) == []


@run_async
async def test_a_burst_into_the_exit_form_takes_the_first_ticket_and_refuses_the_rest_by_code(seeded_site):
    leaving, next_one, third = seeded_site.people[30:33]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        wedge(app, leaving.ticket)
        await settle(pilot)
        await pilot.press("escape", "ctrl+l")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExitForm")
        wedge(app, leaving.ticket, next_one.ticket, third.ticket)
        await until(pilot, lambda: len(app.screen.refused) == 2)
        await pilot.pause()
        assert app.screen.query_one("#exit-ticket").value == leaving.ticket
        text = screen_text(app)
        assert f"NOT RECORDED: {next_one.ticket}  {third.ticket}" in text
        await pilot.press(*"toilet", "enter")
        await settle(pilot)
    assert kinds(seeded_site, leaving.ticket) == ["admitted", "left"]
    assert kinds(seeded_site, next_one.ticket) == [] and kinds(seeded_site, third.ticket) == []


@run_async
async def test_a_burst_into_an_exception_form_takes_the_first_ticket_and_refuses_the_rest_by_code(seeded_site):
    held, next_one = seeded_site.people[34:36]
    app = make_app(seeded_site)
    async with open_lane(app) as pilot:
        await pilot.press("f7")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExceptionForm")
        wedge(app, held.ticket, next_one.ticket)
        await until(pilot, lambda: len(app.screen.refused) == 1)
        await pilot.pause()
        assert app.screen.query_one("#form-ticket").value == held.ticket
        assert f"NOT RECORDED: {next_one.ticket}" in screen_text(app)
    assert kinds(seeded_site, held.ticket) == [] and kinds(seeded_site, next_one.ticket) == []
