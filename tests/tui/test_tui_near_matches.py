"""At 80×24 a mistyped ticket shows its near matches, the swap first, in the card's lines, each on one line."""

from __future__ import annotations

from examops.domain import typos
from examops.tui.app import ExamopsApp
from examops.tui.screens.gate import GateScreen
from tests.conftest import at_local
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)


def gate_of(app) -> GateScreen:
    return next(screen for screen in app.screen_stack if isinstance(screen, GateScreen))


@run_async
async def test_a_swapped_ticket_offers_the_rostered_one_first_at_80x24(seeded_site):
    person = next(p for p in seeded_site.people[20:] if p.ticket[-1] != p.ticket[-2] and p.ticket[-1] != "0")
    typed = person.ticket[:-2] + person.ticket[-1] + person.ticket[-2]
    near = sorted((p for p in seeded_site.people if typos.typo(typed, p.ticket) is not None),
                  key=lambda p: (typos.typo(typed, p.ticket), p.ticket))
    at_local(seeded_site, "2021-10-16T08:10")
    app = ExamopsApp(seeded_site, mode="gate", lane="A", staff="安检员1", lang="zh-CN")
    app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: gate_of(app).idle)
        gate_of(app).scan_input.insert_text_at_cursor(typed)
        await pilot.press("enter")
        await until(pilot, lambda: gate_of(app).last_verdict is not None and gate_of(app).idle)
        await pilot.pause()
        lines = [line.strip() for line in screen_text(app).splitlines()]
    shown = [line.split()[0] for line in lines if line[:14].isdigit() and len(line.split()[0]) == 14 and "考场" in line]
    assert shown[0] == person.ticket
    assert shown == [p.ticket for p in near][:6]
