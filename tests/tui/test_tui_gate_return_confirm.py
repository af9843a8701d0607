"""Back from a temporary leave, a lane that checks faces holds the card for Enter, as at the first entry."""

from __future__ import annotations

from examops.tui.app import ExamopsApp
from tests.conftest import at_local
from tests.support.gate import gate_of, kinds, settle
from tests.support.tui import run_async, screen_text, until

SMALL = (80, 24)


async def scan(pilot, code: str) -> None:
    gate_of(pilot.app).scan_input.insert_text_at_cursor(code)
    await pilot.press("enter")
    await settle(pilot)


@run_async
async def test_a_return_waits_for_the_face_and_esc_records_nothing(seeded_site):
    person = seeded_site.people[7]
    at_local(seeded_site, "2021-10-16T08:10")
    app = ExamopsApp(seeded_site, mode="gate", lane="A", staff="安检员1", lang="zh-CN", confirm="always")
    app.animation_level = "none"
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await scan(pilot, person.ticket)
        await until(pilot, lambda: gate_of(app).waiting_card)
        await pilot.press("enter")  # the face matches: admitted
        await settle(pilot)
        await pilot.press("ctrl+l", *"如厕", "enter")
        await settle(pilot)
        assert kinds(seeded_site, person.ticket) == ["admitted", "left"]
        await scan(pilot, person.ticket)  # whoever comes back is checked against the photo again
        await until(pilot, lambda: gate_of(app).waiting_card)
        assert "暂离返回" in screen_text(app) and "人证核验" in screen_text(app)
        assert kinds(seeded_site, person.ticket) == ["admitted", "left"]
        await pilot.press("escape")  # not the same face: set aside, nothing recorded
        await settle(pilot)
        assert kinds(seeded_site, person.ticket) == ["admitted", "left"]
        await scan(pilot, person.ticket)
        await until(pilot, lambda: gate_of(app).waiting_card)
        await pilot.press("enter")
        await settle(pilot)
        assert "请回原座位" in screen_text(app)
    assert kinds(seeded_site, person.ticket) == ["admitted", "left", "returned"]
