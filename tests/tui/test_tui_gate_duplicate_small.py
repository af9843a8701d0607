"""At 80×24 a duplicate's banner still says where and when the ticket first entered, with and without photos.

Staff decide from that line whether it is a second scan of someone already inside or a second person with the
same ticket (impersonation): the bordered alarm banner had room only for its title on 24 rows.
"""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from examops.i18n import _
from examops.tui.screens.gate import GateScreen
from tests.support.gate import gate_of
from tests.support.gate import zh_app as make_app
from tests.support.photos import give_photos
from tests.support.tui import run_async, screen_text, store_url, until  # noqa: F401 (store_url is a fixture)
from tests.tui.test_tui_small_terminal import SMALL

FIRST_ZH = "首次入场：A 通道 08:10:00，安检员 安检员1"
ALARM_ZH = "疑似替考，请立即联系总监考"


async def _scan(pilot, ticket: str) -> None:
    gate: GateScreen = gate_of(pilot.app)
    gate.scan_input.insert_text_at_cursor(ticket)
    await pilot.press("enter")


async def _duplicate_text(pilot, person, confirm: bool) -> str:
    """Admit `person` by ticket, then scan their ID card: a second code, so never taken for a double read."""
    gate = gate_of(pilot.app)
    await until(pilot, lambda: gate.idle)
    await _scan(pilot, person.ticket)
    if confirm:  # a site with photos: the card waits for Enter before anything is recorded
        await until(pilot, lambda: gate.waiting_card and gate.idle)
        await pilot.press("enter")
    await until(pilot, lambda: gate.query_one("#verdict").view.style == "admitted" and gate.idle)
    await _scan(pilot, person.id_number)
    await until(pilot, lambda: gate.query_one("#verdict").view.style == "duplicate" and gate.idle)
    await pilot.pause()
    return screen_text(pilot.app)


@run_async
async def test_a_duplicate_at_80x24_names_the_first_entry(seeded_site):
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        text = await _duplicate_text(pilot, seeded_site.people[0], confirm=False)
    assert FIRST_ZH in text, text
    assert ALARM_ZH in text


@run_async
async def test_a_duplicate_at_80x24_on_a_site_with_photos_names_the_first_entry(seeded_site):
    person = seeded_site.people[0]
    give_photos(seeded_site, [person.ticket])
    app = make_app(seeded_site)
    async with app.run_test(size=SMALL) as pilot:
        text = await _duplicate_text(pilot, person, confirm=True)
    assert FIRST_ZH in text, text
    assert ALARM_ZH in text and person.name in text



@pytest.mark.parametrize("size", [SMALL, (120, 40)], ids=["80x24", "120x40"])
@run_async
async def test_a_hint_over_a_waiting_alarm_leaves_the_card_and_its_lines_uncovered(seeded_site, size):
    """A hint (a key refused while the duplicate is on screen) lies over the side panel, not over the alarm."""
    app = make_app(seeded_site)
    async with app.run_test(size=size, notifications=True) as pilot:
        await _duplicate_text(pilot, seeded_site.people[0], confirm=False)
        gate_of(app)._hint(_("No candidate on the card to admit: scan or search first"))  # as Enter on it says
        await until(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        left = gate_of(app).query_one("#gate-left").region
        for toast in app.screen.query(Toast):
            assert toast.region.x >= left.right, (size, toast.region, left)
        assert FIRST_ZH in screen_text(app)
