"""A reading typed on a numeric pad without its point (381) is read as 38.1 ℃, and the form says so."""

from __future__ import annotations

import json

from sqlalchemy import select

from examops.adapters.store import schema
from tests.support.gate import SIZE, banner, make_app, settle
from tests.support.tui import run_async, screen_text, until


@run_async
async def test_a_reading_typed_as_381_is_recorded_as_38_1(seeded_site):
    person = seeded_site.people[5]
    app = make_app(seeded_site)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExceptionForm")
        await pilot.press(*person.ticket, "enter", *"381")
        await pilot.pause()
        assert "First reading (°C): 381 read as 38.1 ℃" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert banner(app) == "exception"
    with seeded_site.store.read() as conn:
        (payload,) = conn.execute(select(schema.events.c.payload).where(
            schema.events.c.kind == "exception", schema.events.c.ticket == person.ticket)).scalars().all()
    assert json.loads(payload)["evidence"] == {"temp1": "38.1"}
