"""At the late-entry cutoff, a card that waits for the face (and the scans queued behind it) is judged as of the
moment the code was read: pressing Enter after 09:00 must not turn a candidate who came at 08:59 into 迟到."""

from __future__ import annotations

from examops.tui.app import ExamopsApp
from tests.conftest import at_local
from tests.support.gate import gate_of, kinds
from tests.support.tui import run_async, until

SMALL = (80, 24)


def scan(app, code: str) -> None:
    gate_of(app).scan_input.insert_text_at_cursor(code)


@run_async
async def test_enter_after_the_cutoff_admits_whoever_was_scanned_before_it(seeded_site):
    first, queued, late = seeded_site.people[10], seeded_site.people[11], seeded_site.people[12]
    at_local(seeded_site, "2021-10-16T08:59:50")
    app = ExamopsApp(seeded_site, mode="gate", lane="A", staff="安检员1", lang="zh-CN", confirm="always")
    app.animation_level = "none"
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, lambda: gate_of(app).idle)
        scan(app, first.ticket)
        await pilot.press("enter")
        await until(pilot, lambda: gate_of(app).waiting_card)
        scan(app, queued.ticket)
        await pilot.press("enter")  # 08:59:50 too: queued behind the card
        await until(pilot, lambda: gate_of(app).line.queued == 1)
        at_local(seeded_site, "2021-10-16T09:00:20")  # the staffer looks at the photo past the cutoff
        await pilot.press("enter")
        await until(pilot, lambda: kinds(seeded_site, first.ticket) == ["admitted"] and gate_of(app).waiting_card)
        await pilot.press("enter")
        await until(pilot, lambda: kinds(seeded_site, queued.ticket) != [] and gate_of(app).idle)
        scan(app, late.ticket)  # read after the cutoff: late
        await pilot.press("enter")
        await until(pilot, lambda: kinds(seeded_site, late.ticket) != [])
    assert kinds(seeded_site, queued.ticket) == ["admitted"]
    assert kinds(seeded_site, late.ticket) == ["denied"]
