"""A scan that lands in a form's free-text field is refused as a reason or note, never recorded as one."""

from __future__ import annotations

from sqlalchemy import select

from examops.adapters.store import schema
from examops.tui.app import ExamopsApp
from tests.conftest import at_local
from tests.support.gate import gate_of, kinds, settle
from tests.support.tui import run_async, screen_text, until

SMALL = (80, 24)


def make_app(site) -> ExamopsApp:
    at_local(site, "2021-10-16T08:10")
    app = ExamopsApp(site, mode="gate", lane="A", staff="安检员1", lang="zh-CN", confirm="never")
    app.animation_level = "none"
    return app


@run_async
async def test_the_next_candidates_scan_in_the_reason_of_an_early_leave_is_refused(seeded_site):
    leaving, arriving = seeded_site.people[3], seeded_site.people[4]
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        gate_of(app).scan_input.insert_text_at_cursor(leaving.ticket)
        await pilot.press("enter")
        await settle(pilot)
        at_local(seeded_site, "2021-10-16T09:00")  # when S1 allows an early leave
        await pilot.press("ctrl+g")  # the card's candidate is prefilled; the focus is in the reason
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExitForm")
        await pilot.press(*arriving.ticket, "enter")  # the scanner reads the next candidate's ticket meanwhile
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ExitForm"
        assert app.screen.query_one("#exit-reason").value == ""
        assert "未记录" in screen_text(app)
        await pilot.press(*"提前交卷", "enter")
        await settle(pilot)
    assert kinds(seeded_site, leaving.ticket) == ["admitted", "left"]
    with seeded_site.store.read() as conn:
        reason = conn.execute(select(schema.events.c.payload).where(
            schema.events.c.ticket == leaving.ticket, schema.events.c.kind == "left")).scalar_one()
    assert arriving.ticket not in str(reason)


@run_async
async def test_an_id_card_scan_in_an_exception_note_is_refused(seeded_site):
    held, arriving = seeded_site.people[5], seeded_site.people[6]
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        gate_of(app).scan_input.insert_text_at_cursor(held.ticket)
        await pilot.press("f9")  # 其他: the note is the one field, and required
        await until(pilot, lambda: app.screen.__class__.__name__ == "ExceptionForm")
        await pilot.press(*arriving.id_number, "enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ExceptionForm"
        assert "未记录" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
    assert kinds(seeded_site, held.ticket) == []
